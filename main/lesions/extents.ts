// Extents measured on the image: the vertebral ruler of a sagittal cord
// series, the trace of an optic nerve at a visit, and what a lesion's two
// clicked ends measure with them. Main computes every level, length and
// fraction from the stored ruler or trace and the clicked points; it never
// takes the renderer's numbers. A ruler or trace changed later measures its
// unsigned observations again (audited); a signed read keeps what it signed.
import type { MeasuredExtent, NerveTrace, ObservationInput, ParsedRequestOf, Side, Track, VertebralLevel, VertebralRuler } from '../../shared/contract';
import { type CordRuler, type RulerAnchor, cordExtent, cordRuler, rulerProblem } from '../../shared/cord-levels';
import { opticStretch, traceLength, traceProblem } from '../../shared/optic-extent';
import type { Region } from '../../shared/protocol';
import { roundTo } from '../../shared/rounding';
import type { Vec3 } from '../../shared/vector';
import type { TrackedRead } from '../reads/tracks';
import { ServiceError } from '../services/dispatch';
import type { Actor } from '../services/session';
import { appendAudit } from '../store/audit';
import type { Db } from '../store/database';
import { preparedOnce } from '../store/prepared';
import type { TrackOf } from './lesions';

interface RulerRow {
  id: number;
  participant_ref: number;
  track: Track;
  series_ref: number;
  anchors: string;
  saved_by: string;
  saved_at: string;
}

interface TraceRow {
  id: number;
  participant_ref: number;
  track: Track;
  visit_code: string;
  side: 'left' | 'right';
  series_ref: number;
  points: string;
  saved_by: string;
  saved_at: string;
}

type ClickedEnds = NonNullable<ObservationInput['ends']>;

/** What an observation records of its extent: the levels or flags in force, and the measurement behind them. */
export interface ExtentRecord {
  levels: { upper: VertebralLevel; lower: VertebralLevel } | null;
  opticExtent: { beyondHalfLength: boolean; involvesChiasm: boolean } | null;
  extent: MeasuredExtent | null;
  rulerRef: number | null;
  traceRef: number | null;
}

/** The lesion an observation belongs to, as far as its extent is concerned. */
export interface ExtentLesion {
  participant_ref: number;
  track: Track;
  region: Region;
  side: Side | null;
}

const rulerView = (row: RulerRow): VertebralRuler => ({
  id: row.id,
  participantId: row.participant_ref,
  seriesId: row.series_ref,
  track: row.track,
  anchors: JSON.parse(row.anchors),
  savedBy: row.saved_by,
  savedAt: row.saved_at,
});

const traceView = (row: TraceRow): NerveTrace => {
  const points = JSON.parse(row.points) as Vec3[];
  return { id: row.id, participantId: row.participant_ref, visitCode: row.visit_code, side: row.side, seriesId: row.series_ref, track: row.track, points: points as NerveTrace['points'], lengthMm: traceLength(points), savedBy: row.saved_by, savedAt: row.saved_at };
};

const sameLevels = (a: { upper: string; lower: string }, b: { upper: string; lower: string }) => a.upper === b.upper && a.lower === b.lower;
const sameFlags = (a: { beyondHalfLength: boolean; involvesChiasm: boolean }, b: { beyondHalfLength: boolean; involvesChiasm: boolean }) =>
  a.beyondHalfLength === b.beyondHalfLength && a.involvesChiasm === b.involvesChiasm;

// Prepared at first use: the start-up checks build the lesion service on a store not yet migrated to have these tables.
const measuringStatements = preparedOnce((db) => ({
  selectRuler: db.prepare<[number, Track], RulerRow>('SELECT * FROM vertebral_rulers WHERE series_ref = ? AND track = ?'),
  selectTrace: db.prepare<[number, Track, string, string], TraceRow>('SELECT * FROM nerve_traces WHERE participant_ref = ? AND track = ? AND visit_code = ? AND side = ?'),
}));

