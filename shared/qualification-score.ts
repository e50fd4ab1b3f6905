// A reader's qualification read scored against the known truth of a
// synthetic set: lesion-wise sensitivity and false positives per scan, the
// new/enlarging call on the lesions they found, count agreement per visit and
// the endpoint per participant, per region and over all regions, and the
// charter's pass/fail rule. Truth and reader are both counted by the trial's
// own rules (shared/counting.ts), under the charter in force, so a difference
// is the reader's and never a difference between two ways of counting.
import { proportion, type Estimate } from './agreement';
import type { LesionView } from './contract/lesions';
import type { QualificationRule } from './contract/settings';
import { type CharterSettings, countByVisitAndRegion, endpointTotal, type FinalStatus, type LesionHistory, type LesionStatus, suggestStatus, type VisitRegionCount, type VisitSlot } from './counting';
import type { Region } from './protocol';
import { pairReaderMarks } from './reader-pairing';
import type { ParticipantTruth } from './synthetic/truth';
import type { Vec3 } from './vector';

/** Charter defaults of a qualification rule: a core lab's usual bar (sensitivity 0.8, 0.5 false positives per scan), and the double reads' pairing distance. */
export const DEFAULT_QUALIFICATION_RULE: QualificationRule = { minSensitivity: 0.8, maxFalsePositivesPerScan: 0.5, pairingToleranceMm: 5 };

/** A truth lesion where it is present: its centre in that study's patient coordinates (mm) and its longest diameter. */
export interface TruthObservation {
  visitCode: string;
  centre: Vec3;
  longestDiameterMm: number;
}

export interface TruthLesion {
  id: string;
  subject: string;
  region: Region;
  /** Only the visits where the lesion is there. */
  observations: readonly TruthObservation[];
}

/** What the reader recorded at a visit: where they marked it (null when not seen there, or seen without a mark), the status their read settled on, and whether it counts. */
export interface ReaderObservation {
  visitCode: string;
  /** The lesion was seen at this visit (a measured finding); resolved, merged or not evaluable are not. */
  seen: boolean;
  centre: Vec3 | null;
  status: LesionStatus | null;
  counted: boolean;
  comparatorVisit: string | null;
}

export interface ReaderLesion {
  id: string;
  subject: string;
  region: Region;
  observations: readonly ReaderObservation[];
}

export interface QualificationInput {
  subjects: readonly string[];
  regions: readonly Region[];
  /** The visits of the schedule, every one read. */
  visits: readonly VisitSlot[];
  charter: CharterSettings;
  rule: QualificationRule;
  truth: readonly TruthLesion[];
  reader: readonly ReaderLesion[];
}

/** A mean with the number of values it is the mean of. */
export interface Mean {
  value: number | null;
  n: number;
}

export interface RegionScore {
  /** Truth lesions present at a visit that a reader's mark at that visit pairs with, of all truth lesions present at a visit. */
  sensitivity: Estimate;
  truthLesions: number;
  found: number;
  /** The reader's marks at a visit that pair with no truth lesion there. */
  falsePositives: number;
  /** One region of one participant at one visit. */
  scans: number;
  falsePositivesPerScan: Estimate;
  /** Among found lesions at follow-up visits: the reader's call (new, enlarging, or not counted) is truth's. */
  statusAccuracy: Estimate;
  /** Per participant, follow-up visit and region: the reader's new-or-enlarging count is truth's. */
  countExactMatch: Estimate;
  countMeanAbsoluteDifference: Mean;
}

export interface ParticipantEndpoint {
  subject: string;
  truth: number;
  reader: number;
  /** Reader minus truth. */
  difference: number;
}

/** One truth lesion at one visit and what became of it. */
export interface LesionOutcome {
  subject: string;
  region: Region;
  visitCode: string;
  truthLesionId: string;
  /** The reader's lesion paired with it, null when missed. */
  readerLesionId: string | null;
  distanceMm: number | null;
}

export interface QualificationScore {
  rule: QualificationRule;
  overall: RegionScore;
  byRegion: Record<Region, RegionScore>;
  endpoints: ParticipantEndpoint[];
  /** Every truth lesion at every visit where it is there, found or missed. */
  outcomes: LesionOutcome[];
  /** The reader's marks that pair with no truth lesion. */
  falseMarks: { subject: string; region: Region; visitCode: string; readerLesionId: string }[];
  passed: boolean;
  /** Why the reader passed or not, one line per part of the rule. */
  verdict: string[];
}

