// The counting rules of the endpoint, as pure functions of the observations:
// a lesion's suggested status at each visit, and the counts derived from
// statuses. Thresholds are charter settings, never constants in code. The
// statuses, the comparator and the charter's shape are the contract's.
import type { Comparator, FindingInput, LesionStatus, Region } from './contract/common';
import type { CharterSettings } from './contract/settings';

export type { Comparator, LesionStatus } from './contract/common';
export type { CharterSettings } from './contract/settings';

/**
 * Default charter: the previous scan as comparator (so the sum over weeks 12,
 * 24 and 52 counts no lesion twice), 3 mm minimum size, and enlarging when
 * the longest diameter grows by 50% and at least 3 mm: above the published
 * measurement noise for small lesions (about 45%).
 */
export const DEFAULT_CHARTER: CharterSettings = {
  id: 'default-2026-1',
  comparator: 'previous',
  minimumSizeMm: 3,
  enlargingRelative: 0.5,
  enlargingAbsoluteMm: 3,
  enlargingRule: 'both',
};

/** What the reader recorded for one lesion at one visit: the contract's finding, a merge naming the other lesion by its id in these rules. */
export type Finding =
  | Exclude<FindingInput, { kind: 'merged' }>
  /** Absorbed into another lesion at this visit (confluence). */
  | { kind: 'merged'; into: string };

export interface VisitSlot {
  code: string;
  /** Position in time: baseline first. */
  order: number;
  isBaseline: boolean;
  inEndpoint: boolean;
}

export interface LesionHistory {
  id: string;
  region: Region;
  findings: ReadonlyMap<string, Finding>;
  /** Lesions that merged into this one at a visit: its comparator size is their largest. */
  mergedFrom?: readonly { lesionId: string; atVisit: string }[];
  /** This lesion split from another at a visit: it is compared with its parent, not called new. */
  splitFrom?: { lesionId: string; atVisit: string };
}

export interface Suggestion {
  status: LesionStatus;
  /** Counted in the endpoint as new or enlarging at this visit. */
  counted: boolean;
  comparatorVisit: string | null;
  why: string;
}

/** A visit of the schedule as the rules order it: by days after baseline (week x 7); week 0 is the baseline. */
export function scheduledSlot(visit: { code: string; week: number; inEndpoint: boolean }): VisitSlot {
  return { code: visit.code, order: visit.week * 7, isBaseline: visit.week === 0, inEndpoint: visit.inEndpoint };
}

/** The visit a follow-up is compared with, among the visits that were read. */
export function comparatorVisit(visit: VisitSlot, readVisits: readonly VisitSlot[], comparator: Comparator): VisitSlot | null {
  if (visit.isBaseline) return null;
  const earlier = readVisits.filter((candidate) => candidate.order < visit.order).sort((a, b) => b.order - a.order);
  if (comparator === 'baseline') return earlier.find((candidate) => candidate.isBaseline) ?? null;
  return earlier[0] ?? null;
}

/** A lesion's size at a visit; with `merges`, the largest of it and the lesions that merged into it (its size as one lesion). */
function diameterAt(lesion: LesionHistory, visitCode: string, all: ReadonlyMap<string, LesionHistory>, merges: readonly { lesionId: string }[]): number | null {
  const own = lesion.findings.get(visitCode);
  const sizes: number[] = own?.kind === 'measured' ? [own.longestDiameterMm] : [];
  for (const merged of merges) {
    const part = all.get(merged.lesionId)?.findings.get(visitCode);
    if (part?.kind === 'measured') sizes.push(part.longestDiameterMm);
  }
  return sizes.length > 0 ? Math.max(...sizes) : null;
}

function grewEnough(before: number, after: number, charter: CharterSettings): boolean {
  const relative = after >= before * (1 + charter.enlargingRelative);
  const absolute = after - before >= charter.enlargingAbsoluteMm;
  return charter.enlargingRule === 'both' ? relative && absolute : relative || absolute;
}

function shrankEnough(before: number, after: number, charter: CharterSettings): boolean {
  // Mirror of enlarging: the same noise margin applies to a decrease.
  const relative = after <= before / (1 + charter.enlargingRelative);
  const absolute = before - after >= charter.enlargingAbsoluteMm;
  return charter.enlargingRule === 'both' ? relative && absolute : relative || absolute;
}

