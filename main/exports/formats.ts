// The export formats, each a function of the gathered data: counts CSV,
// SDTM TU/TR with a column description, a REDCap import CSV, CDISC ODM-XML
// 1.3.2 with audit records, and DICOM SR (dicom-sr.ts). CSV by csv-stringify,
// XML by xmlbuilder2, DICOM by dcmjs. Which reads an export holds is decided
// once, in buildExport: each format writes every read of the data it gets.
import { stringify } from 'csv-stringify/sync';
import { create } from 'xmlbuilder2';
import { type ExportFormat, ExportFormatSchema, type ExportReads, type LesionView, type RedcapMapping } from '../../shared/contract';
import { REGIONS, type Region } from '../../shared/protocol';
import { ServiceError } from '../services/dispatch';
import { dicomSr } from './dicom-sr';
import { endsText, extentResults, SOURCE_TEXT } from './extent-results';
import { type ExportData, type ReaderTrack, readKey, signedReadsOnly, visitLabel, visitNumber, visitWeek } from './gather';

export interface ExportFile {
  /** A relative path. */
  name: string;
  mediaType: string;
  content: string | Uint8Array;
}

/** Every export format, in the order the command line lists them. */
export const FORMATS: readonly ExportFormat[] = ExportFormatSchema.options;

export interface ExportOptions {
  /** Signed reads only; all reads (refused while any is unsigned); or all reads in files marked preliminary. */
  reads: ExportReads;
  /** REDCap: field and event names to use instead of the defaults. */
  redcapMapping?: RedcapMapping | undefined;
  /** The store's identity, from which the SR export derives the UIDs of signed reads' documents. */
  storeIdentity: string;
  now: Date;
}

/** What a preliminary export puts before every file name (and the first folder of a path). */
export const PRELIMINARY_PREFIX = 'PRELIMINARY-';

const csv = (rows: unknown[][], header: readonly string[]) => stringify(rows, { header: true, columns: [...header], record_delimiter: 'windows' });

const REGION_CODE: Readonly<Record<Region, string>> = { brain: 'brain', spinal_cord: 'cord', optic_nerve: 'optic' };

export const COUNTS_HEADER = ['subject', 'visit', 'visit_num', 'week', 'region', 'new', 'enlarging', 'new_or_enlarging', 'comparator_visit', 'charter_id', 'reader', 'signed_at', 'status', 'evaluator', 'accepted'] as const;

function isSigned(data: ExportData, participantId: number, visitCode: string, region: string): boolean {
  return data.signatures.has(readKey(participantId, visitCode, region));
}

const rowStatus = (signed: boolean) => (signed ? 'final' : 'preliminary');

/** One evaluation's counts as the CSV gives them: the trial's values (single or final, accepted) or a reader's own in a double read. */
interface CountsSource {
  evaluator: 'single' | 'final' | ReaderTrack;
  counts: ExportData['counts'];
  signatures: ExportData['signatures'];
  endpoints: ExportData['endpoints'];
}

/** Where a double read has them, each reader's own values after the final ones; a reader's track is whole and signed once the values are final. */
function countsSources(data: ExportData): CountsSource[] {
  const trial: CountsSource = { evaluator: data.doubleRead ? 'final' : 'single', counts: data.counts, signatures: data.signatures, endpoints: data.endpoints };
  const readers = (data.doubleRead?.readers ?? []).map((reader) => ({
    evaluator: reader.track,
    counts: reader.counts,
    signatures: reader.signatures,
    endpoints: new Map(reader.counts.participants.map((participant) => [participant.participantId, { status: 'final' as const, total: participant.endpointTotal }])),
  }));
  return [trial, ...readers];
}

