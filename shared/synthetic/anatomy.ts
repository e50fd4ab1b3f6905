// Analytic phantoms of the synthetic trial: a head (scalp, skull, grey and
// white matter with gyri, ventricles, deep grey nuclei, posterior fossa,
// orbits with globes, muscles, optic nerves and chiasm, sinuses) and a spine
// (cord in its canal, vertebral bodies C1-T12 with discs, posterior elements,
// neck and chest). Each is a function of a point of the anatomy frame (mm,
// DICOM LPS) and a contrast table, evaluated with plain arithmetic: no
// allocation per call, so a renderer can loop over millions of pixels.
import type { Vec3 } from '../vector';

// Tissues: indices into a contrast table.
export const AIR = 0;
export const SOFT = 1;
export const FAT = 2;
export const BONE = 3;
export const MARROW = 4;
export const CSF = 5;
export const GM = 6;
export const WM = 7;
export const DEEP_GM = 8;
export const VITREOUS = 9;
export const LENS = 10;
export const MUSCLE = 11;
export const NERVE = 12;
export const DISC = 13;
export const CORD = 14;
export const LESION = 15;
export const ANNULUS = 16;
export const FLOW_VOID = 17;
export const TISSUE_COUNT = 18;

export type ContrastName = 'FLAIR' | 'T2' | 'STIR' | 'T1';

function table(values: Record<number, number>): Float64Array {
  const result = new Float64Array(TISSUE_COUNT);
  for (const [tissue, value] of Object.entries(values)) result[Number(tissue)] = value;
  return result;
}

/** Relative signal of each tissue (0..~1.2) for the sequences the trial uses. */
export const CONTRASTS: Readonly<Record<ContrastName, Float64Array>> = {
  // T2-FLAIR: fluid suppressed (dark CSF and vitreous), grey brighter than white, lesions brightest.
  FLAIR: table({ [AIR]: 0, [SOFT]: 0.34, [FAT]: 0.62, [BONE]: 0.03, [MARROW]: 0.36, [CSF]: 0.05, [GM]: 0.58, [WM]: 0.38, [DEEP_GM]: 0.5, [VITREOUS]: 0.06, [LENS]: 0.15, [MUSCLE]: 0.24, [NERVE]: 0.42, [DISC]: 0.3, [CORD]: 0.45, [LESION]: 0.95, [ANNULUS]: 0.15, [FLOW_VOID]: 0.02 }),
  // T2 fast spin echo (spine): bright CSF and disc nuclei, grey cord, intermediate marrow, bright fat.
  T2: table({ [AIR]: 0, [SOFT]: 0.3, [FAT]: 0.72, [BONE]: 0.04, [MARROW]: 0.38, [CSF]: 0.95, [GM]: 0.5, [WM]: 0.38, [DEEP_GM]: 0.45, [VITREOUS]: 0.95, [LENS]: 0.2, [MUSCLE]: 0.2, [NERVE]: 0.4, [DISC]: 0.7, [CORD]: 0.4, [LESION]: 0.85, [ANNULUS]: 0.12, [FLOW_VOID]: 0.02 }),
  // STIR (fat-suppressed T2, orbits): dark fat, bright vitreous and CSF, grey nerve, bright nerve lesions.
  STIR: table({ [AIR]: 0, [SOFT]: 0.32, [FAT]: 0.05, [BONE]: 0.03, [MARROW]: 0.06, [CSF]: 0.78, [GM]: 0.46, [WM]: 0.34, [DEEP_GM]: 0.42, [VITREOUS]: 0.95, [LENS]: 0.18, [MUSCLE]: 0.2, [NERVE]: 0.38, [DISC]: 0.6, [CORD]: 0.38, [LESION]: 0.92, [ANNULUS]: 0.12, [FLOW_VOID]: 0.02 }),
  // T1 gradient echo (localizer): bright fat and white matter, dark fluid; lesions barely visible.
  T1: table({ [AIR]: 0, [SOFT]: 0.42, [FAT]: 0.92, [BONE]: 0.04, [MARROW]: 0.78, [CSF]: 0.12, [GM]: 0.45, [WM]: 0.62, [DEEP_GM]: 0.5, [VITREOUS]: 0.1, [LENS]: 0.4, [MUSCLE]: 0.35, [NERVE]: 0.55, [DISC]: 0.35, [CORD]: 0.55, [LESION]: 0.5, [ANNULUS]: 0.25, [FLOW_VOID]: 0.02 }),
};

/** Width of a tissue boundary in mm (partial volume). */
const EDGE = 0.9;

/** Weight of "inside" for a signed inside-distance (positive inside), ramped over `edge` mm. */
export function ramp(insideMm: number, edge = EDGE): number {
  const weight = 0.5 + insideMm / edge;
  return weight <= 0 ? 0 : weight >= 1 ? 1 : weight;
}

/** Approximate signed distance (mm, negative inside) to an ellipsoid centred at the origin. */
export function ellipsoidDistance(dx: number, dy: number, dz: number, rx: number, ry: number, rz: number): number {
  const ax = dx / rx;
  const ay = dy / ry;
  const az = dz / rz;
  const k0 = Math.sqrt(ax * ax + ay * ay + az * az);
  if (k0 < 0.5) return -(rx < ry ? (rx < rz ? rx : rz) : ry < rz ? ry : rz) * (1 - k0);
  const bx = ax / rx;
  const by = ay / ry;
  const bz = az / rz;
  return (k0 * (k0 - 1)) / Math.sqrt(bx * bx + by * by + bz * bz);
}

/** Inside-weight of an axis-aligned ellipsoid, with a cheap bounding-box reject. */
function ellipsoid(x: number, y: number, z: number, cx: number, cy: number, cz: number, rx: number, ry: number, rz: number): number {
  const dx = x - cx;
  const dy = y - cy;
  const dz = z - cz;
  if (dx > rx + EDGE || dx < -rx - EDGE || dy > ry + EDGE || dy < -ry - EDGE || dz > rz + EDGE || dz < -rz - EDGE) return 0;
  return ramp(-ellipsoidDistance(dx, dy, dz, rx, ry, rz));
}

