// The services behind every request of the contract. Hosts differ only in
// the capabilities they pass in (a native folder dialog exists in Electron).
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { type AssertMayChange, countsOf, createLesions, type LesionWrite } from '../lesions/lesions';
import { createDerived } from '../derived/derived';
import { createExtents } from '../lesions/extents';
import { createAlignments } from '../reading/alignments';
import { createReaders } from '../readers/readers';
import { createLayouts } from '../reading/layouts';
import { doubleReadsProgress, readsProgress } from '../reads/progress';
import { createSignoff } from '../reads/signoff';
import { createSignatures } from '../reads/signatures';
import { type Scope, createSignedReads } from '../reads/signed-reads';
import type { LesionChange, StudyAssignment, Track } from '../../shared/contract';
import { canonicalJson } from '../../shared/canonical-json';
import { readName } from '../reads/signatures';
import { type ReadsWithImages, createTracks } from '../reads/tracks';
import { createAdjudication } from '../reads/adjudication';
import { type Blinding, blindServices } from '../reads/blinding';
import { createAgreement } from '../reads/agreement';
import { buildExport } from '../exports/formats';
import { gatherExportData } from '../exports/gather';
import { appendAudit } from '../store/audit';
import { auditTrail } from '../store/audit-trail';
import { listSeries, seriesImages, seriesReferences } from '../store/catalog';
import { storeIdentity } from '../store/identity';
import { DEFAULT_SESSION_SETTINGS, readQualificationRule, readSessionSettings, saveAuditedSetting, writeSetting } from '../store/settings';
import type { Db } from '../store/database';
import { createOrganisation } from '../trial/organisation';
import { createQualificationSets } from '../qualification/sets';
import { DEFAULT_QUALIFICATION_RULE, readerLesionsOf, scoreQualification, truthLesionsOf } from '../../shared/qualification-score';
import { participantTruths } from '../../shared/synthetic/truth';
import { scheduledSlot } from '../../shared/counting';
import { REGIONS } from '../../shared/protocol';
import { ServiceError, type Services } from './dispatch';
import { createImportJobs } from './import-jobs';
import type { Session } from './session';

export interface HostCapabilities {
  /** Opens the platform's folder picker; absent where there is none. */
  chooseFolder?: () => Promise<string | null>;
  /**
   * Where a folder picker exists, import only what the reader picked in it:
   * a page that asked main to import some other path is refused.
   */
  mayImport?: (folder: string) => boolean;
}

/** The store in use and the switch to and from the demo trial. */
export interface WorkspaceControl {
  demo: boolean;
  openDemo(): Promise<void>;
  leaveDemo(): Promise<void>;
}

export interface ServiceContext {
  db: Db;
  session: Session;
  host: HostCapabilities;
  /** The built header worker; without it headers are read on this thread. */
  headerWorkerFile?: string | undefined;
  /** The built alignment worker (which subtracts too); without it alignments and subtractions run on this thread. */
  alignmentWorkerFile?: string | undefined;
  /** Aborted when the store closes: work under way for it stops. */
  closing: AbortSignal;
  /** Computes derived images in the background once series are placed (the app); off, only what is asked for is computed. */
  precomputeDerived?: boolean;
  log?: (line: string) => void;
  workspace: WorkspaceControl;
  /** Whether the session reads blinded (reads/blinding.ts): its requests and answers are blinded here. */
  blinding: Blinding;
}