export function countsCsv(data: ExportData): ExportFile {
  const rows: unknown[][] = [];
  const sources = countsSources(data);
  for (const participant of data.counts.participants) {
    for (const source of sources) {
      const accepted = source.evaluator === 'single' || source.evaluator === 'final' ? 'Y' : '';
      const cells = source.counts.participants.find((item) => item.participantId === participant.participantId)?.cells ?? [];
      for (const cell of cells) {
        const signature = source.signatures.get(readKey(participant.participantId, cell.visitCode, cell.region));
        rows.push([
          participant.subjectCode,
          cell.visitCode,
          visitNumber(data.schedule, cell.visitCode),
          visitWeek(data.schedule, cell.visitCode),
          cell.region,
          cell.new,
          cell.enlarging,
          cell.newOrEnlarging,
          cell.comparatorVisit ?? '',
          signature?.charterId ?? data.counts.charter.id,
          signature?.reader ?? '',
          signature?.signedAt ?? '',
          rowStatus(signature !== undefined),
          source.evaluator,
          accepted,
        ]);
      }
      const endpoint = source.endpoints.get(participant.participantId);
      if (endpoint) rows.push([participant.subjectCode, 'ENDPOINT', '', '', 'all', '', '', endpoint.total ?? '', '', data.counts.charter.id, '', '', endpoint.status, source.evaluator, accepted]);
    }
  }
  return { name: 'counts.csv', mediaType: 'text/csv', content: csv(rows, COUNTS_HEADER) };
}

const TU_HEADER = ['STUDYID', 'DOMAIN', 'USUBJID', 'TUSEQ', 'TULNKID', 'TUTESTCD', 'TUTEST', 'TUORRES', 'TUSTRESC', 'TULOC', 'TULAT', 'TUMETHOD', 'TUEVAL', 'TUEVALID', 'TUACPTFL', 'VISITNUM', 'VISIT', 'TUDTC'] as const;
const TR_HEADER = ['STUDYID', 'DOMAIN', 'USUBJID', 'TRSEQ', 'TRLNKID', 'TRTESTCD', 'TRTEST', 'TRORRES', 'TRORRESU', 'TRSTRESC', 'TRSTRESN', 'TRSTRESU', 'TRSTAT', 'TRREASND', 'TRMETHOD', 'TREVAL', 'TREVALID', 'TRACPTFL', 'VISITNUM', 'VISIT', 'TRDTC'] as const;
const SUPPTR_HEADER = ['STUDYID', 'RDOMAIN', 'USUBJID', 'IDVAR', 'IDVARVAL', 'QNAM', 'QLABEL', 'QVAL', 'QORIG', 'QEVAL'] as const;
const SDTM_LOCATION: Readonly<Record<Region, string>> = { brain: 'BRAIN', spinal_cord: 'SPINAL CORD', optic_nerve: 'OPTIC NERVE' };
const EVALUATOR_ID: Readonly<Record<ReaderTrack, string>> = { reader1: 'RADIOLOGIST 1', reader2: 'RADIOLOGIST 2' };

/** The visits at which a lesion was found, and how: NEW when first seen after baseline, else the status. */
function firstObservation(lesion: LesionView) {
  return lesion.observations[0] ?? null;
}

/**
 * Whose lesions TU and TR hold: the one reader's in a single read (no evaluator id, no accepted flag, as SDTMIG
 * asks where there is one evaluator), each reader's in a double read, flagged accepted on the reads whose final
 * value is theirs.
 */
function lesionSources(data: ExportData) {
  if (!data.doubleRead) return [{ lesions: data.lesions, evaluatorId: '', accepted: () => '' }];
  const { accepted } = data.doubleRead;
  return data.doubleRead.readers.map((reader) => ({
    lesions: reader.lesions,
    evaluatorId: EVALUATOR_ID[reader.track],
    accepted: (participantId: number, visitCode: string, region: Region) => (accepted.get(readKey(participantId, visitCode, region)) === reader.track ? 'Y' : ''),
  }));
}