function mix(value: number, target: number, weight: number): number {
  return weight <= 0 ? value : value + (target - value) * weight;
}

/** Distance from a point to the segment a-b (all coordinates flat for speed). */
function segmentDistance(x: number, y: number, z: number, ax: number, ay: number, az: number, bx: number, by: number, bz: number): number {
  const ux = bx - ax;
  const uy = by - ay;
  const uz = bz - az;
  let t = ((x - ax) * ux + (y - ay) * uy + (z - az) * uz) / (ux * ux + uy * uy + uz * uz);
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const dx = x - ax - t * ux;
  const dy = y - ay - t * uy;
  const dz = z - az - t * uz;
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}

// ---------------------------------------------------------------------------
// Head. Unit head in mm, origin near the bodies of the lateral ventricles; a
// participant's head is this one scaled per axis (HeadAnatomy.scale).

export interface HeadAnatomy {
  /** Per-axis size of this participant's head relative to the unit head (about 0.96-1.04). */
  scale: Vec3;
}

export type Side = 'right' | 'left';

const GLOBE_RADIUS = 12;
const NERVE_RADIUS = 1.6;
const SHEATH_RADIUS = 2.7;
/** Unit-head landmarks of each side: globe centre, orbital apex, and the chiasm centre shared by both nerves. */
const GLOBE = { right: [-31, -63, -42], left: [31, -63, -42] } as const;
const APEX = { right: [-14, -30, -36], left: [14, -30, -36] } as const;
const CHIASM: Vec3 = [0, -17, -31];
export const CHIASM_RADII: Vec3 = [8, 4, 2.2];

/** The optic nerve of one side as a polyline in the unit head: posterior pole of the globe -> orbital apex -> chiasm centre. */
function unitNervePath(side: Side): [Vec3, Vec3, Vec3] {
  const globe = GLOBE[side];
  const apex = APEX[side];
  const toward = [apex[0] - globe[0], apex[1] - globe[1], apex[2] - globe[2]];
  const length = Math.hypot(toward[0]!, toward[1]!, toward[2]!);
  const start: Vec3 = [globe[0] + (toward[0]! * GLOBE_RADIUS) / length, globe[1] + (toward[1]! * GLOBE_RADIUS) / length, globe[2] + (toward[2]! * GLOBE_RADIUS) / length];
  return [start, [apex[0], apex[1], apex[2]], CHIASM];
}

const NERVE_PATHS = { right: unitNervePath('right'), left: unitNervePath('left') } as const;

function scaled(point: Vec3, factor: Vec3): Vec3 {
  return [point[0] * factor[0], point[1] * factor[1], point[2] * factor[2]];
}

/** The nerve polyline of one side in the participant's anatomy frame. */
export function nervePath(head: HeadAnatomy, side: Side): [Vec3, Vec3, Vec3] {
  const [a, b, c] = NERVE_PATHS[side];
  return [scaled(a, head.scale), scaled(b, head.scale), scaled(c, head.scale)];
}

