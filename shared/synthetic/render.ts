// Renders one slice of a synthetic series into 16-bit pixels: the phantom
// seen through the visit's head or body position, the lesions present at
// that visit, coil shading and Rician noise. Pure and deterministic: the
// noise of each slice comes from its own seeded stream.
import {
  CONTRASTS,
  ellipsoidDistance,
  headSignal,
  LESION,
  nervePath,
  chiasmCentre,
  CHIASM_RADII,
  ramp,
  spineCoordinates,
  spineModel,
  spineSignal,
  cordRadii,
  type SpineModel,
} from './anatomy';
import type { LesionShape, ParticipantDesign } from './design';
import { gaussianNoiseTable, Rng } from './random';
import { sliceNormal, type SeriesProtocol } from './series';
import { dot, inverseMotionAffine, mulMatVec, transpose, type Vec3 } from '../vector';

/** Brightness added at a lesion's centre (relative to its plateau), so each lesion has a well-defined peak. */
const CORE_GAIN = 0.35;
/** Spread (mm) of that central peak. */
const CORE_SIGMA = 1.6;
/** Radius (mm) of an inflamed optic nerve segment. */
const OPTIC_LESION_RADIUS = 2.1;
const NOISE_MASK = 4095;

/** A lesion ready to paint: its shape in the anatomy frame and a bounding sphere for quick rejection. */
interface Paintable {
  shape: LesionShape;
  centre: Vec3;
  radius: number;
  // Optic nerve geometry (anatomy frame) for optic lesions.
  nerve?: { points: [Vec3, Vec3, Vec3]; first: number; total: number; chiasm: Vec3 | null; sign: number };
  // Cord lesion parameters in spine coordinates.
  cord?: { uc: number; hu: number; rv: number; rw: number };
}

export class SeriesRenderer {
  private readonly contrast: Float64Array;
  private readonly model: SpineModel | null;
  private readonly paintables: Paintable[];
  private readonly noise = gaussianNoiseTable();
  private readonly scratch = new Float64Array(2);
  private coarse = new Float32Array(0);
  private signal = new Float32Array(0);
  private widenedRows = new Float32Array(0);

  constructor(
    private readonly seed: string,
    private readonly participant: ParticipantDesign,
    private readonly visitIndex: number,
    private readonly protocol: SeriesProtocol,
    model?: SpineModel,
  ) {
    this.contrast = CONTRASTS[protocol.contrast];
    this.model = protocol.moves === 'spine' ? (model ?? spineModel(participant.spine)) : null;
    this.paintables = this.prepareLesions();
  }

  private prepareLesions(): Paintable[] {
    const head = this.protocol.moves === 'head';
    const result: Paintable[] = [];
    for (const lesion of this.participant.lesions) {
      const visit = lesion.visits[this.visitIndex]!;
      if (!visit.present) continue;
      const shape = visit.shape;
      if (head && shape.kind === 'ellipsoid') {
        result.push({ shape, centre: shape.centre, radius: Math.max(...shape.semiAxes) + 1 });
      } else if (head && shape.kind === 'optic') {
        const points = nervePath(this.participant.head, shape.side);
        const first = Math.hypot(points[1][0] - points[0][0], points[1][1] - points[0][1], points[1][2] - points[0][2]);
        const total = first + Math.hypot(points[2][0] - points[1][0], points[2][1] - points[1][1], points[2][2] - points[1][2]);
        const half = ((shape.t1 - shape.t0) * total) / 2;
        const chiasm = shape.t1 >= 1 ? chiasmCentre(this.participant.head) : null;
        result.push({ shape, centre: visit.centre, radius: half + OPTIC_LESION_RADIUS + (chiasm ? 12 : 2), nerve: { points, first, total, chiasm, sign: shape.side === 'left' ? 1 : -1 } });
      } else if (!head && shape.kind === 'cord' && this.model) {
        const uc = (shape.uTop + shape.uBottom) / 2;
        const [rv, rw] = cordRadii(this.model, uc);
        const hu = (shape.uTop - shape.uBottom) / 2;
        result.push({ shape, centre: visit.centre, radius: hu * 1.03 + 8, cord: { uc, hu, rv: rv * 0.78, rw: rw * 0.72 } });
      }
    }
    return result;
  }