/** The rulers, traces and measurements of one store: reads only, so that the lesion service can measure with it. */
export function extentMeasurer(db: Db) {
  const rulerRow = (seriesId: number, track: Track) => measuringStatements(db).selectRuler.get(seriesId, track) ?? null;
  const traceRow = (participantId: number, track: Track, visitCode: string, side: string) => measuringStatements(db).selectTrace.get(participantId, track, visitCode, side) ?? null;

  /** A cord observation's measurement with a ruler, the typed levels (if any) overriding it. */
  function measureCord(ruler: { id: number; ruler: CordRuler }, ends: ClickedEnds, typed: ObservationInput['levels'], reason: string | undefined): ExtentRecord {
    const measured = cordExtent(ruler.ruler, ends[0], ends[1]);
    if (typeof measured === 'string') throw new ServiceError('invalid_request', measured);
    const measuredLevels = { upper: measured.upper, lower: measured.lower };
    const override = typed !== undefined && !sameLevels(typed, measuredLevels);
    if (override && !reason) throw new ServiceError('invalid_request', `The ruler measures ${measured.upper}-${measured.lower}: give a reason for recording ${typed.upper}-${typed.lower} instead.`);
    return {
      levels: override ? typed : measuredLevels,
      opticExtent: null,
      extent: { ends, rulerId: ruler.id, lengthMm: roundTo(measured.lengthMm, 2), measuredLevels, traceId: null, fractionOfNerve: null, measuredOptic: null, source: override ? 'override' : 'image', overrideReason: override ? reason! : null },
      rulerRef: ruler.id,
      traceRef: null,
    };
  }

  function measureOptic(trace: { id: number; points: Vec3[] }, ends: ClickedEnds, typed: ObservationInput['opticExtent'], reason: string | undefined): ExtentRecord {
    const stretch = opticStretch(trace.points, ends[0], ends[1]);
    if (typeof stretch === 'string') throw new ServiceError('invalid_request', stretch);
    const measuredOptic = { beyondHalfLength: stretch.beyondHalfLength, involvesChiasm: stretch.involvesChiasm };
    const override = typed !== undefined && !sameFlags(typed, measuredOptic);
    if (override && !reason) throw new ServiceError('invalid_request', 'The trace measures the extent otherwise: give a reason for recording yours instead.');
    return {
      levels: null,
      opticExtent: override ? typed : measuredOptic,
      extent: { ends, rulerId: null, lengthMm: null, measuredLevels: null, traceId: trace.id, fractionOfNerve: roundTo(stretch.fractionOfNerve, 4), measuredOptic, source: override ? 'override' : 'image', overrideReason: override ? reason! : null },
      rulerRef: null,
      traceRef: trace.id,
    };
  }

  return {
    rulerRow,
    traceRow,
    measureCord,
    measureOptic,

    /** What an observation input records of its extent: measured from its ends when it has them, else the typed values as they are. */
    record(lesion: ExtentLesion, input: ObservationInput): ExtentRecord {
      const typed: ExtentRecord = { levels: input.levels ?? null, opticExtent: input.opticExtent ?? null, extent: null, rulerRef: null, traceRef: null };
      if (!input.ends) {
        // A cord lesion's levels come from its clicked ends and the series' ruler; the typed list is an override, with its reason.
        if (lesion.region === 'spinal_cord' && input.levels) {
          if (!input.extentReason) throw new ServiceError('invalid_request', TYPED_LEVELS_NEED_A_REASON);
          return { ...typed, extent: { ...NOTHING_MEASURED, source: 'typed', overrideReason: input.extentReason } };
        }
        if (input.extentReason) throw new ServiceError('invalid_request', 'A reason overrides a measured extent: click the lesion\'s ends first.');
        return typed;
      }
      if (input.finding.kind !== 'measured') throw new ServiceError('invalid_request', 'Only a lesion measured at this visit has ends to click.');
      if (lesion.region === 'spinal_cord') {
        if (!input.image) throw new ServiceError('invalid_request', 'Say which series the ends were clicked on: its vertebral ruler gives their levels.');
        const row = rulerRow(input.image.seriesId, lesion.track);
        if (!row) throw new ServiceError('invalid_request', 'Set the vertebral ruler of this series first (click two or more labelled vertebral bodies): the levels of the ends follow from it.');
        return measureCord({ id: row.id, ruler: cordRuler(JSON.parse(row.anchors)) }, input.ends, input.levels, input.extentReason);
      }
      if (lesion.region === 'optic_nerve') {
        if (lesion.side !== 'left' && lesion.side !== 'right') throw new ServiceError('invalid_request', 'A stretch is measured along one nerve: a chiasm lesion involves the chiasm by definition.');
        const row = traceRow(lesion.participant_ref, lesion.track, input.visitCode, lesion.side);
        if (!row) throw new ServiceError('invalid_request', `Trace the ${lesion.side} optic nerve at this visit first (from the globe to the chiasm): the stretch is measured along it.`);
        return measureOptic({ id: row.id, points: JSON.parse(row.points) }, input.ends, input.opticExtent, input.extentReason);
      }
      throw new ServiceError('invalid_request', 'Ends are clicked for spinal cord and optic nerve lesions.');
    },
  };
}

export type ExtentMeasurer = ReturnType<typeof extentMeasurer>;