function distance(a: Vec3, b: Vec3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** Length (mm) of one optic nerve, from the globe to the chiasm centre. */
export function nerveLength(head: HeadAnatomy, side: Side): number {
  const [a, b, c] = nervePath(head, side);
  return distance(a, b) + distance(b, c);
}

/** The point at fraction t (0 = globe, 1 = chiasm centre) of a nerve, by length. */
export function nervePoint(head: HeadAnatomy, side: Side, t: number): Vec3 {
  const [a, b, c] = nervePath(head, side);
  const first = distance(a, b);
  const along = t * (first + distance(b, c));
  if (along <= first) {
    const f = along / first;
    return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
  }
  const f = (along - first) / distance(b, c);
  return [b[0] + (c[0] - b[0]) * f, b[1] + (c[1] - b[1]) * f, b[2] + (c[2] - b[2]) * f];
}

/** The chiasm centre in the anatomy frame. */
export function chiasmCentre(head: HeadAnatomy): Vec3 {
  return scaled(CHIASM, head.scale);
}

/**
 * The skull base height (unit head) under a point: anterior fossa (domed over
 * the orbits), middle fossa behind the curved sphenoid ridge (raised at the
 * sella), posterior fossa behind the petrous ridges.
 */
function skullBase(x: number, y: number): number {
  const ax = x < 0 ? -x : x;
  const middle = smooth01((y - (-20 - 0.011 * ax * ax)) / 4);
  const posterior = smooth01((y - (4 + 0.45 * ax)) / 4);
  const dome = (ax - 29) / 13;
  const anteriorFloor = -32 + 8 / (1 + dome * dome * dome * dome);
  const sx = x / 12;
  const sy = (y + 10) / 13;
  const sella = 1 - smooth01((Math.sqrt(sx * sx + sy * sy) - 1) * 3);
  const middleFloor = -58 + 14 * sella;
  return anteriorFloor + (middleFloor - anteriorFloor) * middle + (-76 - middleFloor) * posterior * middle;
}

function smooth01(t: number): number {
  const c = t < -1 ? -1 : t > 1 ? 1 : t;
  return 0.5 + c * (0.75 - 0.25 * c * c);
}

const TWO_PI = 2 * Math.PI;
const INV_TWO_PI = 1 / TWO_PI;

/** sin(x) to about 1e-4 with plain arithmetic (faster than Math.sin in the inner loops, and as deterministic). */
export function fastSin(x: number): number {
  // Reduce to [-pi, pi], then fold to [-pi/2, pi/2] where an odd polynomial is accurate.
  let t = x - TWO_PI * Math.round(x * INV_TWO_PI);
  if (t > 1.5707963267948966) t = Math.PI - t;
  else if (t < -1.5707963267948966) t = -Math.PI - t;
  const t2 = t * t;
  return t * (1 + t2 * (-0.16666666 + t2 * (0.0083333 + t2 * (-0.00019840874 + t2 * 2.7525562e-6))));
}

/**
 * The cortex's folding: a smooth labyrinth (wavelength about 2.5 cm, plus a
 * finer one) evaluated on the direction of the point from the brain's
 * centre, so its zero set, where the sulci are, is made of radial sheets.
 */
function gyral(x: number, y: number, z: number): number {
  const cx = x;
  const cy = y - 6;
  const cz = z - 4;
  const k = 68 / (Math.sqrt(cx * cx + cy * cy + cz * cz) + 1e-6);
  const X = cx * k;
  const Y = cy * k;
  const Z = cz * k;
  const g1 = fastSin(0.2 * (0.8 * X + 0.6 * Y) + 1.3 * fastSin(0.075 * Z + 0.09 * Y + 0.4));
  const g2 = fastSin(0.19 * (-0.55 * X + 0.78 * Y + 0.3 * Z) + 1.2 * fastSin(0.08 * X + 1.1));
  const g3 = fastSin(0.21 * (0.35 * X - 0.25 * Y + 0.9 * Z) + 1.25 * fastSin(0.07 * Y - 0.05 * X + 2.0));
  const g4 = fastSin(0.37 * (0.62 * X - 0.7 * Y + 0.35 * Z) + 0.9 * fastSin(0.13 * Z - 0.11 * X));
  // A little dependence on depth too, so sulci bend instead of running straight to the centre.
  const g5 = fastSin(0.16 * (x + 0.7 * y - 0.5 * z) + 1.1 * fastSin(0.1 * z - 0.06 * y));
  return (g1 + g2 + g3) * 0.22 + g4 * 0.2 + g5 * 0.14;
}
/** Typical size of the gyral function's gradient, per mm, to turn its value into a distance. */
const GYRAL_SLOPE = 0.17;

/**
 * The brain parenchyma at a point (unit head), given how deep it lies under
 * the convexity (`depth`, where the sulci are) and above the skull base (`floor`).
 */
function brainTissue(x: number, y: number, z: number, depth: number, floor: number, c: Float64Array): number {
  let v: number;
  // Posterior fossa, under the tentorium (which slopes down towards the back and the sides).
  const ax0 = x < 0 ? -x : x;
  const tentorium = -14 - 0.22 * (y - 10) - 0.004 * ax0 * ax0;
  const infratentorial = ramp(tentorium - z, 1.5) * ramp(y - 4 - 0.45 * ax0, 3);
  if (depth < 20) {
    const g = gyral(x, y, z);
    const sulcusDistance = (g < 0 ? -g : g) / GYRAL_SLOPE;
    const wm = ramp(depth - 2.4) * Math.max(ramp(sulcusDistance - 1.9), ramp(depth - 17));
    v = mix(c[GM]!, c[WM]!, wm < 1 ? wm : ramp(floor - 2.6));
    // Sulci: CSF about 2 mm wide at the surface, narrowing with depth.
    v = mix(v, c[CSF]!, ramp(0.75 - 0.035 * depth - sulcusDistance, 0.7) * ramp(15 - depth, 2) * ramp(floor - 3, 2));
  } else {
    v = mix(c[GM]!, c[WM]!, ramp(floor - 2.6));
  }
  if (infratentorial > 0) {
    // Cerebellar hemispheres and vermis, bathed in CSF; folia run across them, with a white-matter core.
    const hemisphere = ellipsoid(ax0, y, z, 24, 50, -44, 30, 29, 24);
    const vermis = ellipsoid(ax0, y, z, 0, 46, -40, 10, 22, 19);
    const cerebellum = hemisphere > vermis ? hemisphere : vermis;
    let cv = c[CSF]!;
    if (cerebellum > 0) {
      const folia = fastSin(0.55 * (z + 0.2 * ax0 - 0.25 * y));
      let tissue = mix(c[GM]!, c[CSF]!, ramp(0.3 - (folia < 0 ? -folia : folia), 0.35));
      tissue = mix(tissue, c[WM]!, ellipsoid(ax0, y, z, 14, 42, -43, 10, 10, 7));
      cv = mix(cv, tissue, cerebellum);
    }
    v = mix(v, cv, infratentorial);
  }
  // Deep structures.
  if (y > -45 && y < 45 && z > -62 && z < 40 && x > -40 && x < 40) {
    const ax = x < 0 ? -x : x;
    v = mix(v, c[DEEP_GM]!, ellipsoid(ax, y, z, 11, 7, -1, 8, 13, 9)); // thalamus
    v = mix(v, c[DEEP_GM]!, ellipsoid(ax, y, z, 22, -4, 2, 5.5, 15, 10)); // lentiform nucleus
    v = mix(v, c[DEEP_GM]!, ellipsoid(ax, y, z, 12.5, -17, 11, 5, 8, 8)); // caudate head
    // Lateral ventricles: bodies that diverge and rise posteriorly, with atria.
    const vx = ax - (5.5 + 0.09 * (y + 30));
    const vz = z - (13 - 0.0035 * (y - 5) * (y - 5));
    v = mix(v, c[CSF]!, ellipsoid(vx, y, vz, 0, -2, 0, 5, 31, 6.5));
    v = mix(v, c[CSF]!, ellipsoid(ax, y, z, 17, 24, 8, 6, 9, 8)); // atrium
    v = mix(v, c[CSF]!, ellipsoid(x, y, z, 0, 5, -3, 1.8, 13, 8)); // third ventricle
    // Brainstem with the prepontine cistern in front and the fourth ventricle behind.
    v = mix(v, c[CSF]!, ellipsoid(x, y, z, 0, 2, -47, 11, 6, 22));
    v = mix(v, c[WM]!, ellipsoid(x, y, z, 0, 14, -46, 12, 12, 28));
    v = mix(v, c[CSF]!, ellipsoid(x, y, z, 0, 27, -46, 4, 3, 7));
  }
  // Interhemispheric fissure above the corpus callosum and in front of and behind it.
  const ax = ax0;
  if (ax < 3) {
    const outside = Math.max(ramp(z - 26, 3), ramp(-44 - y, 3), ramp(y - 44, 3));
    v = mix(v, c[CSF]!, ramp(0.8 - ax, 1.2) * outside * (z > tentorium ? 1 : 0));
  }
  // Sylvian fissures.
  if (ax > 30 && ax < 42 && y > -20 && y < 20 && z > -22 && z < 8) {
    v = mix(v, c[CSF]!, ramp(1 - Math.abs(ax - 36 - 0.15 * y)) * ramp(18 - Math.abs(y), 3) * ramp(12 - Math.abs(z + 7), 3));
  }
  return v;
}

/** Globe, muscles and nerve of one orbit (unit head), painted over `v`. */
function orbit(x: number, y: number, z: number, side: Side, v: number, c: Float64Array): number {
  const globe = GLOBE[side];
  const apex = APEX[side];
  const sign = side === 'left' ? 1 : -1;
  // Orbital cone from the apex to the rim, filled with fat, walled by bone.
  const rimX = globe[0] + sign * 1.5;
  const rimY = -78;
  const rimZ = globe[2];
  const axX = rimX - apex[0];
  const axY = rimY - apex[1];
  const axZ = rimZ - apex[2];
  const axLength = Math.sqrt(axX * axX + axY * axY + axZ * axZ);
  const s = ((x - apex[0]) * axX + (y - apex[1]) * axY + (z - apex[2]) * axZ) / (axLength * axLength);
  if (s > -0.05 && s < 1.05) {
    const px = x - apex[0] - s * axX;
    const py = y - apex[1] - s * axY;
    const pz = z - apex[2] - s * axZ;
    // Cross-section: horizontal half-width and vertical half-height growing from apex to rim.
    const horizontal = Math.sqrt(px * px + py * py);
    const rh = 3 + 16 * s;
    const rv = 3 + 13.5 * s;
    const k = Math.sqrt((horizontal / rh) * (horizontal / rh) + (pz / rv) * (pz / rv));
    const inside = (1 - k) * (rh < rv ? rh : rv);
    const front = ramp((1.02 - s) * axLength);
    v = mix(v, c[BONE]!, ramp(inside + 2) * front);
    v = mix(v, c[FAT]!, ramp(inside) * front);
  }
  // Four rectus muscles from the apex to the globe.
  const ix = globe[0];
  const iy = globe[1] - 3;
  const iz = globe[2];
  const m1 = segmentDistance(x, y, z, apex[0], apex[1], apex[2] + 1.5, ix, iy, iz + 11);
  const m2 = segmentDistance(x, y, z, apex[0], apex[1], apex[2] - 1.5, ix, iy, iz - 11);
  const m3 = segmentDistance(x, y, z, apex[0] - sign * 1.5, apex[1], apex[2], ix - sign * 11, iy, iz);
  const m4 = segmentDistance(x, y, z, apex[0] + sign * 1.5, apex[1], apex[2], ix + sign * 11, iy, iz);
  const muscle = Math.min(m1 - 2.2, m2 - 2.2, m3 - 2.5, m4 - 2.5);
  v = mix(v, c[MUSCLE]!, ramp(-muscle));
  // Optic nerve (orbital segment) in its CSF sheath.
  const path = NERVE_PATHS[side];
  const d = segmentDistance(x, y, z, path[0][0], path[0][1], path[0][2], path[1][0], path[1][1], path[1][2]);
  v = mix(v, c[CSF]!, ramp(SHEATH_RADIUS - d));
  v = mix(v, c[NERVE]!, ramp(NERVE_RADIUS - d));
  // Globe: sclera, vitreous, lens.
  const gx = x - globe[0];
  const gy = y - globe[1];
  const gz = z - globe[2];
  const r = Math.sqrt(gx * gx + gy * gy + gz * gz);
  if (r < GLOBE_RADIUS + 1) {
    v = mix(v, c[SOFT]!, ramp(GLOBE_RADIUS - r));
    v = mix(v, c[VITREOUS]!, ramp(GLOBE_RADIUS - 1 - r));
    v = mix(v, c[LENS]!, ellipsoid(gx, gy, gz, 0, -9.2, 0, 4.5, 2, 4.5));
  }
  return v;
}

/**
 * Signal of the head phantom at a point of the anatomy frame (mm), before
 * lesions, coil shading and noise.
 */
export function headSignal(px: number, py: number, pz: number, head: HeadAnatomy, c: Float64Array): number {
  const x = px / head.scale[0];
  const y = py / head.scale[1];
  const z = pz / head.scale[2];
  const dScalp = ellipsoidDistance(x, y - 4, z + 2, 77, 98, 90);
  const nose = y < -70 && z < -30 ? ellipsoid(x, y, z, 0, -92, -62, 11, 20, 26) : 0;
  if (dScalp > EDGE && nose <= 0) return c[AIR]!;
  let v = c[AIR]!;
  v = mix(v, c[SOFT]!, Math.max(ramp(-dScalp), nose));
  v = mix(v, c[FAT]!, ramp(-dScalp - 2));
  v = mix(v, c[BONE]!, ramp(-dScalp - 5));
  v = mix(v, c[MARROW]!, ramp(-dScalp - 6.5));
  v = mix(v, c[BONE]!, ramp(-dScalp - 9));
  const inner = ramp(-dScalp - 11);
  if (inner > 0) {
    const base = skullBase(x, y);
    const above = ramp(z - base);
    // Under the skull base: facial muscle and fat, bone just under the floor.
    let infra = mix(0.5 * (c[MUSCLE]! + c[FAT]!), c[BONE]!, ramp(z - (base - 5)));
    if (above < 1) {
      // Sinuses under the skull base.
      infra = mix(infra, c[AIR]!, ellipsoid(x, y, z, 0, -18, -52, 12, 10, 8)); // sphenoid
      infra = mix(infra, c[AIR]!, ellipsoid(x, y, z, 0, -52, -44, 9, 22, 12)); // ethmoid
      infra = mix(infra, c[AIR]!, ellipsoid(x, y, z, 0, -62, -68, 11, 24, 14)); // nasal cavity
      const ax = x < 0 ? -x : x;
      infra = mix(infra, c[AIR]!, ellipsoid(ax, y, z, 30, -54, -75, 14, 16, 14)); // maxillary
    }
    let brain = c[CSF]!;
    if (above > 0) {
      const depth = -dScalp - 13;
      const floor = z - base - 1.5;
      const parenchyma = ramp(depth < floor ? depth : floor);
      if (parenchyma > 0) brain = mix(brain, brainTissue(x, y, z, depth, floor, c), parenchyma);
      // Suprasellar cistern, intracranial optic nerves, chiasm and tracts.
      if (y > -35 && y < 5 && z > -45 && z < -20) {
        brain = mix(brain, c[CSF]!, ellipsoid(x, y, z, 0, -16, -33, 15, 9, 6));
        const r = NERVE_PATHS.right;
        const l = NERVE_PATHS.left;
        const dNerve = Math.min(
          segmentDistance(x, y, z, r[1][0], r[1][1], r[1][2], r[2][0], r[2][1], r[2][2]),
          segmentDistance(x, y, z, l[1][0], l[1][1], l[1][2], l[2][0], l[2][1], l[2][2]),
          segmentDistance(x, y, z, -12, -4, -29, 0, -17, -31) + 0.3,
          segmentDistance(x, y, z, 12, -4, -29, 0, -17, -31) + 0.3,
        );
        brain = mix(brain, c[NERVE]!, ramp(NERVE_RADIUS + 0.1 - dNerve));
        brain = mix(brain, c[NERVE]!, ellipsoid(x, y, z, CHIASM[0], CHIASM[1], CHIASM[2], CHIASM_RADII[0], CHIASM_RADII[1], CHIASM_RADII[2]));
      }
    }
    v = mix(v, above >= 1 ? brain : above <= 0 ? infra : infra + (brain - infra) * above, inner);
  }
  // Orbits, in front of the middle fossa and under the anterior fossa.
  if (y < -22 && y > -90 && z < -18 && z > -66) {
    if (x > 6 && x < 56) v = orbit(x, y, z, 'left', v, c);
    else if (x < -6 && x > -56) v = orbit(x, y, z, 'right', v, c);
    // The canalicular nerve runs through bone between the apex and the cranial cavity.
    if (y > -34 && y < -18) {
      const r = NERVE_PATHS.right;
      const l = NERVE_PATHS.left;
      const d = Math.min(
        segmentDistance(x, y, z, r[1][0], r[1][1], r[1][2], r[2][0], r[2][1], r[2][2]),
        segmentDistance(x, y, z, l[1][0], l[1][1], l[1][2], l[2][0], l[2][1], l[2][2]),
      );
      v = mix(v, c[NERVE]!, ramp(NERVE_RADIUS - d));
    }
  }
  return v;
}

// ---------------------------------------------------------------------------
// Spine. The cord follows a curve y = f(z) (cervical lordosis, thoracic
// kyphosis); a point is described by u (the height of its nearest point on the
// curve), v (its distance from the curve towards posterior) and w (= x).
// Vertebral segments are slabs of u, so their boundaries are perpendicular to
// the cord, as endplates are.

export const LEVELS = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'T10', 'T11', 'T12'] as const;
export type VertebralLevel = (typeof LEVELS)[number];
/** Unit height (mm) of each segment: body plus the disc below it. */
const SEGMENT_HEIGHT = [14, 20, 17, 17, 17, 17, 18, 20, 21, 21, 22, 22, 23, 24, 24, 25, 26, 27, 28];
/** Top of C1 (unit spine), just under the foramen magnum. */
export const SPINE_TOP = -72;

