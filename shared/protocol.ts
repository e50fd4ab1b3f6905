// The trial's reading protocol as data: visits, regions and the rules that
// suggest where an imported study and series belong. The app reads this; no
// component hard-codes a visit or a series name. Readers see and can edit
// the rules; every suggestion says which rule made it. The enums and the
// settings' shapes are the contract's (shared/contract/common.ts, settings.ts).
import { OrientationSchema, type Orientation, type Region, RegionSchema, type Sequence, type VertebralLevel, VertebralLevelSchema } from './contract/common';
import type { ClassificationRules, ScheduledVisit, VisitSchedule } from './contract/settings';

export type { Orientation, Region, Sequence, VertebralLevel } from './contract/common';
export type { ClassificationRules, RegionRule, ScheduledVisit, SequenceRule, VisitSchedule } from './contract/settings';

export const REGIONS: readonly Region[] = RegionSchema.options;
export const REGION_LABELS: Readonly<Record<Region, string>> = { brain: 'Brain', spinal_cord: 'Spinal cord', optic_nerve: 'Optic nerves' };

export const DEFAULT_SCHEDULE: VisitSchedule = {
  visits: [
    { code: 'W0', label: 'Week 0 (baseline)', week: 0, inEndpoint: false },
    { code: 'W12', label: 'Week 12', week: 12, inEndpoint: true },
    { code: 'W24', label: 'Week 24', week: 24, inEndpoint: true },
    { code: 'W52', label: 'Week 52', week: 52, inEndpoint: true },
  ],
  toleranceDays: 14,
};

export const UNSCHEDULED = 'UNS';

/** An unscheduled visit is named by its study date, so two of them never merge. */
export function unscheduledVisitCode(studyDate: string): string {
  return `${UNSCHEDULED}-${/^\d{8}$/.test(studyDate) ? studyDate : 'NODATE'}`;
}

/** Days since 1970-01-01 of a DICOM date (YYYYMMDD), or null when it is not a real date. */
export function dicomDateToDay(value: string): number | null {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const check = new Date(time);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return time / 86_400_000;
}

/** ISO date (YYYY-MM-DD) to days since 1970-01-01, or null. */
export function isoDateToDay(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  return match ? dicomDateToDay(`${match[1]}${match[2]}${match[3]}`) : null;
}

export type VisitSuggestion =
  | { kind: 'scheduled'; visitCode: string; dayOffset: number; daysFromTarget: number }
  | { kind: 'unscheduled'; dayOffset: number; reason: string }
  | { kind: 'unknown'; reason: string };

/** The scheduled visit nearest the study date, within the tolerance window; otherwise unscheduled. */
export function suggestVisit(studyDate: string, baselineDate: string, schedule: VisitSchedule = DEFAULT_SCHEDULE): VisitSuggestion {
  const study = dicomDateToDay(studyDate);
  const baseline = isoDateToDay(baselineDate);
  if (study === null) return { kind: 'unknown', reason: 'the study has no valid date' };
  if (baseline === null) return { kind: 'unknown', reason: 'the participant has no baseline date' };
  const dayOffset = study - baseline;
  let best: { visit: ScheduledVisit; distance: number } | null = null;
  for (const visit of schedule.visits) {
    const distance = Math.abs(dayOffset - visit.week * 7);
    if (best === null || distance < best.distance) best = { visit, distance };
  }
  if (best !== null && best.distance <= schedule.toleranceDays) {
    return { kind: 'scheduled', visitCode: best.visit.code, dayOffset, daysFromTarget: dayOffset - best.visit.week * 7 };
  }
  return { kind: 'unscheduled', dayOffset, reason: `day ${dayOffset} is outside every visit window (±${schedule.toleranceDays} days)` };
}

/** The plane a slice lies in, from ImageOrientationPatient; oblique when no axis dominates. */
export function classifyOrientation(orientation: readonly number[] | null, dominance = 0.8): Orientation | null {
  if (!orientation || orientation.length !== 6 || orientation.some((value) => !Number.isFinite(value))) return null;
  const [r0, r1, r2, c0, c1, c2] = orientation as [number, number, number, number, number, number];
  const normal = [r1 * c2 - r2 * c1, r2 * c0 - r0 * c2, r0 * c1 - r1 * c0];
  const length = Math.hypot(...normal);
  if (length < 1e-6) return null;
  const [x, y, z] = normal.map((value) => Math.abs(value / length)) as [number, number, number];
  if (z >= dominance) return 'axial';
  if (x >= dominance) return 'sagittal';
  if (y >= dominance) return 'coronal';
  return 'oblique';
}

export interface SeriesFacts {
  modality: string;
  description: string;
  protocolName: string;
  bodyPart: string;
  orientation: Orientation | null;
  imageType: string;
  sliceCount: number;
}

/** Words scanners put in a localizer's (scout's) description or protocol name. */
const LOCALIZER_WORDS = '\\b(localizer|localiser|scout|survey|pilot|3-?plane|loc)\\b';

