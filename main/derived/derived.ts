// Derived images of a read: the aligned subtraction of a series pair, and the
// candidate new or enlarging lesions found in it, which a reader confirms (a
// lesion is recorded as if drawn) or dismisses. Results are computed one at
// a time off the main thread from the pair's stored alignment (aligning
// first where there is none), cached by pair, alignment, algorithm and the
// charter's smallest lesion, and never become trial records by themselves:
// only a reader's confirmation does, through the lesions service.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Alignment, CandidateList, CandidateView, DefaultLayouts, LesionChange, LesionView, ParsedRequestOf, SeriesPair, SubtractionView, Track } from '../../shared/contract';
import { canonicalJson } from '../../shared/canonical-json';
import { preferredSeries } from '../../shared/hanging';
import type { Region } from '../../shared/protocol';
import { prefilledDetails } from '../../shared/region-details';
import { applyTransform } from '../../shared/registration';
import { inverseTransform } from '../../shared/slice-sync';
import { type Change, SUBTRACTION_ALGORITHM } from '../../shared/subtraction';
import { norm, sub, type Vec3 } from '../../shared/vector';
import { runImageJob } from '../alignment/align';
import { type AssertMayChange, type LesionWrite, type ParticipantReport, readCharter } from '../lesions/lesions';
import { seriesFiles } from '../reading/alignments';
import { readId } from '../reads/signatures';
import { ServiceError } from '../services/dispatch';
import type { Session } from '../services/session';
import { appendAudit } from '../store/audit';
import { seriesImages } from '../store/catalog';
import type { Db } from '../store/database';
import type { PlacedSeries } from '../trial/organisation';
import { cacheFile, cacheIsWhole, removeCache } from './cache';
import { createJobQueue } from './queue';
import { changesOf, type ResultRow, saveSubtractionResult, subtractionResult } from './results';

/** A lesion already recorded overlaps a candidate when their centres lie within their two radii and this margin (mm) of each other. */
const OVERLAP_MARGIN_MM = 2;
/** A review holds for a candidate found again within this distance of where it was reviewed (mm), or within the candidate's radius where that is larger. */
const REVIEW_PLACE_MM = 4;

export interface DerivedDependencies {
  session: Session;
  /** The built alignment worker, which subtracts too; without it the work runs on this thread. */
  workerFile: string | undefined;
  /** The store's: its closing stops the queue and the job under way. */
  closing: AbortSignal;
  /** Whether assignments queue their pairs in the background (the app); tests and one-shot commands compute only what they ask for. */
  background: boolean;
  alignments: { alignment(pair: SeriesPair): Alignment | null; autoAlign(pair: SeriesPair): Promise<Alignment> };
  placedSeries: (participantId: number) => PlacedSeries;
  defaultLayouts: () => DefaultLayouts;
  report: (participantId: number, track: Track | null) => ParticipantReport;
  viewTrack: (participantId: number) => Track | null;
  markTrack: (participantId: number) => Track;
  assertMayChange: AssertMayChange;
  lesions: { createLesion(request: ParsedRequestOf<'createLesion'>): LesionWrite; recordObservation(request: ParsedRequestOf<'recordObservation'>): LesionWrite };
  /** Runs a lesion write and what goes with it in one transaction that signed reads hold (services.ts). */
  holdLesionWrite: (change: () => LesionWrite) => LesionWrite;
  lesionChange: (write: LesionWrite) => LesionChange;
  log: (line: string) => void;
}

interface ReviewRow {
  id: number;
  centre_x: number;
  centre_y: number;
  centre_z: number;
  decision: 'confirmed' | 'dismissed';
  lesion_ref: number | null;
  reviewed_by: string;
  reviewed_at: string;
}

type ReadPair = ParsedRequestOf<'candidates'>;

const pairKey = (pair: SeriesPair) => `${pair.currentSeriesId}:${pair.comparatorSeriesId}`;
const distance = (a: Vec3, b: Vec3) => norm(sub(a, b));
const reviewCentre = (review: ReviewRow): Vec3 => [review.centre_x, review.centre_y, review.centre_z];

/** A lesion's place at a visit, in the current series' coordinates, and its size there. */
interface Spot {
  lesion: LesionView;
  centre: Vec3;
  diameterMm: number;
}

/** The item whose place lies nearest to a point. */
function nearestTo<Item>(items: readonly Item[], point: Vec3, place: (item: Item) => Vec3): Item | undefined {
  let nearest: Item | undefined;
  let nearestMm = Number.POSITIVE_INFINITY;
  for (const item of items) {
    const apart = distance(place(item), point);
    if (apart < nearestMm) [nearest, nearestMm] = [item, apart];
  }
  return nearest;
}