export function sdtm(data: ExportData, options: ExportOptions): ExportFile[] {
  const tu: unknown[][] = [];
  const tr: unknown[][] = [];
  const supptr: unknown[][] = [];
  const sources = lesionSources(data);
  for (const participant of data.counts.participants) {
    const usubjid = `${data.studyId}-${participant.subjectCode}`;
    let tuSeq = 0;
    let trSeq = 0;
    for (const source of sources) {
      for (const lesion of source.lesions.get(participant.participantId) ?? []) {
        const first = firstObservation(lesion);
        if (!first) continue;
        tuSeq += 1;
        const identified = first.finalStatus === 'new' ? 'NEW' : 'PRESENT';
        tu.push([
          data.studyId, 'TU', usubjid, tuSeq, lesion.label, 'TUMIDENT', 'Tumor Identification', identified, identified,
          SDTM_LOCATION[lesion.region], lesion.side === 'left' ? 'LEFT' : lesion.side === 'right' ? 'RIGHT' : '', 'MRI', 'INDEPENDENT ASSESSOR',
          source.evaluatorId, source.accepted(participant.participantId, first.visitCode, lesion.region),
          visitNumber(data.schedule, first.visitCode), visitLabel(data.schedule, first.visitCode), data.studyDates.get(`${participant.participantId}/${first.visitCode}`) ?? '',
        ]);
        for (const observation of lesion.observations) {
          trSeq += 1;
          const finding = observation.finding;
          const size = finding.kind === 'measured' ? finding.longestDiameterMm : finding.kind === 'resolved' ? 0 : null;
          const notDone = finding.kind === 'not_evaluable' || finding.kind === 'merged';
          tr.push([
            data.studyId, 'TR', usubjid, trSeq, lesion.label, 'LDIAM', 'Longest Diameter',
            size === null ? '' : String(size), size === null ? '' : 'mm', size === null ? '' : String(size), size ?? '', size === null ? '' : 'mm',
            notDone ? 'NOT DONE' : '', finding.kind === 'not_evaluable' ? 'NOT EVALUABLE' : finding.kind === 'merged' ? 'MERGED WITH ANOTHER LESION' : '',
            'MRI', 'INDEPENDENT ASSESSOR', source.evaluatorId, source.accepted(participant.participantId, observation.visitCode, lesion.region),
            visitNumber(data.schedule, observation.visitCode), visitLabel(data.schedule, observation.visitCode),
            data.studyDates.get(`${participant.participantId}/${observation.visitCode}`) ?? '',
          ]);
          for (const result of extentResults(observation)) {
            trSeq += 1;
            const numeric = typeof result.value === 'number';
            const unit = result.unit === 'mm' ? 'mm' : '';
            tr.push([
              data.studyId, 'TR', usubjid, trSeq, lesion.label, result.code, result.name,
              String(result.value), unit, String(result.value), numeric ? result.value : '', unit, '', '',
              'MRI', 'INDEPENDENT ASSESSOR', source.evaluatorId, source.accepted(participant.participantId, observation.visitCode, lesion.region),
              visitNumber(data.schedule, observation.visitCode), visitLabel(data.schedule, observation.visitCode),
              data.studyDates.get(`${participant.participantId}/${observation.visitCode}`) ?? '',
            ]);
            const qualifier = (qnam: string, qlabel: string, qval: string) => supptr.push([data.studyId, 'TR', usubjid, 'TRSEQ', trSeq, qnam, qlabel, qval, 'Assigned', 'INDEPENDENT ASSESSOR']);
            qualifier('TRSRC', 'Source of Result', SOURCE_TEXT[result.source]);
            if (result.reason) qualifier('TROVRSN', 'Reason for Override', result.reason);
            if (result.measured) qualifier('TRMEASV', 'Value Measured on the Image', result.measured);
            if (result.ends) qualifier('TRENDS', 'Clicked Ends (Patient mm)', endsText(result.ends));
          }
        }
      }
    }
  }
  return [
    { name: 'tu.csv', mediaType: 'text/csv', content: csv(tu, TU_HEADER) },
    { name: 'tr.csv', mediaType: 'text/csv', content: csv(tr, TR_HEADER) },
    { name: 'supptr.csv', mediaType: 'text/csv', content: csv(supptr, SUPPTR_HEADER) },
    { name: 'define.csv', mediaType: 'text/csv', content: csv(options.reads === 'preliminary' ? [PRELIMINARY_DEFINE, ...DEFINE] : DEFINE, ['Dataset', 'Variable', 'Label', 'Type', 'Origin / values']) },
  ];
}