/**
 * Scores a reader's marks against truth. Marks are paired with truth lesions
 * one to one within each participant, region and visit, by the centre of the
 * reader's mark and the truth lesion's centre, within the rule's tolerance:
 * shared/reader-pairing.ts's optimal assignment (the most pairs, then the
 * least total distance, by the Hungarian method; ties by id), so a mark
 * between two lesions never costs the reader one that nearest-first would.
 * The unit of sensitivity is a lesion at a visit, as a reader finds it; the
 * pass rule is applied to the point estimates over all regions (a set of a
 * few participants has too few lesions per region for a per-region bar).
 */
export function scoreQualification(input: QualificationInput): QualificationScore {
  const { rule, visits, regions, subjects } = input;
  const knownSubjects = new Set(subjects);
  const stranger = [...input.truth, ...input.reader].find((lesion) => !knownSubjects.has(lesion.subject));
  if (stranger) throw new RangeError(`lesion ${stranger.id} belongs to ${stranger.subject}, who is not in the set`);
  const truthCalls = truthStatuses(input.truth, visits, input.charter);
  const readerCalls = readerStatuses(input.reader);

  const outcomes: LesionOutcome[] = [];
  const falseMarks: QualificationScore['falseMarks'] = [];
  const statusChecks: { region: Region; correct: boolean }[] = [];
  for (const subject of subjects) {
    for (const region of regions) {
      for (const visit of visits) {
        const truthHere = input.truth.filter((lesion) => lesion.subject === subject && lesion.region === region).flatMap((lesion) => {
          const observation = lesion.observations.find((item) => item.visitCode === visit.code);
          return observation ? [{ id: lesion.id, centre: observation.centre }] : [];
        });
        const readerHere = input.reader.filter((lesion) => lesion.subject === subject && lesion.region === region).flatMap((lesion) => {
          const observation = lesion.observations.find((item) => item.visitCode === visit.code);
          return observation?.seen ? [{ id: lesion.id, centre: observation.centre }] : [];
        });
        // A lesion seen without a mark cannot be placed: it pairs with nothing.
        const placed = readerHere.flatMap((mark) => (mark.centre ? [{ id: mark.id, centre: mark.centre }] : []));
        const pairing = pairReaderMarks(truthHere, placed, rule.pairingToleranceMm);
        const partner = new Map(pairing.pairs.map((pair) => [pair.first, pair]));
        for (const lesion of truthHere) {
          const pair = partner.get(lesion.id);
          outcomes.push({ subject, region, visitCode: visit.code, truthLesionId: lesion.id, readerLesionId: pair?.second ?? null, distanceMm: pair?.distanceMm ?? null });
          if (pair && !visit.isBaseline) statusChecks.push({ region, correct: callOf(truthCalls.get(key(lesion.id, visit.code))) === callOf(readerCalls.get(key(pair.second, visit.code))) });
        }
        const unplaced = readerHere.filter((mark) => mark.centre === null).map((mark) => mark.id);
        for (const readerLesionId of [...pairing.onlySecond, ...unplaced].sort()) falseMarks.push({ subject, region, visitCode: visit.code, readerLesionId });
      }
    }
  }

  const truthCells = countsBySubject(input.truth, truthCalls);
  const readerCells = countsBySubject(input.reader, readerCalls);
  const endpoints = subjects.map((subject) => {
    const truth = endpointTotal(truthCells.get(subject) ?? [], visits);
    const reader = endpointTotal(readerCells.get(subject) ?? [], visits);
    return { subject, truth, reader, difference: reader - truth };
  });
  const countDifferences = (region: Region) =>
    subjects.flatMap((subject) =>
      visits
        .filter((visit) => visit.inEndpoint)
        .map((visit) => cellCount(readerCells.get(subject), visit.code, region) - cellCount(truthCells.get(subject), visit.code, region)),
    );

  const scoreOf = (inRegions: readonly Region[]): RegionScore => {
    const within = <T extends { region: Region }>(items: readonly T[]) => items.filter((item) => inRegions.includes(item.region));
    const regionOutcomes = within(outcomes);
    const found = regionOutcomes.filter((outcome) => outcome.readerLesionId !== null).length;
    const falsePositives = within(falseMarks).length;
    const scans = subjects.length * visits.length * inRegions.length;
    const checks = within(statusChecks);
    const differences = inRegions.flatMap(countDifferences);
    return {
      sensitivity: proportion(found, regionOutcomes.length),
      truthLesions: regionOutcomes.length,
      found,
      falsePositives,
      scans,
      falsePositivesPerScan: ratePerScan(falsePositives, scans),
      statusAccuracy: proportion(checks.filter((check) => check.correct).length, checks.length),
      countExactMatch: proportion(differences.filter((difference) => difference === 0).length, differences.length),
      countMeanAbsoluteDifference: { value: differences.length === 0 ? null : differences.reduce((sum, difference) => sum + Math.abs(difference), 0) / differences.length, n: differences.length },
    };
  };
  const overall = scoreOf(regions);
  const byRegion = Object.fromEntries(regions.map((region) => [region, scoreOf([region])])) as Record<Region, RegionScore>;
  return { rule, overall, byRegion, endpoints, outcomes, falseMarks, ...verdictOf(overall, rule) };
}