/** The status the rules suggest for a lesion at a visit; null when the lesion has no finding there. */
export function suggestStatus(
  lesion: LesionHistory,
  visit: VisitSlot,
  readVisits: readonly VisitSlot[],
  charter: CharterSettings,
  all: ReadonlyMap<string, LesionHistory> = new Map([[lesion.id, lesion]]),
): Suggestion | null {
  const finding = lesion.findings.get(visit.code);
  if (!finding) return null;
  const comparator = comparatorVisit(visit, readVisits, charter.comparator);
  const comparatorCode = comparator?.code ?? null;
  if (finding.kind === 'resolved') return { status: 'resolved', counted: false, comparatorVisit: comparatorCode, why: 'no longer visible' };
  if (finding.kind === 'not_evaluable') return { status: 'not_evaluable', counted: false, comparatorVisit: comparatorCode, why: 'not evaluable at this visit' };
  if (finding.kind === 'merged') return { status: 'merged', counted: false, comparatorVisit: comparatorCode, why: `merged into ${finding.into}` };

  const size = finding.longestDiameterMm;
  if (visit.isBaseline || comparator === null) return { status: 'stable', counted: false, comparatorVisit: null, why: 'baseline: the reference for later visits' };

  // A lesion split from another is compared with its parent before the split.
  const reference = lesion.splitFrom && visitIsAtOrAfter(lesion.splitFrom.atVisit, visit, readVisits) ? (all.get(lesion.splitFrom.lesionId) ?? lesion) : lesion;
  // Only merges made by this visit make the comparator size that of the parts together: a later merge changes no earlier status.
  const merges = (reference.mergedFrom ?? []).filter((merge) => visitIsAtOrAfter(merge.atVisit, visit, readVisits));
  const before = diameterAt(reference, comparator.code, all, merges);
  const beforeFinding = reference.findings.get(comparator.code);
  if (before === null) {
    if (beforeFinding?.kind === 'not_evaluable') {
      return { status: 'not_evaluable', counted: false, comparatorVisit: comparator.code, why: `not evaluable at ${comparator.code}: no comparison possible` };
    }
    const counted = size >= charter.minimumSizeMm;
    const why = counted ? `absent at ${comparator.code}` : `absent at ${comparator.code}, but ${size} mm is below the ${charter.minimumSizeMm} mm minimum`;
    return { status: 'new', counted, comparatorVisit: comparator.code, why };
  }
  if (grewEnough(before, size, charter)) {
    return { status: 'enlarging', counted: true, comparatorVisit: comparator.code, why: `${before} mm → ${size} mm at ${comparator.code} → ${visit.code}` };
  }
  if (shrankEnough(before, size, charter)) return { status: 'shrinking', counted: false, comparatorVisit: comparator.code, why: `${before} mm → ${size} mm` };
  return { status: 'stable', counted: false, comparatorVisit: comparator.code, why: `${before} mm → ${size} mm: within the charter's margin` };
}

function visitIsAtOrAfter(code: string, visit: VisitSlot, visits: readonly VisitSlot[]): boolean {
  const split = visits.find((candidate) => candidate.code === code);
  return split !== undefined && visit.order >= split.order;
}

/** The status a read settles on: the reader's override where there is one. */
export interface FinalStatus {
  lesionId: string;
  region: Region;
  visitCode: string;
  status: LesionStatus;
  counted: boolean;
  comparatorVisit: string | null;
}

export interface VisitRegionCount {
  visitCode: string;
  region: Region;
  new: number;
  enlarging: number;
  newOrEnlarging: number;
  comparatorVisit: string | null;
}

/** Counts per visit and region, derived from final statuses: one lesion, one status, per visit. */
export function countByVisitAndRegion(statuses: readonly FinalStatus[]): VisitRegionCount[] {
  const cells = new Map<string, VisitRegionCount>();
  for (const status of statuses) {
    const key = `${status.visitCode}\u0000${status.region}`;
    const cell = cells.get(key) ?? { visitCode: status.visitCode, region: status.region, new: 0, enlarging: 0, newOrEnlarging: 0, comparatorVisit: status.comparatorVisit };
    if (status.counted && status.status === 'new') cell.new += 1;
    if (status.counted && status.status === 'enlarging') cell.enlarging += 1;
    cell.newOrEnlarging = cell.new + cell.enlarging;
    cell.comparatorVisit ??= status.comparatorVisit;
    cells.set(key, cell);
  }
  return [...cells.values()];
}

/** The endpoint: new-or-enlarging summed over the endpoint visits (weeks 12, 24, 52) and all regions. */
export function endpointTotal(counts: readonly VisitRegionCount[], visits: readonly VisitSlot[]): number {
  const inEndpoint = new Set(visits.filter((visit) => visit.inEndpoint).map((visit) => visit.code));
  return counts.filter((count) => inEndpoint.has(count.visitCode)).reduce((sum, count) => sum + count.newOrEnlarging, 0);
}
