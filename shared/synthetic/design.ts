// The design of a synthetic NMOSD trial: participants, their visits (dates,
// head and body position), and their lesions with a size and shape at every
// visit. A pure function of (seed, participant index): the same seed always
// designs the same trial, and participants are designed independently, so a
// large trial can be streamed one participant at a time.
import type { Difficulty } from '../contract/settings';
import { DEFAULT_CHARTER_RULES } from './charter';
import {
  chiasmCentre,
  CHIASM_RADII,
  cordArcLength,
  cordPoint,
  headSignal,
  heightInLevel,
  LEVELS,
  levelAt,
  nerveLength,
  nervePoint,
  spineModel,
  TISSUE_COUNT,
  WM,
  type HeadAnatomy,
  type Side,
  type SpineAnatomy,
  type SpineModel,
  type VertebralLevel,
} from './anatomy';
import { Rng } from './random';
import { HEAD_CENTRE, SPINE_FIELD_CENTRE, type Region } from './series';
import { roundPoint, roundTo } from '../rounding';
import type { RigidMotion, Vec3 } from '../vector';

export const VISITS = [
  { code: 'W0', week: 0 },
  { code: 'W12', week: 12 },
  { code: 'W24', week: 24 },
  { code: 'W52', week: 52 },
] as const;
export type VisitCode = (typeof VISITS)[number]['code'];

export const MAX_SUBJECTS = 999;

/**
 * How hard the trial is to read. standard: the demo trial, every lesion and change well clear of the charter's
 * thresholds. hard (qualification sets): brain lesions that neither grow nor shrink are 3.5 to 5 mm across, just
 * above the 3 mm minimum; enlarging brain lesions grow by 57% to 69% and 3.5 mm or more, just past the 50% and
 * 3 mm rules; the head moves up to 6 degrees and 8 mm between visits and the body up to 2.5 degrees and 7 mm,
 * against 3 degrees, 4 mm and 1.2 degrees, 4 mm. Cord and optic lesions are designed as in standard. The truth
 * stays unambiguous: every size and change still clears the thresholds, by the smaller margins below.
 */
export type { Difficulty };

/** The seed participants are designed and named from: another difficulty designs other images from the same seed, under other UIDs. */
export function designSeedOf(seed: string, difficulty: Difficulty): string {
  return difficulty === 'standard' ? seed : `${seed}|${difficulty}`;
}

interface DifficultyParameters {
  /** Follow-up visits' positioning: the largest rotation (degrees, about each axis) and translation (mm, along each). */
  headMotion: { degrees: number; mm: number };
  spineMotion: { degrees: number; mm: number };
  /** Longest diameter (mm) of a brain lesion that neither grows nor shrinks, and of one that will grow, and by how much it grows. */
  brainDiameterMm: readonly [number, number];
  growingDiameterMm: readonly [number, number];
  growth: readonly [number, number];
  /** A stable lesion's size at each visit is its reference size times a factor in this range. */
  remeasured: readonly [number, number];
  margins: AmbiguityMargins;
}

/** How far clear of the charter's thresholds every size and change must be: above the minimum by `presentMm`; a change beyond both enlarging rules by `ratio` and `mm`. */
export interface AmbiguityMargins {
  presentMm: number;
  ratio: number;
  mm: number;
}

const DIFFICULTY: Readonly<Record<Difficulty, DifficultyParameters>> = {
  standard: {
    headMotion: { degrees: 3, mm: 4 },
    spineMotion: { degrees: 1.2, mm: 4 },
    brainDiameterMm: [4.8, 11],
    growingDiameterMm: [5.2, 7],
    growth: [1.9, 2.3],
    remeasured: [0.965, 1.035],
    margins: { presentMm: 1, ratio: 0.25, mm: 1 },
  },
  hard: {
    headMotion: { degrees: 6, mm: 8 },
    spineMotion: { degrees: 2.5, mm: 7 },
    brainDiameterMm: [3.5, 5],
    growingDiameterMm: [6.2, 7.2],
    // 1.6 x 0.99 / 1.01 = 1.568 at least: past 1.5 by the hard margin of 0.05; 6.2 mm x 0.568 = 3.5 mm past 3 mm.
    growth: [1.6, 1.66],
    remeasured: [0.99, 1.01],
    margins: { presentMm: 0.3, ratio: 0.05, mm: 0.3 },
  },
};