  /** Fills `out` (rows x columns, row-major) with the slice at acquisition index `instanceIndex`. */
  render(instanceIndex: number, out: Uint16Array): void {
    const protocol = this.protocol;
    const slice = protocol.slices[instanceIndex];
    if (!slice) throw new RangeError(`no slice ${instanceIndex}`);
    const { rows, columns } = protocol;
    if (out.length !== rows * columns) throw new RangeError('output buffer has the wrong size');
    const study = this.participant.studies[this.visitIndex]!;
    const motion = protocol.moves === 'head' ? study.headMotion : study.spineMotion;
    const { matrix, offset } = inverseMotionAffine(motion);
    const across: Vec3 = [slice.rowDirection[0] * protocol.pixelSpacing[1], slice.rowDirection[1] * protocol.pixelSpacing[1], slice.rowDirection[2] * protocol.pixelSpacing[1]];
    const down: Vec3 = [slice.columnDirection[0] * protocol.pixelSpacing[0], slice.columnDirection[1] * protocol.pixelSpacing[0], slice.columnDirection[2] * protocol.pixelSpacing[0]];
    const acrossA = mulMatVec(matrix, across);
    const toAnatomy = (p: Vec3): Vec3 => {
      const m = mulMatVec(matrix, p);
      return [m[0] + offset[0], m[1] + offset[1], m[2] + offset[2]];
    };
    const head = this.participant.head;
    const model = this.model;
    const scratch = this.scratch;
    const c = this.contrast;

    // 1. Anatomy on every other pixel in each direction (as a scanner acquires
    // a smaller matrix and interpolates it).
    const coarseRows = (rows >> 1) + 1;
    const coarseColumns = (columns >> 1) + 1;
    if (this.coarse.length < coarseRows * coarseColumns) this.coarse = new Float32Array(coarseRows * coarseColumns);
    if (this.signal.length < rows * columns) this.signal = new Float32Array(rows * columns);
    const coarse = this.coarse;
    const signal = this.signal;
    for (let r = 0; r < coarseRows; r += 1) {
      const start = toAnatomy([slice.position[0] + down[0] * 2 * r, slice.position[1] + down[1] * 2 * r, slice.position[2] + down[2] * 2 * r]);
      let ax = start[0];
      let ay = start[1];
      let az = start[2];
      const rowOffset = r * coarseColumns;
      for (let col = 0; col < coarseColumns; col += 1) {
        if (model === null) {
          coarse[rowOffset + col] = headSignal(ax, ay, az, head, c);
        } else {
          spineCoordinates(model, ay, az, scratch);
          coarse[rowOffset + col] = spineSignal(model, scratch[0]!, scratch[1]!, ax, c);
        }
        ax += 2 * acrossA[0];
        ay += 2 * acrossA[1];
        az += 2 * acrossA[2];
      }
    }

    // 2. Interpolated to the full matrix: along each coarse row first, then between rows.
    if (this.widenedRows.length < coarseRows * columns) this.widenedRows = new Float32Array(coarseRows * columns);
    const widened = this.widenedRows;
    for (let r = 0; r < coarseRows; r += 1) {
      const from = r * coarseColumns;
      const to = r * columns;
      for (let col = 0; col < columns; col += 2) {
        const left = coarse[from + (col >> 1)]!;
        widened[to + col] = left;
        if (col + 1 < columns) widened[to + col + 1] = 0.5 * (left + coarse[from + (col >> 1) + 1]!);
      }
    }
    for (let r = 0; r < rows; r += 1) {
      const upper = (r >> 1) * columns;
      const rowOffset = r * columns;
      if ((r & 1) === 0) signal.set(widened.subarray(upper, upper + columns), rowOffset);
      else for (let col = 0; col < columns; col += 1) signal[rowOffset + col] = 0.5 * (widened[upper + col]! + widened[upper + columns + col]!);
    }

    // 3. Lesions at full resolution, each within the square its bounding sphere covers on this slice.
    const toScanner = transpose(matrix);
    for (const lesion of this.paintables) {
      const scanner = mulMatVec(toScanner, [lesion.centre[0] - offset[0], lesion.centre[1] - offset[1], lesion.centre[2] - offset[2]]);
      const relative: Vec3 = [scanner[0] - slice.position[0], scanner[1] - slice.position[1], scanner[2] - slice.position[2]];
      const distance = dot(relative, sliceNormal(slice));
      if (Math.abs(distance) > lesion.radius + 1) continue;
      const centreColumn = dot(relative, slice.rowDirection) / protocol.pixelSpacing[1];
      const centreRow = dot(relative, slice.columnDirection) / protocol.pixelSpacing[0];
      const firstColumn = Math.max(0, Math.floor(centreColumn - lesion.radius / protocol.pixelSpacing[1]) - 1);
      const lastColumn = Math.min(columns - 1, Math.ceil(centreColumn + lesion.radius / protocol.pixelSpacing[1]) + 1);
      const firstRow = Math.max(0, Math.floor(centreRow - lesion.radius / protocol.pixelSpacing[0]) - 1);
      const lastRow = Math.min(rows - 1, Math.ceil(centreRow + lesion.radius / protocol.pixelSpacing[0]) + 1);
      const radius2 = lesion.radius * lesion.radius;
      for (let r = firstRow; r <= lastRow; r += 1) {
        const start = toAnatomy([
          slice.position[0] + down[0] * r + across[0] * firstColumn,
          slice.position[1] + down[1] * r + across[1] * firstColumn,
          slice.position[2] + down[2] * r + across[2] * firstColumn,
        ]);
        let ax = start[0];
        let ay = start[1];
        let az = start[2];
        for (let col = firstColumn; col <= lastColumn; col += 1) {
          const dx = ax - lesion.centre[0];
          const dy = ay - lesion.centre[1];
          const dz = az - lesion.centre[2];
          if (dx * dx + dy * dy + dz * dz <= radius2 && (!lesion.cord || (ax < 9 && ax > -9))) {
            let u = 0;
            let v = 0;
            if (lesion.cord && model !== null) {
              spineCoordinates(model, ay, az, scratch);
              u = scratch[0]!;
              v = scratch[1]!;
            }
            const index = r * columns + col;
            signal[index] = paintLesion(lesion, ax, ay, az, u, v, signal[index]!, c[LESION]!);
          }
          ax += acrossA[0];
          ay += acrossA[1];
          az += acrossA[2];
        }
      }
    }

    // 4. Coil shading (a quadratic of the scanner position, stepped along each row) and Rician noise.
    const table = this.noise;
    const sigma = protocol.noise;
    const gain = protocol.gain;
    const shading = protocol.shading;
    const g = shading.gradient;
    const k = shading.curvature;
    const stepAlong = g[0] * across[0] + g[1] * across[1] + g[2] * across[2];
    const stepSquared = k * (across[0] * across[0] + across[1] * across[1] + across[2] * across[2]);
    // Noise: a 32-bit mulberry stream per slice, seeded from the slice's name, kept in a local for speed.
    let state = new Rng(`${this.seed}|${this.participant.subject}|${study.visit}|${protocol.role}|noise|${instanceIndex}`).next() | 0;
    for (let r = 0; r < rows; r += 1) {
      const sx = slice.position[0] + down[0] * r - shading.centre[0];
      const sy = slice.position[1] + down[1] * r - shading.centre[1];
      const sz = slice.position[2] + down[2] * r - shading.centre[2];
      let shade = 1 + g[0] * sx + g[1] * sy + g[2] * sz + k * (sx * sx + sy * sy + sz * sz);
      let change = stepAlong + 2 * k * (sx * across[0] + sy * across[1] + sz * across[2]) + stepSquared;
      const secondChange = 2 * stepSquared;
      const rowOffset = r * columns;
      for (let col = 0; col < columns; col += 1) {
        state = (state + 0x6d2b79f5) | 0;
        let draw = Math.imul(state ^ (state >>> 15), state | 1);
        draw ^= draw + Math.imul(draw ^ (draw >>> 7), draw | 61);
        draw ^= draw >>> 14;
        const real = signal[rowOffset + col]! * shade + sigma * table[draw & NOISE_MASK]!;
        const imaginary = sigma * table[(draw >>> 16) & NOISE_MASK]!;
        const value = (Math.sqrt(real * real + imaginary * imaginary) * gain + 0.5) | 0;
        out[rowOffset + col] = value > 65535 ? 65535 : value;
        shade += change;
        change += secondChange;
      }
    }
  }
}