export function createServices({ db, session, host, headerWorkerFile, alignmentWorkerFile, closing, precomputeDerived = false, log = () => {}, workspace, blinding }: ServiceContext): Services {
  const { actor } = session;
  // One way only: signatures -> organisation -> lesions -> signed reads and sign-off; these services compose them.
  const signatures = createSignatures(db);
  const { scannedVisits, ...organisation } = createOrganisation(db, actor);
  const qualificationSets = createQualificationSets(db, actor);
  // New images of a linked patient are placed by the protocol's suggestions: their pairs are prepared as for an assignment.
  const imports = createImportJobs(db, actor, headerWorkerFile, () => derived.prepare(participantIds()));
  const readsWithImages: ReadsWithImages = (participantId) =>
    [...scannedVisits(participantId)].flatMap(([region, visits]) => [...visits].filter(([, series]) => series.length > 0).map(([visitCode]) => ({ visitCode, region })));
  const tracks = createTracks(db, session, { readsWithImages, isSigned: (read) => signatures.active(read) !== null, isFinal: (participantId) => adjudication.isFinal(participantId) });
  const trackOf = { view: tracks.viewTrack, change: tracks.markTrack };
  const assertMayChange: AssertMayChange = (key) => {
    requireReadingReader(session);
    signatures.assertUnlocked(key);
  };
  const lesions = createLesions(db, actor, scannedVisits, trackOf, assertMayChange, (participantId) => adjudication.finalCells(participantId));
  const extents = createExtents(db, actor, trackOf, () => requireReadingReader(session), (read) => signatures.active(read) !== null);
  const adjudication = createAdjudication(session, {
    tracks,
    signatures,
    report: lesions.report,
    readsWithImages,
    signedReads: (participantId, track) => signatures.activeSignatures(participantId).filter((row) => row.track === track).length,
    subjectCode: tracks.subjectOf,
  });
  const readers = createReaders(db, session);
  const signedReads = createSignedReads(db, signatures, lesions.report);
  const signoff = createSignoff(db, session, { verify: readers.verify, signatures, report: lesions.report, viewTrack: tracks.viewTrack, changeTrack: tracks.changeTrack, disputedRead: adjudication.disputedRead });
  // Every change that could reach a signed read runs inside this: kept only if every signed read still holds what was signed.
  const hold = <T>(change: () => T, scopeOf: (result: T) => Scope) => signedReads.holdSignedReads(change, scopeOf, tracks.maySee);
  const ofWrite = (write: LesionWrite) => [write.read.participantId];
  /** What a lesion write answers with, from one evaluation of the participant: everything the reading room redraws from. */
  const lesionChange = ({ lesionId, read }: LesionWrite): LesionChange => {
    const report = lesions.report(read.participantId, read.track);
    return { lesion: report.views.find((view) => view.id === lesionId)!, lesions: report.views, counts: countsOf(report.charter, [report]), readiness: signoff.readiness(read, report) };
  };
  const ofStudy = (study: StudyAssignment) => (study.participantId === null ? [] : [study.participantId]);

  const participantIds = () => organisation.trialSetup().participants.map((participant) => participant.id);
  const countLesionsOutside = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM lesions WHERE track NOT IN (SELECT value FROM json_each(?))');
  const alignments = createAlignments(db, actor, alignmentWorkerFile, closing);
  const layouts = createLayouts(db, session);
  const derived = createDerived(db, {
    session,
    workerFile: alignmentWorkerFile,
    closing,
    background: precomputeDerived,
    alignments,
    placedSeries: organisation.placedSeries,
    defaultLayouts: layouts.defaultReadingLayouts,
    report: lesions.report,
    viewTrack: tracks.viewTrack,
    markTrack: tracks.markTrack,
    assertMayChange,
    lesions,
    holdLesionWrite: (change) => hold(change, ofWrite),
    lesionChange,
    log,
  });
  /** A change that may place series in reads: the pairs of these participants are prepared in the background. */
  const placing = <T>(result: T, participantsOf: (result: T) => readonly number[]): T => {
    derived.prepare(participantsOf(result));
    return result;
  };

  const services: Services = {
    trialSetup: organisation.trialSetup,
    saveParticipant: (request) => placing(hold(() => organisation.saveParticipant(request), (participant) => [participant.id]), (participant) => [participant.id]),
    linkPatient: (request) => placing(hold(() => organisation.linkPatient(request), () => 'all'), (patient) => (patient.participantId === null ? [] : [patient.participantId])),
    saveProtocol: (request) => placing(hold(() => organisation.saveProtocol(request), () => 'all'), participantIds),
    listAssignments: organisation.listAssignments,
    assignStudy: (request) => placing(hold(() => organisation.assignStudy(request), ofStudy), ofStudy),
    assignSeries: (request) => placing(hold(() => organisation.assignSeries(request), ofStudy), ofStudy),
    // A double read's worklist: a reader's own track, or for everyone else each track's progress and the final values.
    worklist: () =>
      organisation.worklist(
        tracks.design().design === 'double' && session.reader()?.role !== 'reader'
          ? doubleReadsProgress(signatures, adjudication, tracks)
          : readsProgress(signatures, (participantId, scans) => lesions.report(participantId, tracks.viewTrack(participantId), scans), signoff.readiness),
      ),
    ...alignments,
    listLesions: lesions.listLesions,
    createLesion: (request) => lesionChange(hold(() => lesions.createLesion(request), ofWrite)),
    recordObservation: (request) => lesionChange(hold(() => lesions.recordObservation(request), ofWrite)),
    overrideStatus: (request) => lesionChange(hold(() => lesions.overrideStatus(request), ofWrite)),
    counts: lesions.counts,
    vertebralRuler: extents.vertebralRuler,
    nerveTraces: extents.nerveTraces,
    // A ruler or trace measures its unsigned observations again: every signed read must still hold what was signed.
    saveVertebralRuler: (request) => hold(() => extents.saveVertebralRuler(request), (result) => [result.ruler.participantId]),
    saveNerveTrace: (request) => hold(() => extents.saveNerveTrace(request), (result) => [result.trace.participantId]),
    subtraction: derived.subtraction,
    candidates: derived.candidates,
    reviewCandidate: derived.reviewCandidate,
    charter: lesions.charter,
    saveCharter: (request) => hold(() => lesions.saveCharter(request), () => 'all'),
    listReaders: readers.listReaders,
    createReader: readers.createReader,
    chooseReader: readers.chooseReader,
    readingDesign: () => tracks.design(),
    saveReadingDesign: ({ design, reason }) => {
      const old = tracks.design();
      if (canonicalJson(old) === canonicalJson(design)) return old;
      const signed = signatures.activeSignatures();
      // Named only where the asker may see the read: another reader's read is counted.
      const named = signed.find((row) => tracks.maySee({ participantId: row.participant_ref, track: row.track }));
      if (signed.length > 0) throw new ServiceError('conflict', `The reading design cannot change while reads are signed (${signed.length}${named ? `, e.g. ${readName(named)}` : ''}): unlock them, with a reason, first.`);
      const kept: readonly Track[] = design.design === 'single' ? ['single'] : ['reader1', 'reader2', 'final'];
      const stranded = countLesionsOutside.get(JSON.stringify(kept))!.n;
      if (stranded > 0) throw new ServiceError('conflict', `${stranded} lesion${stranded === 1 ? ' is' : 's are'} recorded in reads the ${design.design}-read design does not have: the design is chosen before reading starts.`);
      db.transaction(() => {
        writeSetting(db, 'reading_design', design);
        appendAudit(db, { actor: actor(), action: 'reading-design.update', entity: 'settings', entityId: 'reading_design', oldValue: old, newValue: design, reason });
      })();
      return design;
    },
    sessionSettings: () => readSessionSettings(db),
    ...layouts,
    saveSessionSettings: ({ settings, reason }) => saveAuditedSetting(db, 'session', settings, DEFAULT_SESSION_SETTINGS, { actor: actor(), action: 'session-settings.update', reason }),
    qualificationRule: () => readQualificationRule(db),
    ...qualificationSets,
    qualificationScore: () => {
      if (session.reader()?.role !== 'data_manager') throw new ServiceError('forbidden', "A qualification score is for a data manager: it shows the set's truth, which its reader must not see.");
      const set = qualificationSets.qualificationSet();
      if (set === null) throw new ServiceError('conflict', 'This store holds no qualification set: qualification sets are read and scored in a store of their own.');
      const truth = participantTruths(set.seed, set.difficulty, set.participants);
      const setup = organisation.trialSetup();
      const reader = setup.participants.flatMap((participant) => (truth.some((known) => known.subject === participant.subjectCode) ? readerLesionsOf(participant.subjectCode, lesions.listLesions({ participantId: participant.id })) : []));
      return scoreQualification({
        subjects: truth.map((participant) => participant.subject),
        regions: REGIONS,
        visits: setup.schedule.visits.map(scheduledSlot),
        charter: lesions.charter(),
        rule: readQualificationRule(db),
        truth: truthLesionsOf(truth),
        reader,
      });
    },
    saveQualificationRule: ({ rule, reason }) => saveAuditedSetting(db, 'qualification_rule', rule, DEFAULT_QUALIFICATION_RULE, { actor: actor(), action: 'qualification-rule.update', reason }),
    signRead: signoff.signRead,
    adjudicate: (request) => hold(() => signoff.adjudicate(request), () => [request.participantId]),
    unlockRead: signoff.unlockRead,
    signatures: signoff.signatures,
    readReadiness: signoff.readReadiness,
    agreement: createAgreement(session, { tracks, adjudication, participantIds }),
    adjudication: ({ participantId }) => adjudication.adjudication(participantId !== undefined ? [participantId] : participantIds()),
    workspace: () => ({ demo: workspace.demo }),
    auditTrail: (filter) => auditTrail(db, filter, tracks.design().design === 'double' ? tracks.entryFilter() : null),
    // Built from the services a client's requests reach: the export sees what the reader sees.
    exportFiles: async ({ format, reads, redcapMapping }) => {
      if (tracks.design().design === 'double' && session.reader()?.role === 'reader') {
        throw new ServiceError('forbidden', "In a double-read trial a data manager exports: a reader's own values are not the trial's, and the final ones are not a reader's to see.");
      }
      const data = await gatherExportData(services, format === 'dicom-sr');
      const files = buildExport(format, data, { reads, redcapMapping, storeIdentity: storeIdentity(db), now: new Date() });
      // Data leaving the workstation: who took what, when, and a hash of each file to recognise it by later.
      const manifest = files.map((file) => ({ name: file.name, sha256: createHash('sha256').update(file.content).digest('hex') }));
      db.transaction(() => appendAudit(db, { actor: actor(), action: 'export.create', entity: 'export', entityId: format, newValue: { reads, files: manifest } }))();
      return {
        files: files.map((file) =>
          typeof file.content === 'string'
            ? { name: file.name, mediaType: file.mediaType, encoding: 'utf8' as const, content: file.content }
            : { name: file.name, mediaType: file.mediaType, encoding: 'base64' as const, content: Buffer.from(file.content).toString('base64') },
        ),
      };
    },
    async openDemoTrial() {
      await workspace.openDemo();
      return { demo: true };
    },
    async leaveDemoTrial() {
      await workspace.leaveDemo();
      return { demo: false };
    },
    async chooseFolder() {
      if (!host.chooseFolder) return { supported: false, folder: null };
      return { supported: true, folder: await host.chooseFolder() };
    },
    importFolder({ folder }) {
      requireFolder(folder, host);
      return imports.runToEnd(folder);
    },
    startImport({ folder }) {
      requireFolder(folder, host);
      return imports.start(folder);
    },
    importStatus: ({ jobId }) => imports.status(jobId),
    cancelImport: ({ jobId }) => imports.cancel(jobId),
    listSeries() {
      return listSeries(db);
    },
    seriesImages({ seriesId }) {
      const images = seriesImages(db, seriesId);
      if (!images) throw new ServiceError('not_found', `Series ${seriesId} is not in the store.`);
      return { seriesId, store: storeIdentity(db), images };
    },
    seriesReferences({ seriesId }) {
      const references = seriesReferences(db, seriesId);
      if (!references) throw new ServiceError('not_found', `Series ${seriesId} is not in the store.`);
      return references;
    },
  };
  // A blinded reader's order of reads is the same at every load, and another reader's is another.
  return blindServices(services, blinding, { visits: organisation.visits, seed: () => `${storeIdentity(db)}/${session.reader()?.id ?? 0}` });
}

/** Lesions are marked by a chosen reader or adjudicator, so that every record carries who made it. */
function requireReadingReader(session: Session): void {
  const reader = session.reader();
  if (!reader) throw new ServiceError('conflict', 'Choose who is reading first (the reader button at the top right): every lesion and observation records its reader.');
  if (reader.role === 'data_manager') throw new ServiceError('forbidden', 'Lesions are marked by readers and adjudicators, not by a data manager.');
}

function requireFolder(folder: string, host: HostCapabilities): void {
  if (!isAbsolute(folder)) throw new ServiceError('invalid_request', 'Give the full path of the folder to import.');
  if (host.mayImport && !host.mayImport(folder)) throw new ServiceError('invalid_request', 'Choose the folder to import with the folder dialog first.');
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    throw new ServiceError('not_found', `Folder not found: ${folder}`);
  }
  if (!isFolder) throw new ServiceError('invalid_request', `Not a folder: ${folder}`);
}