/** DICOM's ImageType marks a localizer with the value LOCALIZER, whatever the series is called. */
function localizerImageType(imageType: string): boolean {
  return /LOCALIZER/i.test(imageType);
}

/** A localizer or scout: never read, and folded away in the series list. */
export function isLocalizer(facts: Pick<SeriesFacts, 'description' | 'protocolName' | 'imageType'>): boolean {
  // Underscores join words in names such as Siemens' "AAHead_Scout", and \b does not split there.
  return localizerImageType(facts.imageType) || matches(LOCALIZER_WORDS, `${facts.description} | ${facts.protocolName}`.replaceAll('_', ' '));
}

export const DEFAULT_RULES: ClassificationRules = {
  regions: [
    { id: 'orbits', region: 'optic_nerve', pattern: '\\b(orbits?|optic)', orientations: ['coronal', 'axial', 'oblique'] },
    { id: 'spine', region: 'spinal_cord', pattern: '\\b(c-?spine|t-?spine|spine|spinal|cord|cervical|thoracic|[ct]sp|c-t)\\b', orientations: ['sagittal', 'axial', 'oblique'] },
    { id: 'brain', region: 'brain', pattern: '\\b(brain|head|cerebr\\w*|flair)\\b', orientations: OrientationSchema.options },
  ],
  sequences: [
    { sequence: 'FLAIR', pattern: '\\b(flair|dark[ -]?fluid|t2[ _-]?fl)' },
    { sequence: 'STIR', pattern: '(\\bstir\\b|tirm)' },
    { sequence: 'T2', pattern: '\\bt2' },
    { sequence: 'T1', pattern: '\\bt1' },
  ],
  ignorePattern: LOCALIZER_WORDS,
};

export type RegionSuggestion =
  | { kind: 'region'; region: Region; sequence: Sequence; ruleId: string }
  | { kind: 'ignored'; reason: string }
  | { kind: 'ambiguous'; reason: string; candidates: readonly Region[] }
  | { kind: 'unmatched'; reason: string };

function matches(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'i').test(text);
  } catch {
    return false;
  }
}

export function suggestSequence(facts: Pick<SeriesFacts, 'description' | 'protocolName'>, rules: ClassificationRules = DEFAULT_RULES): Sequence {
  const text = `${facts.description} | ${facts.protocolName}`;
  return rules.sequences.find((rule) => matches(rule.pattern, text))?.sequence ?? 'other';
}

/** Which region a series images, by the first matching rules; more than one region is flagged, never guessed. */
export function suggestRegion(facts: SeriesFacts, rules: ClassificationRules = DEFAULT_RULES): RegionSuggestion {
  const text = `${facts.description} | ${facts.protocolName} | ${facts.bodyPart}`;
  if (facts.modality !== 'MR') return { kind: 'ignored', reason: `${facts.modality || 'unknown'} modality, not MR` };
  if (matches(rules.ignorePattern, text) || localizerImageType(facts.imageType)) return { kind: 'ignored', reason: 'localizer or scout' };
  if (facts.sliceCount < 3) return { kind: 'ignored', reason: `${facts.sliceCount} slice(s): not a reading series` };
  const hits = rules.regions.filter(
    (rule) => matches(rule.pattern, text) && (!rule.orientations || facts.orientation === null || rule.orientations.includes(facts.orientation)),
  );
  const regions = [...new Set(hits.map((rule) => rule.region))];
  if (regions.length === 0) return { kind: 'unmatched', reason: 'no region rule matches this series' };
  // Orbit and spine protocols often say "brain" or "head" too: the more specific region wins.
  const specific = regions.filter((region) => region !== 'brain');
  const chosen = specific.length > 0 ? specific : regions;
  if (chosen.length > 1) return { kind: 'ambiguous', reason: `rules for ${chosen.join(' and ')} both match`, candidates: chosen };
  const region = chosen[0]!;
  const rule = hits.find((hit) => hit.region === region)!;
  return { kind: 'region', region, sequence: suggestSequence(facts, rules), ruleId: rule.id };
}

/** Vertebral levels a spinal cord lesion is recorded against, top to bottom. */
export const VERTEBRAL_LEVELS: readonly VertebralLevel[] = VertebralLevelSchema.options;

/** Segments a cord lesion spans, counting both ends (C2 to C6 is 5); null for an unknown or upside-down range. */
export function segmentsSpanned(upper: string, lower: string): number | null {
  const top = VERTEBRAL_LEVELS.indexOf(upper as VertebralLevel);
  const bottom = VERTEBRAL_LEVELS.indexOf(lower as VertebralLevel);
  if (top < 0 || bottom < 0 || bottom < top) return null;
  return bottom - top + 1;
}

/** Longitudinally extensive transverse myelitis: three or more contiguous vertebral segments (2015 criteria). */
export const LETM_MIN_SEGMENTS = 3;

export const REGION_PREFIX: Readonly<Record<Region, string>> = { brain: 'B', spinal_cord: 'S', optic_nerve: 'O' };