export type LesionShape =
  /** A brain lesion: an ellipsoid with axes along the anatomy frame's axes. */
  | { kind: 'ellipsoid'; centre: Vec3; semiAxes: Vec3 }
  /** A cord lesion: the cord's cross-section between two heights u (mm, along the cord's curve). */
  | { kind: 'cord'; uTop: number; uBottom: number }
  /** An optic nerve lesion: the nerve between fractions t0 and t1 of its length (0 = globe, 1 = chiasm centre). */
  | { kind: 'optic'; side: Side; t0: number; t1: number };

export type Scenario = 'stable' | 'new' | 'new-then-enlarging' | 'enlarging' | 'shrinking' | 'resolved' | 'new-then-resolved';

export interface LesionVisitDesign {
  present: boolean;
  /** Longest diameter (mm) when present, 0 when absent. Cord: length along the cord; optic: length along the nerve. */
  longestDiameterMm: number;
  /** The lesion's shape (when absent: where it was or will be, for reference). */
  shape: LesionShape;
  /** Centre in the participant's anatomy frame (mm, LPS). */
  centre: Vec3;
}

export interface LesionDesign {
  /** Trial-wide identity, e.g. "001-brain-3". */
  id: string;
  region: Region;
  /** 1-based number within its participant and region. */
  number: number;
  label: string;
  scenario: Scenario;
  /** What the design intends, e.g. "new at W12, enlarging at W24". */
  story: string;
  visits: LesionVisitDesign[];
}

export interface StudyDesign {
  visit: VisitCode;
  week: number;
  /** Days after the baseline study. */
  dayOffset: number;
  /** DICOM date (YYYYMMDD) and time (HHMMSS). */
  date: string;
  time: string;
  /** Where the head lay (anatomy frame -> scanner coordinates). */
  headMotion: RigidMotion;
  /** Where the body lay for the spine series. */
  spineMotion: RigidMotion;
}

export interface ParticipantDesign {
  index: number;
  /** Trial subject code, e.g. "001". */
  subject: string;
  patientId: string;
  patientName: string;
  birthDate: string;
  sex: 'F' | 'M';
  head: HeadAnatomy;
  spine: SpineAnatomy;
  studies: StudyDesign[];
  lesions: LesionDesign[];
}

export interface TrialDesign {
  seed: string;
  participants: ParticipantDesign[];
}

export function subjectCode(index: number): string {
  return String(index + 1).padStart(3, '0');
}

/** PatientID of participant `index` (0-based); also the name of its folder. */
export function patientIdOf(index: number): string {
  return `NMO-${subjectCode(index)}`;
}

export function designTrial(seed: string, subjects: number, difficulty: Difficulty = 'standard'): TrialDesign {
  if (!Number.isInteger(subjects) || subjects < 1 || subjects > MAX_SUBJECTS) throw new RangeError(`subjects must be a whole number from 1 to ${MAX_SUBJECTS}`);
  return { seed, participants: Array.from({ length: subjects }, (_, index) => designParticipant(seed, index, difficulty)) };
}

// ---------------------------------------------------------------------------
// Dates, demographics and positioning.

const ENROLMENT_START = Date.UTC(2023, 3, 3); // 2023-04-03
const DAY_MS = 86_400_000;

export function dicomDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10).replaceAll('-', '');
}

