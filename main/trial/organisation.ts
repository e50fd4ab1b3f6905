// Trial organisation: who each DICOM patient is, which visit each study is,
// which region each series images. Suggestions come from the protocol's
// rules (shared/protocol.ts) and are computed afresh; only a reader's
// confirmations and overrides are stored, each with its audit entry.
import type { DicomPatient, ParsedRequestOf, Participant, ReadKey, ReadReadiness, ReadStatus, SeriesAssignment, StudyAssignment, TrialSetup, Worklist, WorklistCell } from '../../shared/contract';
import {
  type ClassificationRules,
  type Region,
  type Sequence,
  type VisitSchedule,
  DEFAULT_RULES,
  DEFAULT_SCHEDULE,
  REGIONS,
  UNSCHEDULED,
  unscheduledVisitCode,
  classifyOrientation,
  suggestRegion,
  suggestVisit,
} from '../../shared/protocol';
import { readState } from '../../shared/read-state';
import { baselineDateProblem, localDay } from '../../shared/validation';
import { ServiceError } from '../services/dispatch';
import { appendAudit } from '../store/audit';
import type { Db } from '../store/database';
import { readSetting, writeSetting } from '../store/settings';
import type { Actor } from '../services/session';

export function readProtocol(db: Db): { schedule: VisitSchedule; rules: ClassificationRules } {
  return { schedule: readSetting(db, 'visit_schedule', DEFAULT_SCHEDULE), rules: readSetting(db, 'classification_rules', DEFAULT_RULES) };
}

interface StudyRow {
  id: number;
  study_date: string;
  description: string;
  patient_id: string;
  participant_id: number | null;
  subject_code: string | null;
  baseline_date: string | null;
  decided_visit: string | null;
  has_decision: number;
  decision_reason: string | null;
  imported_at: string;
}

interface SeriesRow {
  id: number;
  study_ref: number;
  modality: string;
  description: string;
  protocol_name: string;
  body_part: string;
  image_type: string;
  series_number: number | null;
  orientation: string | null;
  slice_count: number;
  decided_region: string | null;
  decided_sequence: string | null;
  has_decision: number;
  decision_reason: string | null;
  imported_at: string;
}

/** Why a study or series is not suggested into a read: it could change a read that is already signed. */
const ARRIVED_AFTER_SIGNING = 'imported after a read of this participant was signed: a reader assigns it';

/** Per region and visit, the series of one participant's reads. */
export type Scans = ReadonlyMap<Region, ReadonlyMap<string, readonly number[]>>;

/** The same with each series' sequence, which decides the series a layout shows (shared/hanging.ts). */
export type PlacedSeries = ReadonlyMap<Region, ReadonlyMap<string, readonly { seriesId: number; sequence: Sequence }[]>>;

/** What the worklist shows of a read beyond its images. */
export interface ReadProgress {
  status: ReadStatus;
  problems: ReadReadiness['problems'];
  reader: string | null;
  changedAt: string | null;
  newOrEnlarging: number | null;
  tracks: WorklistCell['tracks'];
}

/** One worklist load's view of the reads: asked once per participant (with the series placed already), then once per read. */
export type ReadsProgress = (participantId: number, scans: Scans) => (read: ReadKey) => ReadProgress;