const PRELIMINARY_DEFINE = ['TU, TR', '', 'PRELIMINARY', '', 'These datasets include reads that are not signed; do not load them as final data'];

const DEFINE: unknown[][] = [
  ['TU', 'STUDYID', 'Study Identifier', 'Char', 'Setting (default NCT05792462)'],
  ['TU', 'DOMAIN', 'Domain Abbreviation', 'Char', 'TU'],
  ['TU', 'USUBJID', 'Unique Subject Identifier', 'Char', 'STUDYID-subject code'],
  ['TU', 'TUSEQ', 'Sequence Number', 'Num', 'Per subject'],
  ['TU', 'TULNKID', 'Link ID', 'Char', 'The lesion identity (B1, S2, O1...), the same in TR at every visit'],
  ['TU', 'TUTESTCD', 'Tumor Identification Short Name', 'Char', 'TUMIDENT'],
  ['TU', 'TUTEST', 'Tumor Identification Test Name', 'Char', 'Tumor Identification'],
  ['TU', 'TUORRES', 'Result or Finding in Original Units', 'Char', 'NEW (first seen after baseline as new) or PRESENT'],
  ['TU', 'TUSTRESC', 'Character Result in Std Format', 'Char', 'As TUORRES'],
  ['TU', 'TULOC', 'Location of the Tumor', 'Char', 'BRAIN, SPINAL CORD, OPTIC NERVE'],
  ['TU', 'TULAT', 'Laterality', 'Char', 'LEFT, RIGHT (optic nerve), else empty'],
  ['TU', 'TUMETHOD', 'Method of Identification', 'Char', 'MRI'],
  ['TU', 'TUEVAL', 'Evaluator', 'Char', 'INDEPENDENT ASSESSOR'],
  ['TU', 'TUEVALID', 'Evaluator Identifier', 'Char', 'RADIOLOGIST 1, RADIOLOGIST 2 in a double-read trial (each reader\'s own lesions); empty with one reader'],
  ['TU', 'TUACPTFL', 'Accepted Record Flag', 'Char', 'Y when the final value of the read the lesion was first seen in is this reader\'s; empty with one reader'],
  ['TU', 'VISITNUM', 'Visit Number', 'Num', 'Position in the visit schedule; 99 unscheduled'],
  ['TU', 'VISIT', 'Visit Name', 'Char', 'From the visit schedule'],
  ['TU', 'TUDTC', 'Date/Time of Tumor Identification', 'Char', 'Study date, ISO 8601'],
  ['TR', 'TRLNKID', 'Link ID', 'Char', 'The lesion identity, as TULNKID'],
  ['TR', 'TRTESTCD', 'Tumor/Lesion Assessment Short Name', 'Char', 'LDIAM; spinal cord: VERTLEVS, VERTSEG, LETM, LENGTH; optic nerve: GTHALFNL, CHIASM, NERVFRAC'],
  ['TR', 'TRTEST', 'Tumor/Lesion Assessment Test Name', 'Char', 'Longest Diameter; Vertebral Levels Spanned (e.g. C3-C6), Vertebral Segments Spanned, Longitudinally Extensive (Y/N, 3 or more segments), Length Along the Cord (mm, between the clicked ends); More Than Half the Optic Nerve Length (Y/N), Involves the Optic Chiasm (Y/N), Fraction of the Optic Nerve Length (0 to 1, between the clicked ends along the nerve\'s trace)'],
  ['TR', 'TRORRES', 'Result or Finding in Original Units', 'Char', 'LDIAM and LENGTH in mm (LDIAM 0 when resolved); the other tests as TRTEST says'],
  ['TR', 'TRORRESU', 'Original Units', 'Char', 'mm for LDIAM and LENGTH, else empty'],
  ['TR', 'TRSTRESC', 'Character Result in Std Format', 'Char', 'As TRORRES'],
  ['TR', 'TRSTRESN', 'Numeric Result in Standard Units', 'Num', 'mm'],
  ['TR', 'TRSTRESU', 'Standard Units', 'Char', 'mm'],
  ['TR', 'TRSTAT', 'Completion Status', 'Char', 'NOT DONE when not evaluable or merged'],
  ['TR', 'TRREASND', 'Reason Not Done', 'Char', 'NOT EVALUABLE, MERGED WITH ANOTHER LESION'],
  ['TR', 'TRMETHOD', 'Method of Test or Examination', 'Char', 'MRI'],
  ['TR', 'TREVAL', 'Evaluator', 'Char', 'INDEPENDENT ASSESSOR'],
  ['TR', 'TREVALID', 'Evaluator Identifier', 'Char', 'As TUEVALID'],
  ['TR', 'TRACPTFL', 'Accepted Record Flag', 'Char', 'Y when the final value of this read is this reader\'s (the adjudicator sided with them, or the readers agree and theirs is the first with the final count); empty where the adjudicator gave their own count, and with one reader'],
  ['TR', 'VISITNUM', 'Visit Number', 'Num', 'As in TU'],
  ['TR', 'VISIT', 'Visit Name', 'Char', 'As in TU'],
  ['TR', 'TRDTC', 'Date/Time of Tumor Measurement', 'Char', 'Study date, ISO 8601'],
  ['SUPPTR', 'IDVAR, IDVARVAL', 'Identifying Variable and Value', 'Char', 'TRSEQ of the extent record qualified (VERTLEVS ... NERVFRAC)'],
  ['SUPPTR', 'QNAM TRSRC', 'Source of Result', 'Char', 'MEASURED ON IMAGE (from the lesion\'s ends clicked on the image, with the series\' vertebral ruler or the nerve\'s trace), READER OVERRIDE OF MEASURED VALUE (typed over the measured value, for a reason), READER ENTRY, NOT MEASURED (typed, no ends clicked)'],
  ['SUPPTR', 'QNAM TROVRSN', 'Reason for Override', 'Char', 'The reader\'s reason, on overridden records'],
  ['SUPPTR', 'QNAM TRMEASV', 'Value Measured on the Image', 'Char', 'What the clicked ends measure, on overridden records where it differs in kind from the record (levels, Y/N)'],
  ['SUPPTR', 'QNAM TRENDS', 'Clicked Ends (Patient mm)', 'Char', 'The two ends clicked, "x, y, z" each in DICOM patient coordinates (mm), separated by "; ", on LENGTH and NERVFRAC records'],
];