function paintLesion(lesion: Paintable, ax: number, ay: number, az: number, u: number, v: number, signal: number, level: number): number {
  const shape = lesion.shape;
  let weight = 0;
  let core = 0;
  if (shape.kind === 'ellipsoid') {
    const dx = ax - shape.centre[0];
    const dy = ay - shape.centre[1];
    const dz = az - shape.centre[2];
    weight = ramp(-ellipsoidDistance(dx, dy, dz, shape.semiAxes[0], shape.semiAxes[1], shape.semiAxes[2]));
    core = (dx * dx + dy * dy + dz * dz) / (2 * CORE_SIGMA * CORE_SIGMA);
  } else if (shape.kind === 'cord' && lesion.cord) {
    const { uc, hu, rv, rw } = lesion.cord;
    const du = u - uc;
    weight = ramp(-ellipsoidDistance(du, v, ax, hu, rv, rw));
    core = (du * du + v * v + ax * ax) / (2 * CORE_SIGMA * CORE_SIGMA);
  } else if (shape.kind === 'optic' && lesion.nerve) {
    const { points, first, total, chiasm, sign } = lesion.nerve;
    // Nearest point on the nerve's two segments: distance along the nerve and from it.
    projectOnSegment(ax, ay, az, points[0], points[1]);
    const s0 = projection[0]!;
    const d0 = projection[1]!;
    projectOnSegment(ax, ay, az, points[1], points[2]);
    const s1 = projection[0]!;
    const d1 = projection[1]!;
    const along = d0 <= d1 ? s0 * first : first + s1 * (total - first);
    const radial = d0 <= d1 ? d0 : d1;
    const centreAlong = ((shape.t0 + shape.t1) / 2) * total;
    const half = ((shape.t1 - shape.t0) / 2) * total;
    const da = along - centreAlong;
    weight = ramp(-ellipsoidDistance(da, radial, 0, half + (chiasm ? 2 : 0), OPTIC_LESION_RADIUS, OPTIC_LESION_RADIUS));
    if (chiasm) {
      // A lesion reaching the chiasm takes its half of the chiasm too.
      const side = ramp((ax - chiasm[0]) * sign + 0.5);
      const inChiasm = ramp(-ellipsoidDistance(ax - chiasm[0], ay - chiasm[1], az - chiasm[2], CHIASM_RADII[0] + 0.4, CHIASM_RADII[1] + 0.4, CHIASM_RADII[2] + 0.4)) * side;
      if (inChiasm > weight) weight = inChiasm;
    }
    core = (da * da + radial * radial) / (2 * CORE_SIGMA * CORE_SIGMA);
  }
  if (weight <= 0) return signal;
  const target = level * (1 + CORE_GAIN * Math.exp(-core));
  return signal + (target - signal) * weight;
}

const projection = new Float64Array(2);

/** Projects a point on the segment a-b: writes [fraction along it, distance from it] into `projection`. */
function projectOnSegment(x: number, y: number, z: number, a: Vec3, b: Vec3): void {
  const ux = b[0] - a[0];
  const uy = b[1] - a[1];
  const uz = b[2] - a[2];
  let t = ((x - a[0]) * ux + (y - a[1]) * uy + (z - a[2]) * uz) / (ux * ux + uy * uy + uz * uz);
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const dx = x - a[0] - t * ux;
  const dy = y - a[1] - t * uy;
  const dz = z - a[2] - t * uz;
  projection[0] = t;
  projection[1] = Math.sqrt(dx * dx + dy * dy + dz * dz);
}