export function createOrganisation(db: Db, actor: Actor) {
  const now = () => new Date().toISOString();
  const selectParticipants = db.prepare<[], Participant>('SELECT id, subject_code AS subjectCode, baseline_date AS baselineDate FROM participants ORDER BY subject_code');
  const selectParticipant = db.prepare<[number], Participant>('SELECT id, subject_code AS subjectCode, baseline_date AS baselineDate FROM participants WHERE id = ?');
  const selectParticipantByCode = db.prepare<[string], { id: number }>('SELECT id FROM participants WHERE subject_code = ?');
  const insertParticipant = db.prepare('INSERT INTO participants (subject_code, baseline_date) VALUES (?, ?)');
  const updateParticipant = db.prepare('UPDATE participants SET subject_code = ?, baseline_date = ? WHERE id = ?');
  const selectPatients = db.prepare<[], DicomPatient>(
    `SELECT p.id, p.patient_id AS patientId, COUNT(s.id) AS studyCount, l.participant_ref AS participantId
       FROM patients p LEFT JOIN studies s ON s.patient_ref = p.id LEFT JOIN patient_links l ON l.patient_ref = p.id
      GROUP BY p.id ORDER BY p.patient_id`,
  );
  const deletePatientLink = db.prepare('DELETE FROM patient_links WHERE patient_ref = ?');
  const upsertPatientLink = db.prepare('INSERT INTO patient_links (patient_ref, participant_ref) VALUES (?, ?) ON CONFLICT (patient_ref) DO UPDATE SET participant_ref = excluded.participant_ref');
  const selectFirstSignatures = db.prepare<[], { participant_ref: number; at: string }>('SELECT participant_ref, MIN(signed_at) AS at FROM signatures GROUP BY participant_ref');
  // Filtered by study or by participant, or neither (every study).
  const selectStudies = db.prepare<[number | null, number | null, number | null, number | null], StudyRow>(
    `SELECT st.id, st.study_date, st.description, p.patient_id, pa.id AS participant_id, pa.subject_code, pa.baseline_date,
            d.visit_code AS decided_visit, d.study_ref IS NOT NULL AS has_decision, d.reason AS decision_reason,
            (SELECT MIN(im.started_at) FROM series se JOIN instances i ON i.series_ref = se.id JOIN imports im ON im.id = i.import_ref WHERE se.study_ref = st.id) AS imported_at
       FROM studies st
       JOIN patients p ON p.id = st.patient_ref
       LEFT JOIN patient_links l ON l.patient_ref = p.id
       LEFT JOIN participants pa ON pa.id = l.participant_ref
       LEFT JOIN study_decisions d ON d.study_ref = st.id
      WHERE (? IS NULL OR st.id = ?) AND (? IS NULL OR pa.id = ?)
      ORDER BY pa.subject_code, st.study_date, st.id`,
  );
  const selectSeries = db.prepare<[number | null, number | null, number | null, number | null], SeriesRow>(
    `SELECT s.id, s.study_ref, s.modality, s.description, s.protocol_name, s.body_part, s.image_type, s.series_number,
            (SELECT i.image_orientation FROM instances i WHERE i.series_ref = s.id AND i.image_orientation IS NOT NULL LIMIT 1) AS orientation,
            (SELECT COALESCE(SUM(i.frames), 0) FROM instances i WHERE i.series_ref = s.id AND i.has_pixel_data = 1) AS slice_count,
            d.region AS decided_region, d.sequence AS decided_sequence, d.series_ref IS NOT NULL AS has_decision, d.reason AS decision_reason,
            (SELECT MIN(im.started_at) FROM instances i JOIN imports im ON im.id = i.import_ref WHERE i.series_ref = s.id) AS imported_at
       FROM series s LEFT JOIN series_decisions d ON d.series_ref = s.id
      WHERE (? IS NULL OR s.study_ref = ?)
        AND (? IS NULL OR s.study_ref IN (SELECT st.id FROM studies st JOIN patient_links l ON l.patient_ref = st.patient_ref WHERE l.participant_ref = ?))
      ORDER BY s.series_number, s.id`,
  );
  const selectStudyOfSeries = db.prepare<[number], { study_ref: number }>('SELECT study_ref FROM series WHERE id = ?');
  const upsertStudyDecision = db.prepare(
    `INSERT INTO study_decisions (study_ref, visit_code, decided_by, decided_at, reason) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (study_ref) DO UPDATE SET visit_code = excluded.visit_code, decided_by = excluded.decided_by, decided_at = excluded.decided_at, reason = excluded.reason`,
  );
  const upsertSeriesDecision = db.prepare(
    `INSERT INTO series_decisions (series_ref, region, sequence, decided_by, decided_at, reason) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (series_ref) DO UPDATE SET region = excluded.region, sequence = excluded.sequence, decided_by = excluded.decided_by, decided_at = excluded.decided_at, reason = excluded.reason`,
  );

  function participants(): Participant[] {
    return selectParticipants.all();
  }

  function patients(): DicomPatient[] {
    return selectPatients.all();
  }

  function setup(): TrialSetup {
    return { participants: participants(), patients: patients(), ...readProtocol(db) };
  }

  /** The first time each participant had a read signed: images that arrive later wait for a reader's decision. */
  function firstSignatures(): Map<number, string> {
    const rows = selectFirstSignatures.all();
    return new Map(rows.map((row) => [row.participant_ref, row.at]));
  }

  function seriesAssignment(row: SeriesRow, rules: ClassificationRules, firstSigned: string | undefined): SeriesAssignment {
    const orientation = classifyOrientation(row.orientation ? row.orientation.split('\\').map(Number) : null);
    const suggestion = suggestRegion(
      { modality: row.modality, description: row.description, protocolName: row.protocol_name, bodyPart: row.body_part, orientation, imageType: row.image_type, sliceCount: row.slice_count },
      rules,
    );
    const base = { seriesId: row.id, description: row.description, seriesNumber: row.series_number, modality: row.modality, orientation, sliceCount: row.slice_count };
    if (row.has_decision) {
      const region = row.decided_region as Region | null;
      const sequence = row.decided_sequence as Sequence;
      const agrees = suggestion.kind === 'region' ? suggestion.region === region && suggestion.sequence === sequence : region === null;
      return { ...base, region, sequence, source: agrees ? 'confirmed' : 'overridden', note: row.decision_reason ?? (agrees ? 'confirmed by a reader' : 'set by a reader'), needsReview: false };
    }
    if (firstSigned !== undefined && row.imported_at > firstSigned) return { ...base, region: null, sequence: 'other', source: 'none', note: ARRIVED_AFTER_SIGNING, needsReview: true };
    switch (suggestion.kind) {
      case 'region':
        return { ...base, region: suggestion.region, sequence: suggestion.sequence, source: 'suggested', note: `rule "${suggestion.ruleId}"`, needsReview: false };
      case 'ignored':
        return { ...base, region: null, sequence: 'other', source: 'suggested', note: `not for reading: ${suggestion.reason}`, needsReview: false };
      case 'ambiguous':
      case 'unmatched':
        return { ...base, region: null, sequence: 'other', source: 'none', note: suggestion.reason, needsReview: true };
    }
  }

  /** Every study and its series with their assignments; or one study's, or one participant's. */
  function studyAssignments(only: { studyId?: number; participantId?: number } = {}): StudyAssignment[] {
    const { schedule, rules } = readProtocol(db);
    const studyId = only.studyId ?? null;
    const participantId = only.participantId ?? null;
    const studies = selectStudies.all(studyId, studyId, participantId, participantId);
    const seriesRows = selectSeries.all(studyId, studyId, participantId, participantId);
    const seriesByStudy = new Map<number, SeriesRow[]>();
    for (const row of seriesRows) seriesByStudy.set(row.study_ref, [...(seriesByStudy.get(row.study_ref) ?? []), row]);
    const firstSigned = firstSignatures();
    return studies.map((study) => {
      const signedAt = study.participant_id === null ? undefined : firstSigned.get(study.participant_id);
      const series = (seriesByStudy.get(study.id) ?? []).map((row) => seriesAssignment(row, rules, signedAt));
      const visit = studyVisit(study, schedule, signedAt);
      return {
        studyId: study.id,
        studyDate: study.study_date,
        description: study.description,
        patientId: study.patient_id,
        participantId: study.participant_id,
        subjectCode: study.subject_code,
        ...visit,
        series,
      };
    });
  }

  function studyVisit(study: StudyRow, schedule: VisitSchedule, firstSigned: string | undefined): Pick<StudyAssignment, 'visitCode' | 'visitSource' | 'visitNote' | 'needsReview'> {
    if (study.participant_id === null || study.baseline_date === null) {
      return { visitCode: null, visitSource: 'none', visitNote: 'the DICOM patient is not linked to a participant', needsReview: true };
    }
    const suggestion = suggestVisit(study.study_date, study.baseline_date, schedule);
    const suggestedCode = suggestion.kind === 'scheduled' ? suggestion.visitCode : suggestion.kind === 'unscheduled' ? unscheduledVisitCode(study.study_date) : null;
    if (study.has_decision) {
      const agrees = study.decided_visit === suggestedCode;
      return { visitCode: study.decided_visit, visitSource: agrees ? 'confirmed' : 'overridden', visitNote: study.decision_reason ?? (agrees ? 'confirmed by a reader' : 'set by a reader'), needsReview: false };
    }
    if (firstSigned !== undefined && study.imported_at > firstSigned) return { visitCode: null, visitSource: 'none', visitNote: ARRIVED_AFTER_SIGNING, needsReview: true };
    switch (suggestion.kind) {
      case 'scheduled':
        return { visitCode: suggestion.visitCode, visitSource: 'suggested', visitNote: `day ${suggestion.dayOffset} (${signed(suggestion.daysFromTarget)} days from the target)`, needsReview: false };
      case 'unscheduled':
        // Out of every window: a relapse scan or a misdated one; a reader says which.
        return { visitCode: suggestedCode, visitSource: 'suggested', visitNote: `unscheduled: ${suggestion.reason}`, needsReview: true };
      case 'unknown':
        return { visitCode: null, visitSource: 'none', visitNote: suggestion.reason, needsReview: true };
    }
  }

  function requireStudy(studyId: number): StudyAssignment {
    const [study] = studyAssignments({ studyId });
    if (!study) throw new ServiceError('not_found', `Study ${studyId} is not in the store.`);
    return study;
  }

  /** The worklist's visits in order: the schedule's, then the unscheduled ones studies were placed at (`studyVisits`), by date. */
  function visitsOf(studyVisits: readonly (string | null)[]): { code: string; label: string }[] {
    const { schedule } = readProtocol(db);
    const unscheduled = [...new Set(studyVisits.filter((code): code is string => code !== null && code.startsWith(`${UNSCHEDULED}-`)))].sort();
    return [...schedule.visits.map((visit) => ({ code: visit.code, label: visit.label })), ...unscheduled.map((code) => ({ code, label: `Unscheduled ${code.slice(4)}` }))];
  }

  return {
    trialSetup: setup,

    saveParticipant(request: ParsedRequestOf<'saveParticipant'>): Participant {
      const badDate = baselineDateProblem(request.baselineDate, localDay(new Date()));
      if (badDate) throw new ServiceError('invalid_request', badDate);
      const clash = selectParticipantByCode.get(request.subjectCode);
      if (clash && clash.id !== request.id) throw new ServiceError('conflict', `Participant ${request.subjectCode} already exists.`);
      return db.transaction(() => {
        if (request.id === undefined) {
          const id = Number(insertParticipant.run(request.subjectCode, request.baselineDate).lastInsertRowid);
          appendAudit(db, { actor: actor(), action: 'participant.create', entity: 'participant', entityId: id, newValue: request });
          return { id, subjectCode: request.subjectCode, baselineDate: request.baselineDate };
        }
        const old = selectParticipant.get(request.id);
        if (!old) throw new ServiceError('not_found', `Participant ${request.id} does not exist.`);
        updateParticipant.run(request.subjectCode, request.baselineDate, request.id);
        appendAudit(db, { actor: actor(), action: 'participant.update', entity: 'participant', entityId: request.id, oldValue: old, newValue: request });
        return { id: request.id, subjectCode: request.subjectCode, baselineDate: request.baselineDate };
      })();
    },

    linkPatient({ patientRef, participantId }: ParsedRequestOf<'linkPatient'>): DicomPatient {
      const patient = patients().find((candidate) => candidate.id === patientRef);
      if (!patient) throw new ServiceError('not_found', `DICOM patient ${patientRef} is not in the store.`);
      if (participantId !== null && !participants().some((participant) => participant.id === participantId)) {
        throw new ServiceError('not_found', `Participant ${participantId} does not exist.`);
      }
      db.transaction(() => {
        if (participantId === null) deletePatientLink.run(patientRef);
        else upsertPatientLink.run(patientRef, participantId);
        appendAudit(db, { actor: actor(), action: 'patient.link', entity: 'patient', entityId: patientRef, oldValue: { participantId: patient.participantId }, newValue: { participantId } });
      })();
  return { ...patient, participantId };
    },

    saveProtocol({ schedule, rules, reason }: ParsedRequestOf<'saveProtocol'>): TrialSetup {
      for (const pattern of [...rules.regions.map((rule) => rule.pattern), ...rules.sequences.map((rule) => rule.pattern), rules.ignorePattern]) {
        try {
          new RegExp(pattern, 'i');
        } catch {
          throw new ServiceError('invalid_request', `The rule pattern "${pattern}" is not a valid regular expression.`);
        }
      }
      const old = readProtocol(db);
      db.transaction(() => {
        writeSetting(db, 'visit_schedule', schedule);
        writeSetting(db, 'classification_rules', rules);
        appendAudit(db, { actor: actor(), action: 'protocol.update', entity: 'settings', entityId: 'protocol', oldValue: old, newValue: { schedule, rules }, reason: reason ?? null });
      })();
      return setup();
    },

    listAssignments: () => studyAssignments(),

    assignStudy({ studyId, visitCode, reason }: ParsedRequestOf<'assignStudy'>): StudyAssignment {
      const study = requireStudy(studyId);
      if (study.participantId === null) throw new ServiceError('invalid_request', 'Link this study’s DICOM patient to a participant first.');
      const known = readProtocol(db).schedule.visits.some((visit) => visit.code === visitCode);
      if (visitCode !== null && !known && !/^UNS-(\d{8}|NODATE)$/.test(visitCode)) {
        throw new ServiceError('invalid_request', `"${visitCode}" is neither a visit of the schedule nor an unscheduled visit (UNS-YYYYMMDD).`);
      }
      db.transaction(() => {
        upsertStudyDecision.run(studyId, visitCode, actor(), now(), reason ?? null);
        appendAudit(db, { actor: actor(), action: 'study.assign', entity: 'study', entityId: studyId, oldValue: { visitCode: study.visitCode, source: study.visitSource }, newValue: { visitCode }, reason: reason ?? null });
      })();
      return requireStudy(studyId);
    },

    assignSeries({ seriesId, region, sequence, reason }: ParsedRequestOf<'assignSeries'>): StudyAssignment {
      const studyRef = selectStudyOfSeries.get(seriesId);
      if (!studyRef) throw new ServiceError('not_found', `Series ${seriesId} is not in the store.`);
      const before = requireStudy(studyRef.study_ref).series.find((series) => series.seriesId === seriesId)!;
      db.transaction(() => {
        upsertSeriesDecision.run(seriesId, region, sequence, actor(), now(), reason ?? null);
        appendAudit(db, {
          actor: actor(),
          action: 'series.assign',
          entity: 'series',
          entityId: seriesId,
          oldValue: { region: before.region, sequence: before.sequence, source: before.source },
          newValue: { region, sequence },
          reason: reason ?? null,
        });
      })();
      return requireStudy(studyRef.study_ref);
    },

    /** Per region and visit, the series of one participant's reads: what the worklist shows as present. */
    scannedVisits: (participantId: number): Scans => scansOf(studyAssignments({ participantId })),

    /** The same with their sequences: what background work pairs the series by. */
    placedSeries: (participantId: number): PlacedSeries => placedOf(studyAssignments({ participantId })),

    /** The visits alone, without classifying every series as the worklist does: a blinded reader's every request names them. */
    visits() {
      const { schedule } = readProtocol(db);
      const firstSigned = firstSignatures();
      const studies = selectStudies.all(null, null, null, null);
      return visitsOf(studies.map((study) => studyVisit(study, schedule, study.participant_id === null ? undefined : firstSigned.get(study.participant_id)).visitCode));
    },

    worklist(progress: ReadsProgress): Worklist {
      const studies = studyAssignments();
      const visits = visitsOf(studies.map((study) => study.visitCode));
      const rows = participants().map((participant) => {
        const own = studies.filter((study) => study.participantId === participant.id);
        const progressOf = progress(participant.id, scansOf(own));
        const cells = visits.flatMap((visit) =>
          REGIONS.map((region) => {
            const atVisit = own.filter((study) => study.visitCode === visit.code);
            const series = seriesOfRead(atVisit, visit.code, region).map((item) => ({ seriesId: item.seriesId, description: item.description, sequence: item.sequence, source: item.source }));
            const pending = own.some((study) => study.needsReview && study.visitCode === visit.code) || atVisit.some((study) => study.series.some((item) => item.needsReview));
            const status = series.length > 0 ? ('present' as const) : pending ? ('review' as const) : ('missing' as const);
            const read = progressOf({ participantId: participant.id, visitCode: visit.code, region });
            return {
              visitCode: visit.code,
              region,
              status,
              readStatus: read.status,
              readState: readState({ placement: status, status: read.status, problems: read.problems.map((problem) => problem.kind) }),
              reader: read.reader,
              changedAt: read.changedAt,
              newOrEnlarging: read.newOrEnlarging,
              problems: read.problems.map((problem) => problem.message),
              tracks: read.tracks,
              series,
            };
          }),
        );
        return { participantId: participant.id, subjectCode: participant.subjectCode, cells };
      });
      const review = studies.flatMap((study) => [
        ...(study.needsReview ? [{ studyId: study.studyId, seriesId: null, what: `study ${study.studyDate || '(no date)'} of ${study.subjectCode ?? 'an unlinked patient'}: ${study.visitNote}` }] : []),
        ...study.series.filter((series) => series.needsReview).map((series) => ({ studyId: study.studyId, seriesId: series.seriesId, what: `series ${series.seriesNumber ?? ''} "${series.description}": ${series.note}` })),
      ]);
      return { visits, rows, review, readOrder: null };
    },
  };
}