function cordCurve(z: number): number {
  const a = (z + 125) / 40;
  const b = (z + 320) / 100;
  return 12 - 7 * Math.exp(-a * a) + 16 * Math.exp(-b * b);
}

export interface SpineAnatomy {
  /** Segment heights of this participant relative to the unit spine (about 0.95-1.05). */
  lengthScale: number;
}

const TABLE_STEP = 0.5;

/** Precomputed tables of one participant's spine: the cord curve, segment boundaries, and per-height dimensions. */
export interface SpineModel {
  anatomy: SpineAnatomy;
  /** Boundaries (u, mm) between segments: boundaries[i] is the top of LEVELS[i], boundaries[19] the bottom of T12. */
  boundaries: Float64Array;
  zMin: number;
  zMax: number;
  curve: Float64Array;
  slope: Float64Array;
  level: Int8Array;
  cordRv: Float32Array;
  cordRw: Float32Array;
  canalRv: Float32Array;
  canalRw: Float32Array;
  bodyDepth: Float32Array;
  bodyHalfWidth: Float32Array;
  discHeight: Float32Array;
}

function lerpByLevel(values: readonly number[], levelPosition: number): number {
  const i = Math.max(0, Math.min(values.length - 1, Math.floor(levelPosition)));
  const j = Math.min(values.length - 1, i + 1);
  const f = Math.max(0, Math.min(1, levelPosition - i));
  return values[i]! + (values[j]! - values[i]!) * f;
}

