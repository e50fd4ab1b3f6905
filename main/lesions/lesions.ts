// Lesions with one identity for the whole trial, one observation per visit,
// and the counts derived from them by the charter's rules (shared/counting.ts).
// Every change is one transaction with its audit entry; counts are never stored.
import type { CountCell, CountsReport, LesionView, ObservationInput, ObservationView, ParsedRequestOf, Side, Track } from '../../shared/contract';
import type { TrackedRead } from '../reads/tracks';
import {
  type CharterSettings,
  type FinalStatus,
  type Finding,
  type LesionHistory,
  type LesionStatus,
  type VisitRegionCount,
  type VisitSlot,
  DEFAULT_CHARTER,
  comparatorVisit,
  countByVisitAndRegion,
  endpointTotal,
  scheduledSlot,
  suggestStatus,
} from '../../shared/counting';
import { type Region, LETM_MIN_SEGMENTS, REGION_PREFIX, dicomDateToDay, isoDateToDay, segmentsSpanned } from '../../shared/protocol';
import { ServiceError } from '../services/dispatch';
import { appendAudit } from '../store/audit';
import type { Db } from '../store/database';
import { storeIdentity, trackingUid } from '../store/identity';
import { preparedOnce } from '../store/prepared';
import { readSetting, writeSetting } from '../store/settings';
import type { Actor } from '../services/session';
import { readProtocol } from '../trial/organisation';
import { type ExtentLesion, type ExtentRecord, extentMeasurer } from './extents';

interface LesionRow {
  id: number;
  participant_ref: number;
  track: Track;
  region: Region;
  label: string;
  side: Side | null;
  split_from: number | null;
  split_at: string | null;
}

interface ObservationRow {
  lesion_ref: number;
  visit_code: string;
  kind: Finding['kind'];
  longest_diameter_mm: number | null;
  merged_into: number | null;
  series_ref: number | null;
  instance_ref: number | null;
  frame: number | null;
  marks: string | null;
  upper_level: string | null;
  lower_level: string | null;
  beyond_half_length: number | null;
  involves_chiasm: number | null;
  status_override: LesionStatus | null;
  override_reason: string | null;
  extent: string | null;
  recorded_by: string;
  recorded_at: string;
}