export function redcap(data: ExportData, options: ExportOptions): ExportFile {
  const mapping = options.redcapMapping ?? {};
  const fieldOf = (name: string) => mapping.fields?.[name] ?? name;
  const eventOf = (visitCode: string) => mapping.events?.[visitCode] ?? `${visitCode.toLowerCase().replace(/[^a-z0-9]+/g, '_')}_arm_1`;
  const fields = REGIONS.flatMap((region) => ['new', 'enlarging', 'new_or_enlarging'].map((measure) => `${REGION_CODE[region]}_${measure}`));
  const rows: unknown[][] = [];
  for (const participant of data.counts.participants) {
    const visits = [...new Set(participant.cells.map((cell) => cell.visitCode))];
    for (const visitCode of visits) {
      const cells = participant.cells.filter((cell) => cell.visitCode === visitCode);
      if (cells.length === 0) continue;
      const values = new Map<string, number>();
      for (const cell of cells) {
        values.set(`${REGION_CODE[cell.region]}_new`, cell.new);
        values.set(`${REGION_CODE[cell.region]}_enlarging`, cell.enlarging);
        values.set(`${REGION_CODE[cell.region]}_new_or_enlarging`, cell.newOrEnlarging);
      }
      rows.push([participant.subjectCode, eventOf(visitCode), ...fields.map((field) => values.get(field) ?? '')]);
    }
  }
  return { name: 'redcap-import.csv', mediaType: 'text/csv', content: csv(rows, ['record_id', 'redcap_event_name', ...fields.map(fieldOf)]) };
}