// Per-level dimensions (mm), C1..T12.
const CORD_RV = [4.4, 4.2, 4.1, 4.1, 4.2, 4.2, 4.0, 3.8, 3.6, 3.5, 3.5, 3.5, 3.5, 3.5, 3.6, 3.7, 3.9, 4.0, 3.8];
const CORD_RW = [5.6, 5.8, 6.0, 6.4, 6.8, 6.8, 6.2, 5.4, 4.6, 4.3, 4.2, 4.2, 4.2, 4.2, 4.3, 4.6, 5.0, 5.2, 4.8];
const CANAL_RV = [9, 8, 7.5, 7.2, 7.2, 7.2, 7.2, 7.2, 7, 7, 7, 7, 7, 7, 7, 7.2, 7.4, 7.6, 7.8];
const CANAL_RW = [13, 11.5, 11, 11, 11, 11, 10.5, 10, 8.5, 8.5, 8.5, 8.5, 8.5, 8.5, 8.5, 8.8, 9.2, 9.6, 10];
const BODY_DEPTH = [8, 15, 15, 15.5, 16, 16.5, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29];
const BODY_HALF_WIDTH = [10, 9, 9, 9.5, 10, 10.5, 11, 13, 13, 13.5, 14, 14.5, 15, 15.5, 16, 16.5, 17, 18, 19];
const DISC_HEIGHT = [0, 0, 5, 5, 5, 5.5, 5.5, 5, 5, 5, 5.5, 5.5, 6, 6, 6.5, 6.5, 7, 7, 7.5];