/** Passed when the overall sensitivity reaches the rule's minimum and the false positives per scan stay within its maximum (point estimates). */
function verdictOf(overall: RegionScore, rule: QualificationRule): { passed: boolean; verdict: string[] } {
  const sensitivity = overall.sensitivity.value;
  const rate = overall.falsePositivesPerScan.value;
  const sensitive = sensitivity !== null && sensitivity >= rule.minSensitivity;
  const specific = rate !== null && rate <= rule.maxFalsePositivesPerScan;
  const verdict = [
    sensitivity === null
      ? 'sensitivity: the set has no lesions, so it cannot qualify anyone'
      : `sensitivity ${sensitivity.toFixed(2)} (${overall.found} of ${overall.truthLesions}) ${sensitive ? 'reaches' : 'is below'} the minimum ${rule.minSensitivity}`,
    rate === null
      ? 'false positives: the set has no scans'
      : `${rate.toFixed(2)} false positives per scan (${overall.falsePositives} in ${overall.scans}) ${specific ? 'is within' : 'is above'} the maximum ${rule.maxFalsePositivesPerScan}`,
  ];
  return { passed: sensitive && specific, verdict };
}

const key = (lesionId: string, visitCode: string) => `${lesionId}\u0000${visitCode}`;

/** What matters for the endpoint: counted new, counted enlarging, or not counted. */
function callOf(status: FinalStatus | undefined): string {
  return status?.counted ? status.status : 'not counted';
}

/** Truth's statuses by the charter's rules: each truth lesion measured where it is present, as a reader who measured exactly would have it. */
function truthStatuses(truth: readonly TruthLesion[], visits: readonly VisitSlot[], charter: CharterSettings): Map<string, FinalStatus> {
  const statuses = new Map<string, FinalStatus>();
  for (const lesion of truth) {
    const history: LesionHistory = {
      id: lesion.id,
      region: lesion.region,
      findings: new Map(lesion.observations.map((observation) => [observation.visitCode, { kind: 'measured' as const, longestDiameterMm: observation.longestDiameterMm }])),
    };
    for (const visit of visits) {
      const suggestion = suggestStatus(history, visit, visits, charter);
      if (suggestion) statuses.set(key(lesion.id, visit.code), { lesionId: lesion.id, region: lesion.region, visitCode: visit.code, status: suggestion.status, counted: suggestion.counted, comparatorVisit: suggestion.comparatorVisit });
    }
  }
  return statuses;
}

/** The statuses the reader's read settled on (the app derived them with the same rules, overrides included). */
function readerStatuses(reader: readonly ReaderLesion[]): Map<string, FinalStatus> {
  const statuses = new Map<string, FinalStatus>();
  for (const lesion of reader) {
    for (const observation of lesion.observations) {
      if (observation.status === null) continue;
      statuses.set(key(lesion.id, observation.visitCode), {
        lesionId: lesion.id,
        region: lesion.region,
        visitCode: observation.visitCode,
        status: observation.status,
        counted: observation.counted,
        comparatorVisit: observation.comparatorVisit,
      });
    }
  }
  return statuses;
}