/** Per region and visit, the series of these studies' reads with their sequences, in id order. */
function placedOf(studies: readonly StudyAssignment[]): PlacedSeries {
  const placed = new Map<Region, Map<string, { seriesId: number; sequence: Sequence }[]>>();
  for (const study of studies) {
    if (study.visitCode === null) continue;
    for (const series of study.series) {
      if (series.region === null) continue;
      const visits = placed.get(series.region) ?? new Map<string, { seriesId: number; sequence: Sequence }[]>();
      placed.set(series.region, visits);
      visits.set(study.visitCode, [...(visits.get(study.visitCode) ?? []), { seriesId: series.seriesId, sequence: series.sequence }].sort((a, b) => a.seriesId - b.seriesId));
    }
  }
  return placed;
}

/** Per region and visit, the series of these studies' reads. */
function scansOf(studies: readonly StudyAssignment[]): Scans {
  return new Map([...placedOf(studies)].map(([region, visits]) => [region, new Map([...visits].map(([visitCode, series]) => [visitCode, series.map((item) => item.seriesId)]))]));
}

/** The series of one read: the region's series in the studies of that visit. */
function seriesOfRead(studies: readonly StudyAssignment[], visitCode: string, region: Region): StudyAssignment['series'] {
  return studies.filter((study) => study.visitCode === visitCode).flatMap((study) => study.series.filter((item) => item.region === region));
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}