/** Builds the lookup tables of a participant's spine (done once per participant). */
export function spineModel(anatomy: SpineAnatomy): SpineModel {
  const s = anatomy.lengthScale;
  const boundaries = new Float64Array(LEVELS.length + 1);
  boundaries[0] = SPINE_TOP;
  for (let i = 0; i < LEVELS.length; i += 1) boundaries[i + 1] = boundaries[i]! - SEGMENT_HEIGHT[i]! * s;
  const zMax = SPINE_TOP + 60;
  const zMin = boundaries[LEVELS.length]! - 80;
  const n = Math.ceil((zMax - zMin) / TABLE_STEP) + 1;
  const curve = new Float64Array(n);
  const slope = new Float64Array(n);
  const level = new Int8Array(n);
  const cordRv = new Float32Array(n);
  const cordRw = new Float32Array(n);
  const canalRv = new Float32Array(n);
  const canalRw = new Float32Array(n);
  const bodyDepth = new Float32Array(n);
  const bodyHalfWidth = new Float32Array(n);
  const discHeight = new Float32Array(n);
  for (let k = 0; k < n; k += 1) {
    const u = zMin + k * TABLE_STEP;
    // The curve's shape is stretched with the spine's length around its top.
    const unit = SPINE_TOP + (u - SPINE_TOP) / s;
    curve[k] = cordCurve(unit);
    slope[k] = (cordCurve(unit + 0.05) - cordCurve(unit - 0.05)) / (0.1 * s);
    let i = 0;
    while (i < LEVELS.length - 1 && u < boundaries[i + 1]!) i += 1;
    level[k] = u > boundaries[0]! ? -1 : u < boundaries[LEVELS.length]! ? LEVELS.length : i;
    const top = boundaries[i]!;
    const bottom = boundaries[i + 1]!;
    // Dimensions vary smoothly: interpolate between segment centres.
    const position = Math.max(0, Math.min(LEVELS.length - 1, i + (top - u) / (top - bottom) - 0.5));
    cordRv[k] = lerpByLevel(CORD_RV, position);
    cordRw[k] = lerpByLevel(CORD_RW, position);
    canalRv[k] = lerpByLevel(CANAL_RV, position);
    canalRw[k] = lerpByLevel(CANAL_RW, position);
    bodyDepth[k] = lerpByLevel(BODY_DEPTH, position);
    bodyHalfWidth[k] = lerpByLevel(BODY_HALF_WIDTH, position);
    discHeight[k] = DISC_HEIGHT[i]! * s;
  }
  return { anatomy, boundaries, zMin, zMax, curve, slope, level, cordRv, cordRw, canalRv, canalRw, bodyDepth, bodyHalfWidth, discHeight };
}

function tableIndex(model: SpineModel, u: number): number {
  const k = Math.round((u - model.zMin) / TABLE_STEP);
  return k < 0 ? 0 : k >= model.curve.length ? model.curve.length - 1 : k;
}

function curveAt(model: SpineModel, u: number): number {
  const position = (u - model.zMin) / TABLE_STEP;
  const k = Math.floor(position);
  if (k < 0) return model.curve[0]!;
  if (k >= model.curve.length - 1) return model.curve[model.curve.length - 1]!;
  const f = position - k;
  return model.curve[k]! + (model.curve[k + 1]! - model.curve[k]!) * f;
}

/** Spine coordinates of an anatomy-frame point: writes [u, v] into `out` (w is x). */
export function spineCoordinates(model: SpineModel, y: number, z: number, out: Float64Array): void {
  const curve = model.curve;
  const slopes = model.slope;
  const last = curve.length - 1;
  // Nearest point of the curve: u = z + (y - f(u)) f'(u), by fixed-point iteration (the curve is gentle).
  let u = z;
  let f = 0;
  let slope = 0;
  for (let iteration = 0; iteration < 2; iteration += 1) {
    const position = (u - model.zMin) / TABLE_STEP;
    let k = position | 0;
    k = k < 0 ? 0 : k >= last ? last - 1 : k;
    const t = position - k;
    f = curve[k]! + (curve[k + 1]! - curve[k]!) * t;
    slope = slopes[k]!;
    u = z + (y - f) * slope;
  }
  const position = (u - model.zMin) / TABLE_STEP;
  let k = position | 0;
  k = k < 0 ? 0 : k >= last ? last - 1 : k;
  f = curve[k]! + (curve[k + 1]! - curve[k]!) * (position - k);
  out[0] = u;
  out[1] = (y - f - slope * (z - u)) / Math.sqrt(1 + slope * slope);
}

/** The cord centre at height u, in the anatomy frame. */
export function cordPoint(model: SpineModel, u: number): Vec3 {
  return [0, curveAt(model, u), u];
}

/** The vertebral level of height u on the cord (null above C1 or below T12). */
export function levelAt(model: SpineModel, u: number): VertebralLevel | null {
  if (u > model.boundaries[0]! || u < model.boundaries[LEVELS.length]!) return null;
  let i = 0;
  while (i < LEVELS.length - 1 && u < model.boundaries[i + 1]!) i += 1;
  return LEVELS[i]!;
}

/** The height u at a fraction (0 = top, 1 = bottom) of a level's segment. */
export function heightInLevel(model: SpineModel, level: number, fraction: number): number {
  const top = model.boundaries[level]!;
  const bottom = model.boundaries[level + 1]!;
  return top + (bottom - top) * fraction;
}