function clock(rng: Rng, fromHour: number, toHour: number): string {
  const minutes = rng.int(fromHour * 60, toHour * 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}${String(minutes % 60).padStart(2, '0')}00`;
}

function motion(rng: Rng, maxDegrees: number, maxMm: number, centre: Vec3): RigidMotion {
  const round = (value: number) => roundTo(value, 2);
  return {
    rotationDeg: [round(rng.range(-maxDegrees, maxDegrees)), round(rng.range(-maxDegrees, maxDegrees)), round(rng.range(-maxDegrees, maxDegrees))],
    translationMm: [round(rng.range(-maxMm, maxMm)), round(rng.range(-maxMm, maxMm)), round(rng.range(-maxMm, maxMm))],
    centreMm: centre,
  };
}

export function designParticipant(seed: string, index: number, difficulty: Difficulty = 'standard'): ParticipantDesign {
  const parameters = DIFFICULTY[difficulty];
  const subject = subjectCode(index);
  const people = new Rng(`${seed}|participant ${index}|demographics`);
  const birthYear = people.int(1962, 1998);
  const birthDate = dicomDate(Date.UTC(birthYear, people.int(0, 11), people.int(1, 28)));
  const sex = people.chance(0.85) ? 'F' : 'M';
  const head: HeadAnatomy = { scale: [roundTo(people.range(0.965, 1.035), 3), roundTo(people.range(0.965, 1.035), 3), roundTo(people.range(0.965, 1.035), 3)] };
  const spine: SpineAnatomy = { lengthScale: roundTo(people.range(0.965, 1.035), 3) };

  const schedule = new Rng(`${seed}|participant ${index}|schedule`);
  const baseline = ENROLMENT_START + (index * 9 + schedule.int(0, 6)) * DAY_MS;
  const studies: StudyDesign[] = VISITS.map((visit, visitIndex) => {
    const dayOffset = visit.week * 7 + (visitIndex === 0 ? 0 : schedule.int(-3, 3));
    const follow = visitIndex > 0;
    return {
      visit: visit.code,
      week: visit.week,
      dayOffset,
      date: dicomDate(baseline + dayOffset * DAY_MS),
      time: clock(schedule, 8, 17),
      headMotion: motion(schedule, follow ? parameters.headMotion.degrees : 1.5, follow ? parameters.headMotion.mm : 2, HEAD_CENTRE),
      spineMotion: motion(schedule, follow ? parameters.spineMotion.degrees : 0.6, follow ? parameters.spineMotion.mm : 2, SPINE_FIELD_CENTRE),
    };
  });

  const lesions = designLesions(seed, index, subject, head, spine, parameters);
  return { index, subject, patientId: patientIdOf(index), patientName: `SYNTHETIC^SUBJECT${subject}`, birthDate, sex, head, spine, studies, lesions };
}

// ---------------------------------------------------------------------------
// Lesion plans: when a lesion is there and how its size changes.

interface Plan {
  region: Region;
  scenario: Scenario;
  /** Visit index where it first appears (0 = baseline). */
  onset: number;
  /** Visit index where it enlarges, shrinks or resolves. */
  change?: number;
  /** Optic nerve: side, longer than half the nerve, reaching the chiasm. Cord: longitudinally extensive. */
  side?: Side;
  long?: boolean;
  chiasm?: boolean;
}

/** Size class per visit: 0 absent, 1 the lesion's reference size, 'up' enlarged, 'down' shrunk. */
type SizeClass = 0 | 1 | 'up' | 'down';

function sizeClasses(plan: Plan): SizeClass[] {
  return VISITS.map((_, visit): SizeClass => {
    if (visit < plan.onset) return 0;
    const changed = plan.change !== undefined && visit >= plan.change;
    switch (plan.scenario) {
      case 'stable':
      case 'new':
        return 1;
      case 'new-then-enlarging':
      case 'enlarging':
        return changed ? 'up' : 1;
      case 'shrinking':
        return changed ? 'down' : 1;
      case 'resolved':
      case 'new-then-resolved':
        return changed ? 0 : 1;
    }
  });
}

function story(plan: Plan): string {
  const at = (visit: number | undefined) => VISITS[visit ?? 0]!.code;
  const start = plan.onset === 0 ? 'present at baseline' : `new at ${at(plan.onset)}`;
  switch (plan.scenario) {
    case 'stable':
      return `${start}, stable`;
    case 'new':
      return start;
    case 'new-then-enlarging':
    case 'enlarging':
      return `${start}, enlarging at ${at(plan.change)}`;
    case 'shrinking':
      return `${start}, shrinking at ${at(plan.change)}`;
    case 'resolved':
    case 'new-then-resolved':
      return `${start}, resolved at ${at(plan.change)}`;
  }
}

/** Participant 001 shows every case DOMAIN.md names, so a one-participant demo has them all. */
const SHOWCASE: readonly Plan[] = [
  { region: 'brain', scenario: 'stable', onset: 0 },
  { region: 'brain', scenario: 'new-then-enlarging', onset: 1, change: 2 },
  { region: 'brain', scenario: 'enlarging', onset: 0, change: 3 },
  { region: 'brain', scenario: 'shrinking', onset: 0, change: 2 },
  { region: 'brain', scenario: 'resolved', onset: 0, change: 2 },
  { region: 'brain', scenario: 'new', onset: 3 },
  { region: 'spinal_cord', scenario: 'stable', onset: 0, long: true },
  { region: 'spinal_cord', scenario: 'new-then-enlarging', onset: 1, change: 2 },
  { region: 'optic_nerve', scenario: 'new', onset: 1, side: 'right', long: true },
  { region: 'optic_nerve', scenario: 'stable', onset: 0, side: 'left', long: false },
  { region: 'optic_nerve', scenario: 'new', onset: 3, side: 'left', chiasm: true },
];

function randomPlans(rng: Rng): Plan[] {
  const plans: Plan[] = [];
  // Lesions from before the trial: mostly stable, some shrink or resolve on treatment.
  const baselineBrain = rng.int(0, 3);
  for (let i = 0; i < baselineBrain; i += 1) {
    const roll = rng.float();
    if (roll < 0.18) plans.push({ region: 'brain', scenario: 'shrinking', onset: 0, change: rng.int(1, 3) });
    else if (roll < 0.28) plans.push({ region: 'brain', scenario: 'resolved', onset: 0, change: rng.int(1, 3) });
    else plans.push({ region: 'brain', scenario: 'stable', onset: 0 });
  }
  if (rng.chance(0.6)) plans.push({ region: 'spinal_cord', scenario: rng.chance(0.2) ? 'shrinking' : 'stable', onset: 0, change: rng.int(1, 3), long: rng.chance(0.75) });
  if (rng.chance(0.4)) plans.push({ region: 'optic_nerve', scenario: 'stable', onset: 0, side: rng.chance(0.5) ? 'left' : 'right', long: rng.chance(0.3) });
  // Disease activity during the trial, in about half of the participants.
  if (rng.chance(0.5)) {
    const events = rng.int(1, 3);
    for (let i = 0; i < events; i += 1) {
      const roll = rng.float();
      const region: Region = roll < 0.45 ? 'brain' : roll < 0.78 ? 'spinal_cord' : 'optic_nerve';
      const kind = rng.float();
      let plan: Plan;
      if (kind < 0.5) plan = { region, scenario: 'new', onset: rng.int(1, 3) };
      else if (kind < 0.7) {
        const onset = rng.int(1, 2);
        plan = { region, scenario: 'new-then-enlarging', onset, change: rng.int(onset + 1, 3) };
      } else if (kind < 0.9) plan = { region, scenario: 'enlarging', onset: 0, change: rng.int(1, 3) };
      else {
        const onset = rng.int(1, 2);
        plan = { region, scenario: 'new-then-resolved', onset, change: rng.int(onset + 1, 3) };
      }
      if (region === 'optic_nerve') {
        plan.side = rng.chance(0.5) ? 'left' : 'right';
        const shape = rng.float();
        plan.chiasm = shape < 0.2;
        plan.long = shape >= 0.2 && shape < 0.5;
      }
      if (region === 'spinal_cord') plan.long = rng.chance(0.5);
      plans.push(plan);
    }
  }
  return plans;
}

// ---------------------------------------------------------------------------
// Unambiguous sizes: every pair of visits where the lesion is present differs
// either clearly not at all or clearly beyond every threshold of the rules,
// whether the charter needs both enlarging rules or either one.

const { minRelativeIncrease, minAbsoluteIncreaseMm } = DEFAULT_CHARTER_RULES.enlarging;
/** Re-measuring an unchanged lesion: within 10% and 1 mm short of the absolute rule. */
const STABLE_RATIO = 1.1;
const STABLE_MM = minAbsoluteIncreaseMm - 1;

/** Null when every pair of present sizes is clear of the charter thresholds by the margins (the standard trial's by default); otherwise why not. */
export function ambiguity(sizes: readonly number[], margins: AmbiguityMargins = DIFFICULTY.standard.margins): string | null {
  const minPresentMm = DEFAULT_CHARTER_RULES.minLesionSizeMm + margins.presentMm;
  // A change is clear when it beats both enlarging rules by the margins (growing, or mirrored, shrinking).
  const clearRatio = 1 + minRelativeIncrease + margins.ratio;
  const clearMm = minAbsoluteIncreaseMm + margins.mm;
  for (const size of sizes) if (size > 0 && size < minPresentMm) return `a size of ${size.toFixed(1)} mm is too close to the ${DEFAULT_CHARTER_RULES.minLesionSizeMm} mm minimum`;
  for (let i = 0; i < sizes.length; i += 1) {
    for (let j = i + 1; j < sizes.length; j += 1) {
      const before = sizes[i]!;
      const after = sizes[j]!;
      if (before === 0 || after === 0) continue;
      const larger = Math.max(before, after);
      const smaller = Math.min(before, after);
      const stable = larger / smaller <= STABLE_RATIO && larger - smaller <= STABLE_MM;
      // Enlarging one way is shrinking the other: the same margins apply to both.
      const clearChange = larger / smaller >= clearRatio && larger - smaller >= clearMm;
      if (!stable && !clearChange) return `sizes ${before.toFixed(1)} -> ${after.toFixed(1)} mm are too close to a threshold`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------
// Realising plans as shapes.

interface Realised {
  shapes: LesionShape[];
  sizes: number[];
  centres: Vec3[];
}

const WM_ONLY = (() => {
  const contrast = new Float64Array(TISSUE_COUNT);
  contrast[WM] = 1;
  return contrast;
})();

function isDeepWhiteMatter(head: HeadAnatomy, centre: Vec3, radius: number): boolean {
  const r = radius;
  const d = radius / Math.sqrt(3);
  const probes: Vec3[] = [[0, 0, 0], [r, 0, 0], [-r, 0, 0], [0, r, 0], [0, -r, 0], [0, 0, r], [0, 0, -r]];
  for (const sx of [-1, 1]) for (const sy of [-1, 1]) for (const sz of [-1, 1]) probes.push([sx * d, sy * d, sz * d]);
  return probes.every((probe) => headSignal(centre[0] + probe[0], centre[1] + probe[1], centre[2] + probe[2], head, WM_ONLY) >= 0.98);
}

interface BrainPlaced {
  centre: Vec3;
  radius: number;
}

function realiseBrain(rng: Rng, classes: SizeClass[], head: HeadAnatomy, placed: BrainPlaced[], parameters: DifficultyParameters): Realised | null {
  const grows = classes.includes('up');
  const shrinks = classes.includes('down');
  // Shrinking lesions start large enough to shrink clear of both rules (to at most 1/1.75, by at least 4 mm) and still be cut by a slice.
  const diameter = grows ? rng.range(...parameters.growingDiameterMm) : shrinks ? rng.range(12, 15) : rng.range(...parameters.brainDiameterMm);
  const growth = rng.range(...parameters.growth);
  const shrink = rng.range(0.42, 0.5);
  const a = diameter / 2;
  const b = a * rng.range(0.6, 0.9);
  const smallest = shrinks ? shrink : 1;
  // The smallest semi-axis is along z (the slice direction, 4 mm apart): at least 2.4 mm, so the nearest slice cuts the lesion.
  const c = Math.min(a, Math.max(2.4 / smallest, a * rng.range(0.55, 0.85)));
  const semi: Vec3 = rng.chance(0.5) ? [a, b, c] : [b, a, c];
  const factors = classes.map((cls) => (cls === 0 ? 0 : (cls === 'up' ? growth : cls === 'down' ? shrink : 1) * rng.range(...parameters.remeasured)));
  const radius = a * Math.max(...factors) + 1.5;
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const centre: Vec3 = [roundTo(rng.range(-45, 45), 2), roundTo(rng.range(-55, 55), 2), roundTo(rng.range(-25, 58), 2)];
    if (placed.some((other) => Math.hypot(centre[0] - other.centre[0], centre[1] - other.centre[1], centre[2] - other.centre[2]) < radius + other.radius + 3)) continue;
    if (!isDeepWhiteMatter(head, centre, radius)) continue;
    placed.push({ centre, radius });
    const shapes = factors.map((factor): LesionShape => {
      const f = factor === 0 ? 1 : factor;
      return { kind: 'ellipsoid', centre, semiAxes: [roundTo(semi[0] * f, 2), roundTo(semi[1] * f, 2), roundTo(semi[2] * f, 2)] };
    });
    const sizes = shapes.map((shape, visit) => (factors[visit] === 0 || shape.kind !== 'ellipsoid' ? 0 : roundTo(2 * Math.max(...shape.semiAxes), 2)));
    return { shapes, sizes, centres: shapes.map(() => centre) };
  }
  return null;
}

interface CordExtent {
  upper: number;
  lower: number;
  top: number;
  bottom: number;
}

/** Cord extents span from a fraction of the upper level's segment to a fraction of the lower one's, never near a boundary. */
function cordExtent(rng: Rng, model: SpineModel, upper: number, lower: number): CordExtent {
  const single = upper === lower;
  const topFraction = single ? rng.range(0.2, 0.32) : rng.range(0.25, 0.75);
  const bottomFraction = single ? rng.range(0.68, 0.8) : rng.range(0.25, 0.75);
  return { upper, lower, top: heightInLevel(model, upper, topFraction), bottom: heightInLevel(model, lower, bottomFraction) };
}

const FIRST_CORD_LEVEL = 1; // C2
const LAST_CORD_LEVEL = LEVELS.length - 2; // T11

function realiseCord(rng: Rng, classes: SizeClass[], plan: Plan, model: SpineModel, placed: [number, number][]): Realised | null {
  const grows = classes.includes('up');
  const shrinks = classes.includes('down');
  for (let attempt = 0; attempt < 200; attempt += 1) {
    // Reference extent: short (one segment) or longitudinally extensive (3 to 6).
    const span = grows ? rng.int(1, 1) : shrinks ? rng.int(4, 6) : plan.long ? rng.int(3, 6) : 1;
    const upper = rng.int(FIRST_CORD_LEVEL, LAST_CORD_LEVEL - span + 1);
    const reference = cordExtent(rng, model, upper, upper + span - 1);
    let up: CordExtent | null = null;
    let down: CordExtent | null = null;
    if (grows) {
      const above = rng.int(0, 2);
      const below = rng.int(1, 3);
      const newUpper = Math.max(FIRST_CORD_LEVEL, upper - above);
      const newLower = Math.min(LAST_CORD_LEVEL, reference.lower + below);
      if (newLower - newUpper + 1 < 3) continue;
      up = cordExtent(rng, model, newUpper, newLower);
      if (up.top < reference.top || up.bottom > reference.bottom) continue;
    }
    if (shrinks) {
      const keep = rng.int(1, 2);
      const start = rng.int(reference.upper, reference.lower - keep + 1);
      down = cordExtent(rng, model, start, start + keep - 1);
    }
    const extents = classes.map((cls) => (cls === 'up' ? up! : cls === 'down' ? down! : reference));
    const shapes = extents.map((extent, visit): LesionShape => {
      // Stable visits are re-measured with a little jitter (a few tenths of a millimetre).
      const jitter = classes[visit] === 0 ? 0 : 0.3;
      return { kind: 'cord', uTop: roundTo(extent.top + rng.range(-jitter, jitter), 2), uBottom: roundTo(extent.bottom + rng.range(-jitter, jitter), 2) };
    });
    const low = Math.min(...shapes.map((shape) => (shape.kind === 'cord' ? shape.uBottom : 0)));
    const high = Math.max(...shapes.map((shape) => (shape.kind === 'cord' ? shape.uTop : 0)));
    if (placed.some(([otherLow, otherHigh]) => low < otherHigh + 12 && high > otherLow - 12)) continue;
    const sizes = shapes.map((shape, visit) => (classes[visit] === 0 || shape.kind !== 'cord' ? 0 : roundTo(cordArcLength(model, shape.uBottom, shape.uTop), 2)));
    if (ambiguity(sizes) !== null) continue;
    placed.push([low, high]);
    return { shapes, sizes, centres: shapes.map((shape) => (shape.kind === 'cord' ? roundPoint(cordPoint(model, (shape.uTop + shape.uBottom) / 2), 2) : [0, 0, 0])) };
  }
  return null;
}

/** Non-chiasmal optic lesions end before this fraction of the nerve; chiasmal ones reach its end (the chiasm centre). */
const OPTIC_MAX_T1 = 0.72;
const OPTIC_MIN_T0 = 0.06;

function realiseOptic(rng: Rng, classes: SizeClass[], plan: Plan, head: HeadAnatomy, placed: Record<Side, [number, number][]>): Realised | null {
  const grows = classes.includes('up');
  const shrinks = classes.includes('down');
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const side: Side = plan.side ?? (rng.chance(0.5) ? 'left' : 'right');
    let reference: [number, number];
    if (plan.chiasm && !grows && !shrinks) {
      const t0 = plan.long ? rng.range(0.3, 0.4) : rng.range(0.62, 0.76);
      reference = [t0, 1];
    } else if (grows) {
      const length = rng.range(0.16, 0.22);
      const t0 = rng.range(0.2, 0.45);
      reference = [t0, t0 + length];
    } else if (shrinks || plan.long) {
      const length = rng.range(0.57, 0.64);
      const t0 = rng.range(OPTIC_MIN_T0, OPTIC_MAX_T1 - length);
      reference = [t0, t0 + length];
    } else {
      const length = rng.range(0.16, 0.3);
      const t0 = rng.range(OPTIC_MIN_T0, OPTIC_MAX_T1 - length);
      reference = [t0, t0 + length];
    }
    let up: [number, number] | null = null;
    let down: [number, number] | null = null;
    if (grows) {
      const length = plan.long ? rng.range(0.57, 0.64) : rng.range(0.38, 0.43);
      const extra = length - (reference[1] - reference[0]);
      const before = Math.min(reference[0] - OPTIC_MIN_T0, extra * rng.range(0.2, 0.8));
      const t0 = reference[0] - before;
      const t1 = t0 + length;
      if (t1 > OPTIC_MAX_T1) continue;
      up = [t0, t1];
    }
    if (shrinks) {
      const length = rng.range(0.18, 0.26);
      const t0 = rng.range(reference[0], reference[1] - length);
      down = [t0, t0 + length];
    }
    const extents = classes.map((cls) => (cls === 'up' ? up! : cls === 'down' ? down! : reference));
    const shapes = extents.map((extent, visit): LesionShape => {
      const jitter = classes[visit] === 0 ? 0 : 0.005;
      const t0 = roundTo(extent[0] + rng.range(-jitter, jitter), 4);
      const t1 = extent[1] >= 1 ? 1 : roundTo(extent[1] + rng.range(-jitter, jitter), 4);
      return { kind: 'optic', side, t0, t1 };
    });
    const low = Math.min(...shapes.map((shape) => (shape.kind === 'optic' ? shape.t0 : 1)));
    const high = Math.max(...shapes.map((shape) => (shape.kind === 'optic' ? shape.t1 : 0)));
    const sameSide = placed[side];
    if (sameSide.some(([otherLow, otherHigh]) => low < otherHigh + 0.06 && high > otherLow - 0.06)) continue;
    // The chiasm is shared: one lesion at most reaches it.
    const other = placed[side === 'left' ? 'right' : 'left'];
    if (high >= 1 && other.some(([, otherHigh]) => otherHigh >= 1)) continue;
    const length = nerveLength(head, side);
    const sizes = shapes.map((shape, visit) => (classes[visit] === 0 || shape.kind !== 'optic' ? 0 : roundTo((shape.t1 - shape.t0) * length, 2)));
    if (ambiguity(sizes) !== null) continue;
    sameSide.push([low, high]);
    return { shapes, sizes, centres: shapes.map((shape) => (shape.kind === 'optic' ? roundPoint(nervePoint(head, shape.side, (shape.t0 + shape.t1) / 2), 2) : [0, 0, 0])) };
  }
  return null;
}


const REGION_ORDER: readonly Region[] = ['brain', 'spinal_cord', 'optic_nerve'];
const REGION_WORDS: Readonly<Record<Region, string>> = { brain: 'brain', spinal_cord: 'spinal cord', optic_nerve: 'optic nerve' };

function designLesions(seed: string, index: number, subject: string, head: HeadAnatomy, spine: SpineAnatomy, parameters: DifficultyParameters): LesionDesign[] {
  const rng = new Rng(`${seed}|participant ${index}|lesions`);
  const plans = index === 0 ? [...SHOWCASE] : randomPlans(rng);
  const model = spineModel(spine);
  const brainPlaced: BrainPlaced[] = [];
  const cordPlaced: [number, number][] = [];
  const opticPlaced: Record<Side, [number, number][]> = { left: [], right: [] };
  const made: { plan: Plan; realised: Realised }[] = [];
  for (const plan of plans) {
    const classes = sizeClasses(plan);
    let realised: Realised | null = null;
    for (let attempt = 0; attempt < 20 && realised === null; attempt += 1) {
      const candidate =
        plan.region === 'brain' ? realiseBrain(rng, classes, head, brainPlaced, parameters) : plan.region === 'spinal_cord' ? realiseCord(rng, classes, plan, model, cordPlaced) : realiseOptic(rng, classes, plan, head, opticPlaced);
      if (candidate && ambiguity(candidate.sizes, parameters.margins) === null) realised = candidate;
      else if (candidate && plan.region === 'brain') brainPlaced.pop();
    }
    // A plan that cannot be placed (no room left on that nerve, say) is dropped; the design stays deterministic.
    if (realised) made.push({ plan, realised });
  }
  // Number lesions per region in order of appearance.
  const lesions: LesionDesign[] = [];
  for (const region of REGION_ORDER) {
    const inRegion = made.filter((entry) => entry.plan.region === region).sort((a, b) => a.plan.onset - b.plan.onset);
    inRegion.forEach(({ plan, realised }, i) => {
      const number = i + 1;
      lesions.push({
        id: `${subject}-${region.replace('_', '-')}-${number}`,
        region,
        number,
        label: `${REGION_WORDS[region]} lesion ${number}`,
        scenario: plan.scenario,
        story: story(plan),
        visits: realised.shapes.map((shape, visit) => ({ present: realised.sizes[visit]! > 0, longestDiameterMm: realised.sizes[visit]!, shape, centre: realised.centres[visit]! })),
      });
    });
  }
  return lesions;
}

// ---------------------------------------------------------------------------
// Facts derived from shapes, for the truth file.

export interface CordFacts {
  upperLevel: VertebralLevel;
  lowerLevel: VertebralLevel;
  /** Vertebral segments spanned, upper and lower included. */
  segments: number;
  /** Three or more contiguous segments (LETM). */
  longitudinallyExtensive: boolean;
}

export function cordFacts(model: SpineModel, shape: Extract<LesionShape, { kind: 'cord' }>): CordFacts {
  const upperLevel = levelAt(model, shape.uTop);
  const lowerLevel = levelAt(model, shape.uBottom);
  if (!upperLevel || !lowerLevel) throw new Error('cord lesion outside C1-T12');
  const segments = LEVELS.indexOf(lowerLevel) - LEVELS.indexOf(upperLevel) + 1;
  return { upperLevel, lowerLevel, segments, longitudinallyExtensive: segments >= 3 };
}

export interface OpticFacts {
  side: Side;
  /** Fraction of the nerve's length (globe to chiasm) the lesion covers. */
  fractionOfNerve: number;
  /** Distance (mm) from the globe to the lesion's front and back ends. */
  fromGlobeMm: [number, number];
  moreThanHalfLength: boolean;
  involvesChiasm: boolean;
}

export function opticFacts(head: HeadAnatomy, shape: Extract<LesionShape, { kind: 'optic' }>): OpticFacts {
  const length = nerveLength(head, shape.side);
  const fraction = shape.t1 - shape.t0;
  return {
    side: shape.side,
    fractionOfNerve: roundTo(fraction, 4),
    fromGlobeMm: [roundTo(shape.t0 * length, 2), roundTo(shape.t1 * length, 2)],
    moreThanHalfLength: fraction > 0.5,
    involvesChiasm: shape.t1 >= chiasmEntry(head, shape.side),
  };
}

/** Fraction of a nerve's length where it enters the chiasm. */
export function chiasmEntry(head: HeadAnatomy, side: Side): number {
  const centre = chiasmCentre(head);
  const radii: Vec3 = [CHIASM_RADII[0] * head.scale[0], CHIASM_RADII[1] * head.scale[1], CHIASM_RADII[2] * head.scale[2]];
  for (let t = 0.5; t <= 1; t += 0.001) {
    const p = nervePoint(head, side, t);
    const k = ((p[0] - centre[0]) / radii[0]) ** 2 + ((p[1] - centre[1]) / radii[1]) ** 2 + ((p[2] - centre[2]) / radii[2]) ** 2;
    if (k <= 1) return roundTo(t, 4);
  }
  return 1;
}