export function odm(data: ExportData, options: ExportOptions): ExportFile {
  const now = options.now;
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('ODM', {
    xmlns: 'http://www.cdisc.org/ns/odm/v1.3',
    ODMVersion: '1.3.2',
    FileType: 'Snapshot',
    FileOID: `LesionTrack.${data.studyId}.${now.toISOString().replace(/[-:.]/g, '')}`,
    CreationDateTime: now.toISOString(),
    Originator: 'LesionTrack',
    ...(options.reads === 'preliminary' ? { Description: 'PRELIMINARY: includes reads that are not signed' } : {}),
  });
  const study = root.ele('Study', { OID: data.studyId });
  study.ele('GlobalVariables').ele('StudyName').txt(data.studyId).up().ele('StudyDescription').txt('New and enlarging T2 lesions (brain, spinal cord, optic nerves)').up().ele('ProtocolName').txt(data.studyId);
  const metadata = study.ele('MetaDataVersion', { OID: 'MDV.1', Name: 'LesionTrack counts' });
  const protocol = metadata.ele('Protocol');
  for (const [index, visit] of data.schedule.visits.entries()) protocol.ele('StudyEventRef', { StudyEventOID: `SE.${visit.code}`, OrderNumber: String(index + 1), Mandatory: 'No' });
  for (const visit of data.schedule.visits) metadata.ele('StudyEventDef', { OID: `SE.${visit.code}`, Name: visit.label, Repeating: 'No', Type: 'Scheduled' }).ele('FormRef', { FormOID: 'F.T2COUNTS', Mandatory: 'No' });
  const form = metadata.ele('FormDef', { OID: 'F.T2COUNTS', Name: 'T2 lesion counts', Repeating: 'No' });
  for (const region of REGIONS) form.ele('ItemGroupRef', { ItemGroupOID: `IG.${REGION_CODE[region].toUpperCase()}`, Mandatory: 'No' });
  const items = ['NEW', 'ENLARGING', 'NEW_OR_ENLARGING', 'COMPARATOR'];
  for (const region of REGIONS) {
    const group = metadata.ele('ItemGroupDef', { OID: `IG.${REGION_CODE[region].toUpperCase()}`, Name: region.replace('_', ' '), Repeating: 'No' });
    for (const item of items) group.ele('ItemRef', { ItemOID: `I.${item}`, Mandatory: 'No' });
  }
  for (const item of items) metadata.ele('ItemDef', { OID: `I.${item}`, Name: item.toLowerCase(), DataType: item === 'COMPARATOR' ? 'text' : 'integer' });

  // ODM orders Study, AdminData, ClinicalData: the users are filled in below, once known.
  const admin = root.ele('AdminData');
  const users = new Set<string>();
  const clinical = root.ele('ClinicalData', { StudyOID: data.studyId, MetaDataVersionOID: 'MDV.1' });
  for (const participant of data.counts.participants) {
    const subject = clinical.ele('SubjectData', { SubjectKey: participant.subjectCode });
    for (const visit of data.schedule.visits) {
      const cells = participant.cells.filter((cell) => cell.visitCode === visit.code);
      if (cells.length === 0) continue;
      const formData = subject.ele('StudyEventData', { StudyEventOID: `SE.${visit.code}` }).ele('FormData', { FormOID: 'F.T2COUNTS' });
      for (const cell of cells) {
        const group = formData.ele('ItemGroupData', { ItemGroupOID: `IG.${REGION_CODE[cell.region].toUpperCase()}` });
        const signature = data.signatures.get(readKey(participant.participantId, cell.visitCode, cell.region));
        if (signature) {
          users.add(signature.reader);
          group.ele('AuditRecord').ele('UserRef', { UserOID: userOid(signature.reader) }).up().ele('LocationRef', { LocationOID: 'LOC.READING' }).up().ele('DateTimeStamp').txt(signature.signedAt).up().ele('ReasonForChange').txt(signature.meaning);
        }
        group.ele('ItemData', { ItemOID: 'I.NEW', Value: String(cell.new) });
        group.ele('ItemData', { ItemOID: 'I.ENLARGING', Value: String(cell.enlarging) });
        group.ele('ItemData', { ItemOID: 'I.NEW_OR_ENLARGING', Value: String(cell.newOrEnlarging) });
        if (cell.comparatorVisit) group.ele('ItemData', { ItemOID: 'I.COMPARATOR', Value: cell.comparatorVisit });
      }
    }
  }
  for (const user of [...users].sort()) admin.ele('User', { OID: userOid(user) }).ele('FullName').txt(user);
  admin.ele('Location', { OID: 'LOC.READING', Name: 'Central reading' }).ele('MetaDataVersionRef', { StudyOID: data.studyId, MetaDataVersionOID: 'MDV.1', EffectiveDate: now.toISOString().slice(0, 10) });
  return { name: 'odm.xml', mediaType: 'application/xml', content: root.end({ prettyPrint: true }) };
}