/** Length (mm) along the cord between two heights. */
export function cordArcLength(model: SpineModel, uLow: number, uHigh: number): number {
  const steps = Math.max(8, Math.ceil((uHigh - uLow) / 0.25));
  const h = (uHigh - uLow) / steps;
  let length = 0;
  for (let i = 0; i < steps; i += 1) {
    const a = uLow + i * h;
    length += Math.hypot(h, curveAt(model, a + h) - curveAt(model, a));
  }
  return length;
}

/** Cord radii (AP, LR) at height u. */
export function cordRadii(model: SpineModel, u: number): [number, number] {
  const k = tableIndex(model, u);
  return [model.cordRv[k]!, model.cordRw[k]!];
}

/**
 * Signal of the spine phantom at a point given in spine coordinates (u, v, w),
 * before lesions, coil shading and noise.
 */
export function spineSignal(model: SpineModel, u: number, v: number, w: number, c: Float64Array): number {
  const k = tableIndex(model, u);
  const top = model.boundaries[0]!;
  const bottom = model.boundaries[LEVELS.length]!;
  const aw = w < 0 ? -w : w;
  const neck = smooth01((u - (model.boundaries[7]! + 4)) / 30); // 1 above T1, 0 in the chest
  // Body outline: posterior skin, anterior skin of the neck (the chest reaches beyond the field of view).
  const back = 58 + 14 * (1 - neck) + (u > top ? (u - top) * 0.2 : 0);
  const front = -72 * neck - 240 * (1 - neck);
  const body = ramp(back - v) * ramp(v - front) * ramp(60 - aw, 4);
  if (body <= 0) return c[AIR]!;
  let value = mix(c[AIR]!, c[SOFT]!, body);
  value = mix(value, c[FAT]!, ramp(v - (back - 9)) * body);
  value = mix(value, c[FAT]!, ramp(front + 7 - v) * body * neck);
  const canalRv = model.canalRv[k]!;
  const canalRw = model.canalRw[k]!;
  if (u > top) {
    return headOfSpine(model, u, v, w, value, c);
  }
  // Paraspinal muscles.
  value = mix(value, c[MUSCLE]!, ramp(v - canalRv - 3) * ramp(back - 10 - v) * ramp(45 - aw, 3));
  // Chest: lungs beside the spine, aorta in front of it on the left.
  if (neck < 1) {
    const chest = 1 - neck;
    value = mix(value, c[AIR]!, chest * ramp(aw - model.bodyHalfWidth[k]! - 6, 3) * ramp(-8 - v, 3) * ramp(u - bottom + 20, 10));
    const aortaV = -(canalRv + model.bodyDepth[k]! + 14);
    const dv = v - aortaV;
    const dw = w - 14;
    const d2 = dv * dv + dw * dw;
    if (d2 < 121) value = mix(value, c[FLOW_VOID]!, chest * ramp(10 - Math.sqrt(d2)) * ramp(model.boundaries[10]! - u, 10));
  }
  if (u > model.boundaries[11]! && v < 2 - canalRv - model.bodyDepth[k]!) {
    // Neck and upper chest: trachea and oesophagus in front of the cervical spine.
    const tracheaV = -(canalRv + model.bodyDepth[k]! + 24);
    const dv = v - tracheaV;
    value = mix(value, c[MUSCLE]!, ramp(7 - Math.sqrt((v + canalRv + model.bodyDepth[k]! + 9) ** 2 + w * w)));
    value = mix(value, c[AIR]!, ramp(8 - Math.sqrt(dv * dv + w * w)) * ramp(u - model.boundaries[11]!, 4) * ramp(model.boundaries[5]! - u, 4));
  }
  const level = model.level[k]!;
  if (level >= 0 && level < LEVELS.length) {
    const segTop = model.boundaries[level]!;
    const segBottom = model.boundaries[level + 1]!;
    const disc = model.discHeight[k]!;
    const { nextDisc, bodyCentre, bodyHalfHeight } = bodySpan(model, level);
    const depth = model.bodyDepth[k]!;
    const halfWidth = model.bodyHalfWidth[k]!;
    const bodyBack = -(canalRv + 1.8);
    const bodyMidV = bodyBack - depth / 2;
    // Vertebral body: a rounded box with a cortical rim and marrow inside.
    const bu = (u - bodyCentre) / bodyHalfHeight;
    const bv = (v - bodyMidV) / (depth / 2);
    const bw = w / halfWidth;
    const k4 = bu * bu * bu * bu + bv * bv * bv * bv + bw * bw * bw * bw;
    if (k4 < 1.6) {
      const inside = (1 - Math.sqrt(Math.sqrt(k4))) * Math.min(bodyHalfHeight, depth / 2);
      value = mix(value, c[BONE]!, ramp(inside));
      value = mix(value, c[MARROW]!, ramp(inside - 1.1));
    }
    // Discs: at the top boundary of this segment and at its bottom boundary.
    value = discSignal(value, u, v, w, segTop, disc, bodyMidV, depth, halfWidth, c);
    value = discSignal(value, u, v, w, segBottom, nextDisc, bodyMidV, depth, halfWidth, c);
    if (level === 1) {
      // The dens of C2 rises into the ring of C1.
      value = mix(value, c[MARROW]!, ellipsoid(u, v, w, segTop + 9, bodyBack - 5, 0, 9, 4.5, 5));
    }
    // Posterior elements: pedicles, laminae, and a spinous process angled downwards.
    const elementCentre = bodyCentre - 1.5;
    const elementHalf = bodyHalfHeight * 0.8;
    const inSegment = ramp(elementHalf - Math.abs(u - elementCentre));
    if (inSegment > 0 && v > bodyBack - 1 && v < canalRv + 7 && aw < canalRw + 6) {
      const pedicle = ramp(v - bodyBack + 1) * ramp(canalRv + 1 - v) * ramp(aw - canalRw - 0.5) * ramp(canalRw + 5 - aw);
      const lamina = ramp(v - canalRv - 0.5) * ramp(canalRv + 6 - v) * ramp(canalRw + 4 - aw);
      value = mix(value, c[BONE]!, Math.max(pedicle, lamina) * inSegment);
      value = mix(value, c[MARROW]!, Math.max(pedicle, lamina) * ramp(elementHalf - 1.2 - Math.abs(u - elementCentre)) * 0.8);
    }
    const thoracic = level >= 7 ? 1 : 0;
    const spinousLength = 22 + 14 * thoracic;
    const tilt = 0.25 + 0.55 * thoracic;
    const sv = v - (canalRv + 5);
    if (sv > 0 && sv < spinousLength + 1 && aw < 4.5) {
      const su = u - (bodyCentre - 2 - tilt * sv);
      const spinous = ramp(5 - Math.abs(su)) * ramp(spinousLength - sv) * ramp(3.5 - aw);
      value = mix(value, c[BONE]!, spinous);
      value = mix(value, c[MARROW]!, spinous * ramp(3.8 - Math.abs(su)) * ramp(2.3 - aw) * 0.8);
    }
  }
  // Canal (CSF) and cord.
  if (v > -canalRv - 1 && v < canalRv + 2 && aw < canalRw + 1) {
    const cv = (v - 0.4) / canalRv;
    const cw = w / canalRw;
    const canal = ramp((1 - Math.sqrt(cv * cv + cw * cw)) * canalRv);
    value = mix(value, c[CSF]!, canal * ramp(u - bottom + 40, 5));
    const rv = model.cordRv[k]!;
    const rw = model.cordRw[k]!;
    const qv = v / rv;
    const qw = w / rw;
    // The cord ends (conus) below T12.
    value = mix(value, c[CORD]!, ramp((1 - Math.sqrt(qv * qv + qw * qw)) * rv) * ramp(u - bottom + 25, 6));
  }
  return value;
}