function countsBySubject(lesions: readonly { id: string; subject: string }[], statuses: ReadonlyMap<string, FinalStatus>): Map<string, VisitRegionCount[]> {
  const bySubject = new Map<string, FinalStatus[]>();
  const subjectOf = new Map(lesions.map((lesion) => [lesion.id, lesion.subject]));
  for (const status of statuses.values()) {
    const subject = subjectOf.get(status.lesionId)!;
    bySubject.set(subject, [...(bySubject.get(subject) ?? []), status]);
  }
  return new Map([...bySubject].map(([subject, list]) => [subject, countByVisitAndRegion(list)]));
}

function cellCount(cells: readonly VisitRegionCount[] | undefined, visitCode: string, region: Region): number {
  return cells?.find((cell) => cell.visitCode === visitCode && cell.region === region)?.newOrEnlarging ?? 0;
}

/** A two-sided 95% interval leaves 2.5% in each tail. */
const TAIL_95 = 0.025;

/**
 * False positives per scan with Garwood's exact Poisson 95% interval
 * (R's poisson.test(x, T)): the false marks are a count over `scans` scans,
 * not a proportion, since a scan can hold several.
 */
export function ratePerScan(count: number, scans: number): Estimate {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`the count must be a whole number of 0 or more, not ${count}`);
  if (!Number.isInteger(scans) || scans < 0) throw new RangeError(`the scans must be a whole number of 0 or more, not ${scans}`);
  if (scans === 0) return { value: null, low: null, high: null, n: 0, note: 'no scans' };
  const [low, high] = poissonExactInterval(count);
  return { value: count / scans, low: low / scans, high: high / scans, n: scans };
}

/**
 * Garwood's exact 95% interval for a Poisson mean from one count x: the
 * means at which P(X >= x) and P(X <= x) are each 2.5%, i.e. chi-square
 * quantiles qchisq(0.025, 2x)/2 and qchisq(0.975, 2x + 2)/2, found here by
 * bisection on the Poisson distribution itself (it falls as the mean grows),
 * to double precision.
 */
export function poissonExactInterval(count: number): [number, number] {
  const lower = count === 0 ? 0 : meanWhereCdfIs(count - 1, 1 - TAIL_95);
  return [lower, meanWhereCdfIs(count, TAIL_95)];
}

/** P(X <= k) for X ~ Poisson(mean), summed in logs so that large means do not underflow. */
function poissonCdf(k: number, mean: number): number {
  if (mean === 0) return 1;
  let logTerm = -mean;
  let total = Math.exp(logTerm);
  for (let i = 1; i <= k; i += 1) {
    logTerm += Math.log(mean) - Math.log(i);
    total += Math.exp(logTerm);
  }
  return Math.min(1, total);
}

function meanWhereCdfIs(k: number, target: number): number {
  let low = 0;
  let high = k + 10 * Math.sqrt(k + 1) + 10;
  while (poissonCdf(k, high) > target) high *= 2;
  for (let step = 0; step < 200 && high - low > 1e-15 * high; step += 1) {
    const middle = (low + high) / 2;
    if (poissonCdf(k, middle) > target) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** The truth lesions of a synthetic set (truth.json's participants), where each is present. */
export function truthLesionsOf(participants: readonly ParticipantTruth[]): TruthLesion[] {
  return participants.flatMap((participant) =>
    participant.lesions.map((lesion) => ({
      id: lesion.id,
      subject: participant.subject,
      region: lesion.region,
      observations: lesion.visits.filter((visit) => visit.present).map((visit) => ({ visitCode: visit.visit, centre: visit.location.patientMm, longestDiameterMm: visit.longestDiameterMm })),
    })),
  );
}

/** A participant's lesions as the store answers them (listLesions), as the scorer reads them. */
export function readerLesionsOf(subject: string, lesions: readonly LesionView[]): ReaderLesion[] {
  return lesions.map((lesion) => ({
    id: String(lesion.id),
    subject,
    region: lesion.region,
    observations: lesion.observations.map((observation) => ({
      visitCode: observation.visitCode,
      seen: observation.finding.kind === 'measured',
      centre: observation.marks?.centre ?? null,
      status: observation.finalStatus,
      counted: observation.counted,
      comparatorVisit: observation.suggestion?.comparatorVisit ?? null,
    })),
  }));
}