function userOid(name: string): string {
  return `USR.${name.replace(/[^A-Za-z0-9]+/g, '_')}`;
}

export function buildExport(format: ExportFormat, data: ExportData, options: ExportOptions): ExportFile[] {
  if (options.reads === 'all') refuseUnsigned(data);
  const files = filesOf(format, options.reads === 'signed' ? signedReadsOnly(data) : data, options);
  if (options.reads !== 'preliminary') return files;
  return files.map((file) => ({ ...file, name: `${PRELIMINARY_PREFIX}${file.name}` }));
}

function filesOf(format: ExportFormat, data: ExportData, options: ExportOptions): ExportFile[] {
  switch (format) {
    case 'counts-csv':
      return [countsCsv(data)];
    case 'sdtm':
      return sdtm(data, options);
    case 'redcap':
      return [redcap(data, options)];
    case 'odm':
      return [odm(data, options)];
    case 'dicom-sr':
      return srReports(data).flatMap(({ folder, reports }) =>
        dicomSr(reports, { storeIdentity: options.storeIdentity, now: options.now }).map((file) => ({ name: `${folder}/${file.name}`, mediaType: 'application/dicom', content: file.bytes })),
      );
  }
}

/**
 * Whose reads the SRs report: the one reader's; in a double read each reader's own, signed and verified by them,
 * in a folder per reader (an SR reports the lesions a person marked, and the final values of a read the
 * adjudicator called are counts, which the CSV, SDTM, REDCap and ODM carry).
 */
function srReports(data: ExportData): { folder: string; reports: ExportData }[] {
  if (!data.doubleRead) return [{ folder: 'dicom-sr', reports: data }];
  return data.doubleRead.readers.map((reader) => ({
    folder: `dicom-sr/${reader.track}`,
    reports: { ...data, counts: reader.counts, lesions: reader.lesions, signatures: reader.signatures, superseded: reader.superseded, doubleRead: null },
  }));
}

/** An export of all reads is refused while any read is unsigned, or any double read has no final values: it would pass unsigned counts off as final. */
function refuseUnsigned(data: ExportData): void {
  const notFinal = data.doubleRead?.notFinal ?? [];
  if (notFinal.length > 0) {
    throw new ServiceError(
      'conflict',
      `${notFinal.length} participant${notFinal.length === 1 ? "'s double read has" : "s' double reads have"} no final values yet (${notFinal.slice(0, 3).join(', ')}${notFinal.length > 3 ? ', ...' : ''}): both readers sign, then the adjudicator calls what they differ on. Export the signed reads only, or mark the export preliminary.`,
    );
  }
  const unsigned = data.counts.participants.flatMap((participant) =>
    participant.cells.filter((cell) => !isSigned(data, participant.participantId, cell.visitCode, cell.region)).map((cell) => `${participant.subjectCode} ${cell.visitCode} ${cell.region}`),
  );
  if (unsigned.length === 0) return;
  const examples = unsigned.slice(0, 3).join(', ');
  throw new ServiceError(
    'conflict',
    `${unsigned.length} read${unsigned.length === 1 ? ' is' : 's are'} not signed (${examples}${unsigned.length > 3 ? ', ...' : ''}). Export the signed reads only, or mark the export preliminary.`,
  );
}