export const TYPED_LEVELS_NEED_A_REASON =
  'Click the lesion\'s upper and lower ends on the sagittal series (its vertebral ruler gives the levels), or give a reason for typing the levels instead.';

/** An extent with nothing measured: no ends, no ruler or trace, no values from them. */
const NOTHING_MEASURED = { ends: null, rulerId: null, lengthMm: null, measuredLevels: null, traceId: null, fractionOfNerve: null, measuredOptic: null } as const;

interface MeasuredObservationRow {
  id: number;
  lesion_ref: number;
  visit_code: string;
  participant_ref: number;
  track: Track;
  region: Region;
  extent: string;
  upper_level: string | null;
  lower_level: string | null;
  beyond_half_length: number | null;
  involves_chiasm: number | null;
}

/** The ruler and trace requests; a ruler or trace saved measures its unsigned observations again. */
export function createExtents(db: Db, actor: Actor, trackOf: TrackOf, assertMarker: () => void, isSigned: (read: TrackedRead) => boolean) {
  const now = () => new Date().toISOString();
  const measurer = extentMeasurer(db);
  const selectParticipantOfSeries = db.prepare<[number], { participant_ref: number }>(
    `SELECT l.participant_ref FROM series se JOIN studies st ON st.id = se.study_ref JOIN patient_links l ON l.patient_ref = st.patient_ref WHERE se.id = ?`,
  );
  const selectTraces = db.prepare<[number, Track, string], TraceRow>('SELECT * FROM nerve_traces WHERE participant_ref = ? AND track = ? AND visit_code = ? ORDER BY side');
  const upsertRuler = db.prepare(
    `INSERT INTO vertebral_rulers (participant_ref, track, series_ref, anchors, saved_by, saved_at) VALUES (@participant, @track, @series, @anchors, @by, @at)
     ON CONFLICT (series_ref, track) DO UPDATE SET anchors = excluded.anchors, saved_by = excluded.saved_by, saved_at = excluded.saved_at`,
  );
  const upsertTrace = db.prepare(
    `INSERT INTO nerve_traces (participant_ref, track, visit_code, side, series_ref, points, saved_by, saved_at) VALUES (@participant, @track, @visit, @side, @series, @points, @by, @at)
     ON CONFLICT (participant_ref, track, visit_code, side) DO UPDATE SET series_ref = excluded.series_ref, points = excluded.points, saved_by = excluded.saved_by, saved_at = excluded.saved_at`,
  );
  const measuredWith = (column: 'ruler_ref' | 'trace_ref') =>
    db.prepare<[number], MeasuredObservationRow>(
      `SELECT o.id, o.lesion_ref, o.visit_code, l.participant_ref, l.track, l.region, o.extent, o.upper_level, o.lower_level, o.beyond_half_length, o.involves_chiasm
         FROM observations o JOIN lesions l ON l.id = o.lesion_ref WHERE o.${column} = ? ORDER BY o.id`,
    );
  const selectMeasuredWithRuler = measuredWith('ruler_ref');
  const selectMeasuredWithTrace = measuredWith('trace_ref');
  const updateMeasured = db.prepare('UPDATE observations SET extent = @extent, upper_level = @upper, lower_level = @lower, beyond_half_length = @beyondHalf, involves_chiasm = @chiasm WHERE id = @id');

  /** The participant whose series this is, and this session's track of them (to change: a reader's own). */
  function participantOfSeries(seriesId: number): number {
    const row = selectParticipantOfSeries.get(seriesId);
    if (!row) throw new ServiceError('not_found', `Series ${seriesId} is not placed with a participant.`);
    return row.participant_ref;
  }

  /**
   * Measures again the observations that used a ruler or trace: unsigned ones get the new measurement (and, unless the
   * reader overrode them, the new levels or flags), each audited; signed ones stay as recorded. Refused as a whole when
   * the new ruler or trace cannot measure one of them.
   */
  function remeasure(rows: readonly MeasuredObservationRow[], measure: (ends: ClickedEnds) => ExtentRecord): { remeasured: number; keptSigned: number } {
    let remeasured = 0;
    let keptSigned = 0;
    for (const row of rows) {
      const read = { participantId: row.participant_ref, visitCode: row.visit_code, region: row.region, track: row.track };
      if (isSigned(read)) {
        keptSigned += 1;
        continue;
      }
      const before: MeasuredExtent = JSON.parse(row.extent);
      // Measured with this ruler or trace, so its ends were clicked (typed levels have neither).
      const measured = measure(before.ends!);
      // The reader's override stands (with its reason) beside the new measurement; otherwise the measurement is what is recorded.
      const overridden = before.source === 'override';
      const after: ExtentRecord = overridden ? { ...measured, extent: { ...measured.extent!, source: 'override', overrideReason: before.overrideReason }, levels: null, opticExtent: null } : measured;
      updateMeasured.run({
        id: row.id,
        extent: JSON.stringify(after.extent),
        upper: after.levels?.upper ?? row.upper_level,
        lower: after.levels?.lower ?? row.lower_level,
        beyondHalf: after.opticExtent ? Number(after.opticExtent.beyondHalfLength) : row.beyond_half_length,
        chiasm: after.opticExtent ? Number(after.opticExtent.involvesChiasm) : row.involves_chiasm,
      });
      appendAudit(db, {
        actor: actor(),
        action: 'observation.remeasure',
        entity: 'observation',
        entityId: `${row.lesion_ref}@${row.visit_code}`,
        oldValue: { extent: before, levels: row.upper_level ? { upper: row.upper_level, lower: row.lower_level } : null, opticExtent: row.beyond_half_length === null ? null : { beyondHalfLength: row.beyond_half_length === 1, involvesChiasm: row.involves_chiasm === 1 } },
        newValue: { extent: after.extent, levelsKept: overridden },
      });
      remeasured += 1;
    }
    return { remeasured, keptSigned };
  }

  return {
    vertebralRuler({ seriesId }: ParsedRequestOf<'vertebralRuler'>): VertebralRuler | null {
      const track = trackOf.view(participantOfSeries(seriesId));
      const row = track === null ? undefined : measurer.rulerRow(seriesId, track);
      return row ? rulerView(row) : null;
    },

    saveVertebralRuler({ seriesId, anchors, reason }: ParsedRequestOf<'saveVertebralRuler'>) {
      assertMarker();
      const participantId = participantOfSeries(seriesId);
      const problem = rulerProblem(anchors as RulerAnchor[]);
      if (problem) throw new ServiceError('invalid_request', problem);
      const track = trackOf.change(participantId);
      const ruler = cordRuler(anchors as RulerAnchor[]);
      return db.transaction(() => {
        const before = measurer.rulerRow(seriesId, track);
        upsertRuler.run({ participant: participantId, track, series: seriesId, anchors: JSON.stringify(ruler.anchors), by: actor(), at: now() });
        const row = measurer.rulerRow(seriesId, track)!;
        appendAudit(db, {
          actor: actor(),
          action: before ? 'ruler.update' : 'ruler.create',
          entity: 'ruler',
          entityId: `${participantId}/${track}/${seriesId}`,
          oldValue: before ? JSON.parse(before.anchors) : null,
          newValue: ruler.anchors,
          reason: reason ?? null,
        });
        const counts = remeasure(selectMeasuredWithRuler.all(row.id), (ends) => measurer.measureCord({ id: row.id, ruler }, ends, undefined, undefined));
        return { ruler: rulerView(row), ...counts };
      })();
    },

    nerveTraces({ participantId, visitCode }: ParsedRequestOf<'nerveTraces'>): NerveTrace[] {
      const track = trackOf.view(participantId);
      return track === null ? [] : selectTraces.all(participantId, track, visitCode).map(traceView);
    },

    saveNerveTrace({ participantId, visitCode, side, seriesId, points, reason }: ParsedRequestOf<'saveNerveTrace'>) {
      assertMarker();
      if (participantOfSeries(seriesId) !== participantId) throw new ServiceError('invalid_request', 'The series traced on is not one of this participant\'s.');
      const problem = traceProblem(points);
      if (problem) throw new ServiceError('invalid_request', problem);
      const track = trackOf.change(participantId);
      return db.transaction(() => {
        const before = measurer.traceRow(participantId, track, visitCode, side);
        upsertTrace.run({ participant: participantId, track, visit: visitCode, side, series: seriesId, points: JSON.stringify(points), by: actor(), at: now() });
        const row = measurer.traceRow(participantId, track, visitCode, side)!;
        appendAudit(db, {
          actor: actor(),
          action: before ? 'nerve-trace.update' : 'nerve-trace.create',
          entity: 'nerve-trace',
          entityId: `${participantId}/${track}/${visitCode}/${side}`,
          oldValue: before ? { seriesId: before.series_ref, points: JSON.parse(before.points) } : null,
          newValue: { seriesId, points },
          reason: reason ?? null,
        });
        const counts = remeasure(selectMeasuredWithTrace.all(row.id), (ends) => measurer.measureOptic({ id: row.id, points: points as Vec3[] }, ends, undefined, undefined));
        return { trace: traceView(row), ...counts };
      })();
    },
  };
}