/**
 * Each item (in order: the first has the first say) to the change nearest to
 * it among those it fits, unless an earlier item has that change already:
 * an older review of the same spot claims nothing else.
 */
function nearestEach<Item>(items: readonly Item[], changes: readonly Change[], fits: (change: Change, item: Item) => boolean, place: (item: Item) => Vec3): Map<Change, Item> {
  const claimed = new Map<Change, Item>();
  for (const item of items) {
    const nearest = nearestTo(changes.filter((change) => fits(change, item)), place(item), (change) => change.centre);
    if (nearest && !claimed.has(nearest)) claimed.set(nearest, item);
  }
  return claimed;
}

export function createDerived(db: Db, dependencies: DerivedDependencies) {
  const { session, alignments, closing } = dependencies;
  const selectReviews = db.prepare<[number, Track, string, Region, number, number], ReviewRow>(
    `SELECT id, centre_x, centre_y, centre_z, decision, lesion_ref, reviewed_by, reviewed_at FROM candidate_reviews
      WHERE participant_ref = ? AND track = ? AND visit_code = ? AND region = ? AND current_series_ref = ? AND comparator_series_ref = ?
      ORDER BY id DESC`,
  );
  const insertReview = db.prepare(
    `INSERT INTO candidate_reviews (participant_ref, track, visit_code, region, current_series_ref, comparator_series_ref,
       centre_x, centre_y, centre_z, diameter_mm, decision, lesion_ref, reviewed_by, reviewed_at)
     VALUES (@participant, @track, @visit, @region, @current, @comparator, @x, @y, @z, @diameter, @decision, @lesion, @by, @at)`,
  );
  /** Results this session has computed: a failure of an earlier session is tried once more when asked for, one of this session is not. */
  const tried = new Set<string>();
  /**
   * Pairs that failed in this session before the worker could give an outcome (their automatic alignment, a
   * source file moved since import, an internal error), with the alignment they had then: a new one starts them
   * again, as does the next session.
   */
  const failures = new Map<string, { message: string; alignmentSavedAt: string | null }>();
  const failureOf = (pair: SeriesPair, alignment: Alignment | null) => {
    const failure = failures.get(pairKey(pair));
    return failure && failure.alignmentSavedAt === (alignment?.savedAt ?? null) ? failure.message : null;
  };
  /** Cache files found whole, by result, with the size and time they had then: checked again only when those change. */
  const whole = new Map<string, string>();
  const queue = createJobQueue(compute, closing);

  const imagesOf = (seriesId: number) => seriesImages(db, seriesId) ?? [];

  /** Everything a result depends on, hashed: the pair, its images, the alignment (as saved, and when), the algorithm and the smallest lesion. */
  function resultIdOf(pair: SeriesPair, alignment: Alignment, minLesionSizeMm: number): string {
    const images = (seriesId: number) => imagesOf(seriesId).map((image) => `${image.instanceId}/${image.frame}`);
    const inputs = [pair.currentSeriesId, pair.comparatorSeriesId, images(pair.currentSeriesId), images(pair.comparatorSeriesId), alignment.transform, alignment.savedAt, SUBTRACTION_ALGORITHM, minLesionSizeMm];
    return createHash('sha256').update(canonicalJson(inputs)).digest('hex').slice(0, 32);
  }

  function cacheReady(resultId: string): boolean {
    const file = cacheFile(db.name, resultId);
    let stamp: string;
    try {
      const stats = statSync(file);
      stamp = `${stats.size}/${stats.mtimeMs}`;
    } catch {
      return false;
    }
    if (whole.get(resultId) === stamp) return true;
    if (!cacheIsWhole(file, resultId)) {
      removeCache(file);
      whole.delete(resultId);
      return false;
    }
    whole.set(resultId, stamp);
    return true;
  }

  /** A ready result whose images are there, whole. */
  const usable = (row: ResultRow | null): row is ResultRow => row?.state === 'ready' && cacheReady(row.result_id);

  /** The result of the pair's alignment as it is now: the stored row, when there is an alignment. */
  function currentResult(pair: SeriesPair) {
    const alignment = alignments.alignment(pair);
    if (!alignment) return { alignment, resultId: null, row: null };
    const resultId = resultIdOf(pair, alignment, readCharter(db).minimumSizeMm);
    return { alignment, resultId, row: subtractionResult(db, resultId) };
  }

  /** A queued pair's work: whatever goes wrong ends as a failure the reader is told of, never as a pair pending for ever. */
  async function compute(pair: SeriesPair): Promise<void> {
    let alignment: Alignment | null = null;
    try {
      alignment = alignments.alignment(pair) ?? (await alignments.autoAlign(pair));
      await subtract(pair, alignment);
    } catch (error) {
      // Work for a store that closed meanwhile fails on it: nobody is told.
      if (closing.aborted) return;
      if (!(error instanceof ServiceError)) dependencies.log(`a subtraction failed: ${error instanceof Error ? error.name : typeof error}`);
      failures.set(pairKey(pair), { message: error instanceof ServiceError ? error.message : 'The subtraction stopped on an internal error.', alignmentSavedAt: alignment?.savedAt ?? null });
    }
  }

  /** Subtracts through the alignment; the worker's outcome goes to the store. */
  async function subtract(pair: SeriesPair, alignment: Alignment): Promise<void> {
    const minLesionSizeMm = readCharter(db).minimumSizeMm;
    const resultId = resultIdOf(pair, alignment, minLesionSizeMm);
    if (usable(subtractionResult(db, resultId))) return;
    tried.add(resultId);
    const [current, comparator] = [await seriesFiles(db, pair.currentSeriesId), await seriesFiles(db, pair.comparatorSeriesId)];
    const outcome = await runImageJob({ kind: 'subtract', resultId, current, comparator, transform: alignment.transform, minLesionSizeMm, cacheFile: cacheFile(db.name, resultId) }, dependencies.workerFile, closing);
    if (closing.aborted) return;
    const row: ResultRow = {
      result_id: resultId,
      current_series_ref: pair.currentSeriesId,
      comparator_series_ref: pair.comparatorSeriesId,
      alignment_saved_at: alignment.savedAt,
      algorithm: SUBTRACTION_ALGORITHM,
      min_lesion_size_mm: minLesionSizeMm,
      computed_at: new Date().toISOString(),
      ...(outcome.ok
        ? { state: 'ready', message: null, noise: outcome.noise, slices: outcome.slices, changes: JSON.stringify(outcome.changes) }
        : { state: 'failed', message: outcome.message, noise: null, slices: null, changes: null }),
    };
    for (const replaced of saveSubtractionResult(db, row)) removeCache(cacheFile(db.name, replaced));
  }

  /** The pair's subtraction as it stands; asked for (ahead of the background) when missing. */
  function subtraction({ currentSeriesId, comparatorSeriesId }: SeriesPair): { view: SubtractionView; alignment: Alignment | null; row: ResultRow | null } {
    const pair = { currentSeriesId, comparatorSeriesId };
    const { alignment, resultId, row } = currentResult(pair);
    const base = { ...pair, message: null, resultId: null, slices: imagesOf(pair.currentSeriesId).length, noise: null, alignmentSavedAt: alignment?.savedAt ?? null };
    const failure = failureOf(pair, alignment) ?? (row?.state === 'failed' && tried.has(resultId!) ? row.message : null);
    if (failure !== null) return { view: { ...base, state: 'failed', message: failure }, alignment, row: null };
    if (usable(row)) return { view: { ...base, state: 'ready', resultId, slices: row.slices!, noise: row.noise }, alignment, row };
    queue.add(pairKey(pair), pair, true);
    return { view: { ...base, state: 'pending' }, alignment, row: null };
  }

  /** Background work for these participants: every read's pair (the series the trial's layouts show), unless done or failed already. */
  function prepare(participantIds: readonly number[]): void {
    if (!dependencies.background || closing.aborted) return;
    const layouts = dependencies.defaultLayouts();
    for (const participantId of participantIds) {
      const report = dependencies.report(participantId, null);
      for (const [region, visits] of dependencies.placedSeries(participantId)) {
        for (const [visitCode, series] of visits) {
          const comparatorVisit = report.comparatorOf(visitCode, region);
          const currentSeriesId = preferredSeries(series, layouts[region].sequences);
          const comparatorSeriesId = comparatorVisit === null ? null : preferredSeries(visits.get(comparatorVisit) ?? [], layouts[region].sequences);
          if (currentSeriesId === null || comparatorSeriesId === null) continue;
          const pair = { currentSeriesId, comparatorSeriesId };
          const { alignment, row } = currentResult(pair);
          if (queue.has(pairKey(pair)) || failureOf(pair, alignment) !== null || row !== null) continue;
          queue.add(pairKey(pair), pair, false);
        }
      }
    }
  }

  /** This session's evaluation of the read, after checking that the pair is the read's: its series and one of its comparator visit's. */
  function readOf(request: ReadPair, track: Track | null): ParticipantReport {
    const { visitCode, region, currentSeriesId, comparatorSeriesId } = request;
    const report = dependencies.report(request.participantId, track);
    if (!report.seriesOf(visitCode, region).includes(currentSeriesId)) throw new ServiceError('invalid_request', `Series ${currentSeriesId} is not a series of the ${visitCode} ${region.replace('_', ' ')} read.`);
    const comparatorVisit = report.comparatorOf(visitCode, region);
    if (comparatorVisit === null || !report.seriesOf(comparatorVisit, region).includes(comparatorSeriesId)) {
      throw new ServiceError('invalid_request', `Series ${comparatorSeriesId} is not a series of the visit the ${visitCode} ${region.replace('_', ' ')} read is compared with${comparatorVisit ? ` (${comparatorVisit})` : ''}.`);
    }
    return report;
  }

  /** The candidates of a read for a track: the increases of the ready result, each set against the track's lesions and reviews. */
  function candidateList(request: ReadPair, track: Track | null, report: ParticipantReport): CandidateList {
    const { participantId, visitCode, region, currentSeriesId, comparatorSeriesId } = request;
    const { view, alignment, row } = subtraction(request);
    if (view.state !== 'ready' || !row || !alignment) return { subtraction: view, candidates: [], unreviewed: 0 };
    const images = imagesOf(currentSeriesId);
    const lesions = report.views.filter((lesion) => lesion.region === region);
    // Where each lesion is at a visit, in the current series' coordinates: a comparator mark is carried back through the alignment.
    const toCurrent = inverseTransform(alignment.transform);
    const spotsAt = (visit: string | null, carry: (point: Vec3) => Vec3): Spot[] =>
      lesions.flatMap((lesion) => {
        const observation = lesion.observations.find((item) => item.visitCode === visit);
        if (!observation?.marks || observation.finding.kind !== 'measured') return [];
        return [{ lesion, centre: carry(observation.marks.centre), diameterMm: observation.finding.longestDiameterMm }];
      });
    const here = spotsAt(visitCode, (point) => point);
    const before = spotsAt(report.comparatorOf(visitCode, region), (point) => applyTransform(toCurrent, point));
    const reviews = track === null ? [] : selectReviews.all(participantId, track, visitCode, region, currentSeriesId, comparatorSeriesId);
    const labelOf = (lesionId: number | null): LesionView | undefined => lesions.find((lesion) => lesion.id === lesionId);
    const changes = changesOf(row).filter((change) => change.direction === 'increase');
    const overlap = (change: Change, spot: Spot) => distance(spot.centre, change.centre) <= change.diameterMm / 2 + spot.diameterMm / 2 + OVERLAP_MARGIN_MM;
    // A mark or a review is about one spot: it goes to the nearest candidate it fits, never to a large neighbour as well.
    const markedAt = nearestEach(here, changes, overlap, (spot) => spot.centre);
    const reviewedAt = nearestEach(reviews, changes, (change, review) => distance(reviewCentre(review), change.centre) <= Math.max(REVIEW_PLACE_MM, change.diameterMm / 2), reviewCentre);
    const candidates = changes.map((change, index): CandidateView => {
      const marked = markedAt.get(change)?.lesion;
      // An enlarging suggestion: the nearest lesion of the comparator visit it overlaps.
      const enlarges = nearestTo(before.filter((spot) => overlap(change, spot)), change.centre, (spot) => spot.centre)?.lesion;
      // The latest review of this place; a reader's own mark here outranks an older dismissal.
      const review = reviewedAt.get(change);
      const status = review?.decision === 'confirmed' ? 'confirmed' : marked ? 'marked' : review?.decision === 'dismissed' ? 'dismissed' : 'unreviewed';
      const lesion = status === 'confirmed' ? labelOf(review!.lesion_ref) : (marked ?? enlarges);
      const image = images[change.slice]!;
      return {
        id: `${view.resultId!}-${index}`,
        kind: enlarges ? 'enlarging' : 'new',
        centre: [...change.centre],
        diameterMm: change.diameterMm,
        diameter: [[...change.diameter[0]], [...change.diameter[1]]],
        volumeMm3: change.volumeMm3,
        peakChange: change.peakChange,
        meanChange: change.meanChange,
        peakScore: change.peakScore,
        sliceIndex: change.slice,
        image: { seriesId: currentSeriesId, instanceId: image.instanceId, frame: image.frame },
        lesionId: lesion?.id ?? null,
        lesionLabel: lesion?.label ?? null,
        status,
        reviewedBy: status === 'confirmed' || status === 'dismissed' ? review!.reviewed_by : null,
        reviewedAt: status === 'confirmed' || status === 'dismissed' ? review!.reviewed_at : null,
      };
    });
    return { subtraction: view, candidates, unreviewed: candidates.filter((candidate) => candidate.status === 'unreviewed').length };
  }

  return {
    subtraction: (pair: SeriesPair): SubtractionView => subtraction(pair).view,

    candidates(request: ReadPair): CandidateList {
      const track = dependencies.viewTrack(request.participantId);
      return candidateList(request, track, readOf(request, track));
    },

    reviewCandidate(request: ParsedRequestOf<'reviewCandidate'>): { candidates: CandidateList; change: LesionChange | null } {
      const { participantId, visitCode, region, currentSeriesId, comparatorSeriesId } = request;
      // Who may mark this read, and whether it may change now: the same refusals as drawing a lesion.
      const track = dependencies.markTrack(participantId);
      const read = { participantId, visitCode, region, track };
      dependencies.assertMayChange(read);
      const report = readOf(request, track);
      const candidate = candidateList(request, track, report).candidates.find((item) => item.id === request.candidateId);
      if (!candidate) throw new ServiceError('not_found', `Candidate ${request.candidateId} is not among this read's candidates now (they may have been computed again): ask for them again.`);
      if (candidate.status === 'confirmed' || candidate.status === 'marked') throw new ServiceError('conflict', `This candidate is already recorded at this visit as ${candidate.lesionLabel}.`);
      const decision = request.decision === 'confirm' ? 'confirmed' : 'dismissed';
      const review = (lesionId: number | null) => {
        const at = new Date().toISOString();
        const [x, y, z] = candidate.centre;
        const id = Number(
          insertReview.run({ participant: participantId, track, visit: visitCode, region, current: currentSeriesId, comparator: comparatorSeriesId, x, y, z, diameter: candidate.diameterMm, decision, lesion: lesionId, by: session.actor(), at }).lastInsertRowid,
        );
        appendAudit(db, {
          actor: session.actor(),
          action: `candidate.${request.decision}`,
          entity: 'candidate',
          entityId: readId(read),
          newValue: { review: id, candidateId: candidate.id, kind: candidate.kind, centre: candidate.centre, diameterMm: candidate.diameterMm, currentSeriesId, comparatorSeriesId, lesionId },
        });
      };
      if (decision === 'dismissed') {
        if (candidate.status !== 'dismissed') db.transaction(() => review(null))();
        return { candidates: candidateList(request, track, readOf(request, track)), change: null };
      }
      const lesionId = request.lesionId ?? (candidate.kind === 'enlarging' ? candidate.lesionId : null);
      const observation = {
        visitCode,
        finding: { kind: 'measured' as const, longestDiameterMm: Math.max(0.1, Math.round(candidate.diameterMm * 10) / 10) },
        image: candidate.image,
        marks: { centre: candidate.centre, diameter: candidate.diameter },
      };
      if (lesionId !== null) {
        const lesion = report.views.find((item) => item.id === lesionId && item.region === region);
        if (!lesion) throw new ServiceError('not_found', `Lesion ${lesionId} is not a ${region.replace('_', ' ')} lesion of this read.`);
        if (lesion.observations.some((item) => item.visitCode === visitCode)) throw new ServiceError('conflict', `${lesion.label} already has a finding at ${visitCode}: measure it there instead.`);
      }
      // An optic lesion's side from the midline it lies off (LPS: x grows to the patient's left); on the midline, the chiasm.
      const side = region === 'optic_nerve' ? (prefilledDetails(null, candidate.centre).side ?? 'chiasm') : undefined;
      const write = dependencies.holdLesionWrite(() => {
        const written =
          lesionId !== null ? dependencies.lesions.recordObservation({ lesionId, ...observation }) : dependencies.lesions.createLesion({ participantId, region, ...(side ? { side } : {}), observation });
        review(written.lesionId);
        return written;
      });
      return { candidates: candidateList(request, track, readOf(request, track)), change: dependencies.lesionChange(write) };
    },

    prepare,
  };
}