/** The vertebral body of a level (index into LEVELS) along u: its centre and half height, and the height of the disc below it. */
function bodySpan(model: SpineModel, level: number): { nextDisc: number; bodyCentre: number; bodyHalfHeight: number } {
  // Discs sit on the segment boundaries: the one above this body (DISC_HEIGHT of this level) and the one below (of the next).
  // Rounded as SpineModel.discHeight stores it (float32), so that the phantom draws exactly what it drew before this function.
  const disc = Math.fround(DISC_HEIGHT[level]! * model.anatomy.lengthScale);
  const nextDisc = level + 1 < LEVELS.length ? (DISC_HEIGHT[level + 1] ?? 0) * model.anatomy.lengthScale : 0;
  const bodyTop = model.boundaries[level]! - disc / 2;
  const bodyBottom = model.boundaries[level + 1]! + nextDisc / 2;
  return { nextDisc, bodyCentre: (bodyTop + bodyBottom) / 2, bodyHalfHeight: (bodyTop - bodyBottom) / 2 };
}

/** The centre of a level's vertebral body (index into LEVELS) in the anatomy frame, where spineSignal draws it: in front of the canal, on the midline. */
export function vertebralBodyCentre(model: SpineModel, level: number): Vec3 {
  const u = bodySpan(model, level).bodyCentre;
  const k = tableIndex(model, u);
  const v = -(model.canalRv[k]! + 1.8) - model.bodyDepth[k]! / 2;
  // v is measured from the cord's curve y = f(u) along its normal, towards posterior (+y).
  const slope = model.slope[k]!;
  const scale = 1 / Math.sqrt(1 + slope * slope);
  return [0, curveAt(model, u) + v * scale, u - slope * v * scale];
}

/** An intervertebral disc centred on a segment boundary: dark annulus, bright nucleus. */
function discSignal(value: number, u: number, v: number, w: number, centre: number, height: number, bodyMidV: number, depth: number, halfWidth: number, c: Float64Array): number {
  if (height <= 0 || u > centre + height / 2 + 1 || u < centre - height / 2 - 1) return value;
  const du = (u - centre) / (height / 2);
  const dv = (v - bodyMidV) / (depth / 2 - 0.5);
  const dw = w / (halfWidth - 0.5);
  const r4 = du * du * du * du + dv * dv * dv * dv + dw * dw * dw * dw;
  if (r4 >= 1.5) return value;
  const inside = (1 - Math.sqrt(Math.sqrt(r4))) * Math.min(height / 2, depth / 2);
  value = mix(value, c[ANNULUS]!, ramp(inside));
  const nv = (v - bodyMidV) / (depth * 0.3);
  const nw = w / (halfWidth * 0.6);
  const nu = (u - centre) / (height * 0.38);
  return mix(value, c[DISC]!, ramp((1 - Math.sqrt(nu * nu + nv * nv + nw * nw)) * 2));
}

/** Above C1: medulla widening towards the pons, cisterna magna, cerebellum, clivus and occipital bone. */
function headOfSpine(model: SpineModel, u: number, v: number, w: number, value: number, c: Float64Array): number {
  const top = model.boundaries[0]!;
  const above = u - top;
  const aw = w < 0 ? -w : w;
  value = mix(value, c[MUSCLE]!, ramp(v - 12) * ramp(50 - v) * ramp(40 - above, 4));
  value = mix(value, c[BONE]!, ramp(above - 2) * ramp(v - 50 + 0.5 * above) * ramp(56 - 0.5 * above - v));
  value = mix(value, c[CSF]!, ellipsoid(u, v, aw, top + 14, 12, 0, 16, 9, 20));
  const folia = fastSin(0.9 * (u + 0.2 * aw));
  const cerebellum = mix(c[GM]!, c[CSF]!, ramp(0.2 - Math.abs(folia), 0.25));
  value = mix(value, cerebellum, ellipsoid(u, v, aw, top + 40, 30, 22, 30, 22, 40));
  value = mix(value, c[BONE]!, ramp(4 - Math.abs(v + 16 + 0.45 * above)) * ramp(above - 3));
  const rv = Math.min(10, 4.4 + 0.22 * above);
  const rw = Math.min(13, 5.6 + 0.25 * above);
  const qv = v / rv;
  const qw = w / rw;
  value = mix(value, c[CORD]!, ramp((1 - Math.sqrt(qv * qv + qw * qw)) * rv));
  return value;
}