// Prepared at first use: the start-up checks build this service on a store not yet migrated to have the extent columns.
const upsertObservation = preparedOnce((db) =>
  db.prepare(
    `INSERT INTO observations (lesion_ref, visit_code, kind, longest_diameter_mm, merged_into, series_ref, instance_ref, frame, marks,
       upper_level, lower_level, beyond_half_length, involves_chiasm, extent, ruler_ref, trace_ref, recorded_by, recorded_at)
     VALUES (@lesion, @visit, @kind, @diameter, @mergedInto, @series, @instance, @frame, @marks, @upper, @lower, @beyondHalf, @chiasm, @extent, @ruler, @trace, @by, @at)
     ON CONFLICT (lesion_ref, visit_code) DO UPDATE SET kind = excluded.kind, longest_diameter_mm = excluded.longest_diameter_mm,
       merged_into = excluded.merged_into, series_ref = excluded.series_ref, instance_ref = excluded.instance_ref, frame = excluded.frame,
       marks = excluded.marks, upper_level = excluded.upper_level, lower_level = excluded.lower_level,
       beyond_half_length = excluded.beyond_half_length, involves_chiasm = excluded.involves_chiasm,
       extent = excluded.extent, ruler_ref = excluded.ruler_ref, trace_ref = excluded.trace_ref,
       recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
  ),
);

export const readCharter = (db: Db): CharterSettings => readSetting(db, 'charter', DEFAULT_CHARTER);

function toFinding(row: ObservationRow): Finding {
  switch (row.kind) {
    case 'measured':
      return { kind: 'measured', longestDiameterMm: row.longest_diameter_mm! };
    case 'merged':
      return { kind: 'merged', into: String(row.merged_into) };
    default:
      return { kind: row.kind };
  }
}

/** Per region, the visits at which one participant was scanned, with the series of each read (from the worklist). */
export type ScannedVisits = (participantId: number) => ReadonlyMap<Region, ReadonlyMap<string, readonly number[]>>;

/** Throws unless this reader may change this read now (a reader is chosen, and the read is not signed). */
export type AssertMayChange = (read: TrackedRead) => void;

/** Which track a request reaches (reads/tracks.ts): to see, null when this session has none yet; to change, taken at a reader's first change. */
export interface TrackOf {
  view(participantId: number, asked?: Track): Track | null;
  change(participantId: number): Track;
}

export type ParticipantReport = ReturnType<ReturnType<typeof createLesions>['report']>;

/** What a write to a lesion did: the lesion, and the read (participant, visit, region, track) it changed. */
export interface LesionWrite {
  lesionId: number;
  read: TrackedRead;
}

/** The counts report of some participants under a charter, from their evaluations. */
export function countsOf(charter: CharterSettings, reports: readonly ParticipantReport[]): CountsReport {
  const participants = reports.map(({ participantId, subjectCode, cells, endpointTotal: total }) => ({ participantId, subjectCode, cells, endpointTotal: total }));
  return { charter, participants, trialTotal: participants.reduce((sum, item) => sum + item.endpointTotal, 0) };
}

/** A double read's final counts of a participant (reads/adjudication.ts): agreed or adjudicated; null while not final. */
export type FinalCells = (participantId: number) => CountCell[] | null;

export function createLesions(db: Db, actor: Actor, scannedVisits: ScannedVisits, trackOf: TrackOf, assertMayChange: AssertMayChange, finalCells: FinalCells = () => null) {
  const now = () => new Date().toISOString();
  const identity = storeIdentity(db);
  const selectParticipant = db.prepare<[number], { id: number; subject_code: string; baseline_date: string }>('SELECT id, subject_code, baseline_date FROM participants WHERE id = ?');
  const selectParticipantIds = db.prepare<[], { id: number }>('SELECT id FROM participants ORDER BY subject_code');
  const selectUnscheduledVisits = db.prepare<[number], { visit_code: string }>(
    `SELECT DISTINCT d.visit_code FROM study_decisions d JOIN studies s ON s.id = d.study_ref JOIN patient_links l ON l.patient_ref = s.patient_ref
      WHERE l.participant_ref = ? AND d.visit_code LIKE 'UNS-%'`,
  );
  const selectLesions = db.prepare<[number, Track], LesionRow>('SELECT id, participant_ref, track, region, label, side, split_from, split_at FROM lesions WHERE participant_ref = ? AND track = ? ORDER BY region, number');
  const selectLesion = db.prepare<[number], LesionRow>('SELECT id, participant_ref, track, region, label, side, split_from, split_at FROM lesions WHERE id = ?');
  const selectObservations = db.prepare<[number, Track], ObservationRow>(
    'SELECT o.* FROM observations o JOIN lesions l ON l.id = o.lesion_ref WHERE l.participant_ref = ? AND l.track = ? ORDER BY o.lesion_ref, o.visit_code',
  );
  const selectObservation = db.prepare<[number, string], ObservationRow>('SELECT * FROM observations WHERE lesion_ref = ? AND visit_code = ?');
  const countInstanceOfSeries = db.prepare<[number, number], { n: number }>('SELECT count(*) AS n FROM instances WHERE id = ? AND series_ref = ?');
  // Numbers run per participant and region over all tracks (the table's key); labels per track, so each reader's first lesion is B1.
  const selectNextNumber = db.prepare<[number, string], { next: number }>('SELECT COALESCE(MAX(number), 0) + 1 AS next FROM lesions WHERE participant_ref = ? AND region = ?');
  const selectNextOrdinal = db.prepare<[number, string, Track], { next: number }>('SELECT count(*) + 1 AS next FROM lesions WHERE participant_ref = ? AND region = ? AND track = ?');
  const insertLesion = db.prepare(
    `INSERT INTO lesions (participant_ref, track, region, number, label, side, split_from, split_at, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const measurer = extentMeasurer(db);
  const updateOverride = db.prepare('UPDATE observations SET status_override = ?, override_reason = ? WHERE lesion_ref = ? AND visit_code = ?');

  function participant(participantId: number) {
    const row = selectParticipant.get(participantId);
    if (!row) throw new ServiceError('not_found', `Participant ${participantId} does not exist.`);
    return row;
  }

  /** The visits of a participant in time order, with the read visits of each region. */
  function visitSlots(participantId: number, baselineDate: string, observed: readonly string[]) {
    const { schedule } = readProtocol(db);
    const baseline = isoDateToDay(baselineDate) ?? 0;
    const slots: VisitSlot[] = schedule.visits.map(scheduledSlot);
    const unscheduled = new Set(observed.filter((code) => code.startsWith('UNS-')));
    for (const row of selectUnscheduledVisits.all(participantId)) unscheduled.add(row.visit_code);
    for (const code of unscheduled) {
      const day = dicomDateToDay(code.slice(4));
      // Same day as a scheduled visit sorts after it: the unscheduled scan came second.
      slots.push({ code, order: day === null ? Number.MAX_SAFE_INTEGER : day - baseline + 0.5, isBaseline: false, inEndpoint: false });
    }
    return slots.sort((a, b) => a.order - b.order);
  }

  /**
   * Everything about one participant's lesions in one track, with the rules applied at every visit; `scans` when the
   * caller has placed the series already. Track null is a reader's track not taken yet: no lesions, zero where scanned.
   */
  function evaluate(participantId: number, track: Track | null, scans: ReturnType<ScannedVisits> = scannedVisits(participantId)) {
    const person = participant(participantId);
    const lesions = track === null ? [] : selectLesions.all(participantId, track);
    const observations = track === null ? [] : selectObservations.all(participantId, track);
    const charter = readCharter(db);
    const slots = visitSlots(participantId, person.baseline_date, observations.map((row) => row.visit_code));
    const byLesion = new Map<number, ObservationRow[]>();
    for (const row of observations) byLesion.set(row.lesion_ref, [...(byLesion.get(row.lesion_ref) ?? []), row]);
    const histories = new Map<string, LesionHistory>();
    for (const lesion of lesions) {
      const rows = byLesion.get(lesion.id) ?? [];
      const mergedFrom = observations.filter((row) => row.kind === 'merged' && row.merged_into === lesion.id).map((row) => ({ lesionId: String(row.lesion_ref), atVisit: row.visit_code }));
      histories.set(String(lesion.id), {
        id: String(lesion.id),
        region: lesion.region,
        findings: new Map(rows.map((row) => [row.visit_code, toFinding(row)])),
        mergedFrom,
        ...(lesion.split_from !== null && lesion.split_at !== null ? { splitFrom: { lesionId: String(lesion.split_from), atVisit: lesion.split_at } } : {}),
      });
    }
    const labels = new Map(lesions.map((lesion) => [lesion.id, lesion.label]));
    // A region's comparator is the previous visit at which that region was scanned (or a finding recorded).
    const readVisits = (region: Region) =>
      slots.filter((slot) => slot.isBaseline || scans.get(region)?.has(slot.code) || [...histories.values()].some((other) => other.region === region && other.findings.has(slot.code)));
    const views: LesionView[] = lesions.map((lesion) => {
      const history = histories.get(String(lesion.id))!;
      const read = readVisits(lesion.region);
      const observationViews = (byLesion.get(lesion.id) ?? []).map((row): ObservationView => {
        const slot = slots.find((candidate) => candidate.code === row.visit_code);
        const suggestion = slot ? suggestStatus(history, slot, read, charter, histories) : null;
        const finalStatus = row.status_override ?? suggestion?.status ?? null;
        const counted = row.status_override ? row.status_override === 'new' || row.status_override === 'enlarging' : (suggestion?.counted ?? false);
        const finding = toFinding(row);
        const segments = row.upper_level && row.lower_level ? segmentsSpanned(row.upper_level, row.lower_level) : null;
        return {
          visitCode: row.visit_code,
          finding: finding.kind === 'merged' ? { kind: 'merged', intoLesionId: row.merged_into! } : finding,
          image: row.series_ref !== null && row.instance_ref !== null && row.frame !== null ? { seriesId: row.series_ref, instanceId: row.instance_ref, frame: row.frame } : null,
          marks: row.marks ? JSON.parse(row.marks) : null,
          levels: row.upper_level && row.lower_level ? { upper: row.upper_level, lower: row.lower_level, segments, longitudinallyExtensive: segments !== null && segments >= LETM_MIN_SEGMENTS } : null,
          opticExtent: row.beyond_half_length === null ? null : { beyondHalfLength: row.beyond_half_length === 1, involvesChiasm: row.involves_chiasm === 1 },
          extent: row.extent ? JSON.parse(row.extent) : null,
          suggestion: suggestion ? { ...suggestion, why: suggestion.why.replace(/merged into (\d+)/, (_, id) => `merged into ${labels.get(Number(id)) ?? id}`) } : null,
          override: row.status_override ? { status: row.status_override, reason: row.override_reason ?? '' } : null,
          finalStatus,
          counted,
          recordedBy: row.recorded_by,
          recordedAt: row.recorded_at,
        };
      });
      return {
        id: lesion.id,
        participantId,
        label: lesion.label,
        trackingUid: trackingUid(identity, lesion.id),
        track: lesion.track,
        region: lesion.region,
        side: lesion.side,
        splitFrom: lesion.split_from !== null ? { lesionId: lesion.split_from, label: labels.get(lesion.split_from) ?? '', atVisit: lesion.split_at ?? '' } : null,
        mergedFrom: history.mergedFrom!.map((merged) => ({ lesionId: Number(merged.lesionId), label: labels.get(Number(merged.lesionId)) ?? '', atVisit: merged.atVisit })),
        observations: observationViews,
      };
    });
    const statuses: FinalStatus[] = views.flatMap((view) =>
      view.observations
        .filter((observation) => observation.finalStatus !== null)
        .map((observation) => ({ lesionId: String(view.id), region: view.region, visitCode: observation.visitCode, status: observation.finalStatus!, counted: observation.counted, comparatorVisit: observation.suggestion?.comparatorVisit ?? null })),
    );
    const counted = countByVisitAndRegion(statuses);
    const cells = [...counted, ...zeroCells(counted, scans, slots, charter)].sort((a, b) => order(slots, a.visitCode) - order(slots, b.visitCode) || a.region.localeCompare(b.region));
    /** The visit a read of this region at this visit is compared with, by the charter. */
    const comparatorOf = (visitCode: string, region: Region): string | null => {
      const slot = slots.find((candidate) => candidate.code === visitCode);
      return slot ? (comparatorVisit(slot, readVisits(region), charter.comparator)?.code ?? null) : null;
    };
    const seriesOf = (visitCode: string, region: Region): readonly number[] => scans.get(region)?.get(visitCode) ?? [];
    return { participantId, subjectCode: person.subject_code, track, views, slots, charter, cells, endpointTotal: endpointTotal(cells, slots), comparatorOf, seriesOf };
  }

  /** A lesion of the track this session changes: another track's lesion is answered as not existing, so that its existence does not leak either. */
  function lesionOf(lesionId: number, track: (participantId: number) => Track | null): LesionRow {
    const row = selectLesion.get(lesionId);
    if (!row || row.track !== track(row.participant_ref)) throw new ServiceError('not_found', `Lesion ${lesionId} does not exist.`);
    return row;
  }

  /** A lesion this session changes: in its own track, which must be one it may change now. */
  function lesionToChange(lesionId: number): LesionRow {
    const lesion = lesionOf(lesionId, (participantId) => trackOf.view(participantId));
    trackOf.change(lesion.participant_ref);
    return lesion;
  }

  /** What this session sees of a participant: its track's evaluation (an empty one before a reader has taken a track). */
  function evaluateSeen(participantId: number, asked?: Track) {
    participant(participantId);
    return evaluate(participantId, trackOf.view(participantId, asked));
  }


  /** Refuses an observation that cannot be recorded; answers what it records of its extent (measured from its ends, if clicked). */
  function checkObservation(lesion: Pick<LesionRow, 'id' | 'side'> & ExtentLesion, input: ObservationInput): ExtentRecord {
    const { schedule } = readProtocol(db);
    if (!schedule.visits.some((visit) => visit.code === input.visitCode) && !/^UNS-\d{8}$/.test(input.visitCode)) {
      throw new ServiceError('invalid_request', `"${input.visitCode}" is not a visit of the schedule.`);
    }
    if (input.levels && lesion.region !== 'spinal_cord') throw new ServiceError('invalid_request', 'Vertebral levels belong to spinal cord lesions.');
    if (input.levels && segmentsSpanned(input.levels.upper, input.levels.lower) === null) {
      throw new ServiceError('invalid_request', `The upper level (${input.levels.upper}) must be at or above the lower level (${input.levels.lower}).`);
    }
    if (input.opticExtent && lesion.region !== 'optic_nerve') throw new ServiceError('invalid_request', 'Optic nerve extent belongs to optic nerve lesions.');
    if (input.finding.kind === 'merged') {
      const into = lesionOf(input.finding.intoLesionId, () => lesion.track);
      if (into.id === lesion.id || into.participant_ref !== lesion.participant_ref || into.region !== lesion.region) {
        throw new ServiceError('invalid_request', 'A lesion merges into another lesion of the same participant and region.');
      }
    }
    if (input.image) {
      const known = countInstanceOfSeries.get(input.image.instanceId, input.image.seriesId);
      if (!known || known.n === 0) throw new ServiceError('invalid_request', 'The marked image is not an instance of that series.');
    }
    return measurer.record(lesion, input);
  }

  function writeObservation(lesionId: number, input: ObservationInput, extent: ExtentRecord): void {
    const finding = input.finding;
    upsertObservation(db).run({
      lesion: lesionId,
      visit: input.visitCode,
      kind: finding.kind,
      diameter: finding.kind === 'measured' ? finding.longestDiameterMm : null,
      mergedInto: finding.kind === 'merged' ? finding.intoLesionId : null,
      series: input.image?.seriesId ?? null,
      instance: input.image?.instanceId ?? null,
      frame: input.image?.frame ?? null,
      marks: input.marks ? JSON.stringify(input.marks) : null,
      upper: extent.levels?.upper ?? null,
      lower: extent.levels?.lower ?? null,
      beyondHalf: extent.opticExtent ? Number(extent.opticExtent.beyondHalfLength) : null,
      chiasm: extent.opticExtent ? Number(extent.opticExtent.involvesChiasm) : null,
      extent: extent.extent ? JSON.stringify(extent.extent) : null,
      ruler: extent.rulerRef,
      trace: extent.traceRef,
      by: actor(),
      at: now(),
    });
  }

  function observationSnapshot(lesionId: number, visitCode: string) {
    return selectObservation.get(lesionId, visitCode) ?? null;
  }

  return {
    listLesions: ({ participantId, track }: ParsedRequestOf<'listLesions'>) => evaluateSeen(participantId, track).views,

    createLesion(request: ParsedRequestOf<'createLesion'>): LesionWrite {
      participant(request.participantId);
      if (request.side && request.region !== 'optic_nerve') throw new ServiceError('invalid_request', 'Only optic nerve lesions have a side.');
      const track = trackOf.change(request.participantId);
      if (request.splitFromLesionId !== undefined) {
        const parent = lesionOf(request.splitFromLesionId, () => track);
        if (parent.participant_ref !== request.participantId || parent.region !== request.region) {
          throw new ServiceError('invalid_request', 'A lesion splits from another lesion of the same participant and region.');
        }
      }
      const extent = checkObservation({ id: 0, participant_ref: request.participantId, region: request.region, track, side: request.side ?? null }, request.observation);
      assertMayChange({ participantId: request.participantId, visitCode: request.observation.visitCode, region: request.region, track });
      const id = db.transaction(() => {
        const next = selectNextNumber.get(request.participantId, request.region)!.next;
        const label = `${REGION_PREFIX[request.region]}${selectNextOrdinal.get(request.participantId, request.region, track)!.next}`;
        const splitAt = request.splitFromLesionId === undefined ? null : request.observation.visitCode;
        const lesionId = Number(insertLesion.run(request.participantId, track, request.region, next, label, request.side ?? null, request.splitFromLesionId ?? null, splitAt, actor(), now()).lastInsertRowid);
        writeObservation(lesionId, request.observation, extent);
        appendAudit(db, {
          actor: actor(),
          action: 'lesion.create',
          entity: 'lesion',
          entityId: lesionId,
          newValue: { label, track, region: request.region, side: request.side ?? null, splitFrom: request.splitFromLesionId ?? null, observation: request.observation, extent: extent.extent },
          reason: extent.extent?.overrideReason ?? null,
        });
        return lesionId;
      })();
      return { lesionId: id, read: { participantId: request.participantId, visitCode: request.observation.visitCode, region: request.region, track } };
    },

    recordObservation(request: ParsedRequestOf<'recordObservation'>): LesionWrite {
      const lesion = lesionToChange(request.lesionId);
      const extent = checkObservation(lesion, request);
      assertMayChange({ participantId: lesion.participant_ref, visitCode: request.visitCode, region: lesion.region, track: lesion.track });
      db.transaction(() => {
        const before = observationSnapshot(lesion.id, request.visitCode);
        writeObservation(lesion.id, request, extent);
        appendAudit(db, {
          actor: actor(),
          action: before ? 'observation.update' : 'observation.create',
          entity: 'observation',
          entityId: `${lesion.id}@${request.visitCode}`,
          oldValue: before,
          newValue: { finding: request.finding, image: request.image ?? null, marks: request.marks ?? null, levels: extent.levels, opticExtent: extent.opticExtent, extent: extent.extent },
          reason: [request.reason, extent.extent?.overrideReason].filter(Boolean).join('; ') || null,
        });
      })();
      return { lesionId: lesion.id, read: { participantId: lesion.participant_ref, visitCode: request.visitCode, region: lesion.region, track: lesion.track } };
    },

    overrideStatus({ lesionId, visitCode, status, reason }: ParsedRequestOf<'overrideStatus'>): LesionWrite {
      const lesion = lesionToChange(lesionId);
      const before = observationSnapshot(lesion.id, visitCode);
      if (!before) throw new ServiceError('not_found', `${lesion.label} has no observation at ${visitCode}.`);
      assertMayChange({ participantId: lesion.participant_ref, visitCode, region: lesion.region, track: lesion.track });
      db.transaction(() => {
        updateOverride.run(status, status === null ? null : (reason ?? null), lesion.id, visitCode);
        appendAudit(db, {
          actor: actor(),
          action: status === null ? 'status.accept' : 'status.override',
          entity: 'observation',
          entityId: `${lesion.id}@${visitCode}`,
          oldValue: { override: before.status_override, reason: before.override_reason },
          newValue: { override: status },
          reason: reason ?? null,
        });
      })();
      return { lesionId: lesion.id, read: { participantId: lesion.participant_ref, visitCode, region: lesion.region, track: lesion.track } };
    },

    /** One participant's lesions, counts and read visits in one track from one evaluation: what sign-off and its checks read. */
    report: evaluate,
    /** The same, of the track this session sees. */
    reportSeen: evaluateSeen,

    counts({ participantId, track }: ParsedRequestOf<'counts'>): CountsReport {
      const ids = participantId !== undefined ? [participant(participantId).id] : selectParticipantIds.all().map((row) => row.id);
      return countsOf(
        readCharter(db),
        ids.map((id) => {
          const seen = evaluateSeen(id, track);
          if (seen.track !== 'final') return seen;
          // The final values of a double read are the readers' agreed counts, or the adjudicator's track once signed; none before.
          const cells = finalCells(id) ?? [];
          return { ...seen, cells, endpointTotal: endpointTotal(cells, seen.slots) };
        }),
      );
    },

    charter: () => readCharter(db),

    saveCharter({ charter, reason }: ParsedRequestOf<'saveCharter'>): CharterSettings {
      const old = readCharter(db);
      if (JSON.stringify(charterKeys(old)) === JSON.stringify(charterKeys(charter))) return old;
      if (!reason?.trim()) throw new ServiceError('invalid_request', 'Give a reason for changing the charter: it goes into the audit trail.');
      // Counts are derived under the charter in force: the services refuse a charter that would change a signed read's.
      db.transaction(() => {
        writeSetting(db, 'charter', charter);
        appendAudit(db, { actor: actor(), action: 'charter.update', entity: 'settings', entityId: 'charter', oldValue: old, newValue: charter, reason: reason ?? null });
      })();
      return charter;
    },
  };
}

/** A charter's settings in a fixed order, to compare two charters. */
function charterKeys(charter: CharterSettings) {
  return [charter.id, charter.comparator, charter.minimumSizeMm, charter.enlargingRelative, charter.enlargingAbsoluteMm, charter.enlargingRule];
}

function order(slots: readonly VisitSlot[], code: string): number {
  return slots.find((slot) => slot.code === code)?.order ?? Number.MAX_SAFE_INTEGER;
}

/**
 * A region scanned at a visit with no lesion there still has a count: zero.
 * Without these rows an export could not tell "read, nothing new" from "not read".
 */
function zeroCells(counted: readonly VisitRegionCount[], scanned: ReadonlyMap<Region, ReadonlyMap<string, readonly number[]>>, slots: readonly VisitSlot[], charter: CharterSettings): VisitRegionCount[] {
  const zeros: VisitRegionCount[] = [];
  for (const [region, visits] of scanned) {
    const read = slots.filter((slot) => slot.isBaseline || visits.has(slot.code));
    for (const slot of read) {
      if (!visits.has(slot.code) || counted.some((cell) => cell.visitCode === slot.code && cell.region === region)) continue;
      const comparator = slot.isBaseline ? null : comparatorVisit(slot, read, charter.comparator);
      zeros.push({ visitCode: slot.code, region, new: 0, enlarging: 0, newOrEnlarging: 0, comparatorVisit: comparator?.code ?? null });
    }
  }
  return zeros;
}
