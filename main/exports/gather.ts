// What every export needs, asked of the same services a client's requests
// reach, so an export holds what the reader sees: the schedule, the counts,
// the lesions with their observations, the signatures and the study dates.
// Subject codes only: no PatientID or name leaves. An export of signed reads
// only is this data with every unsigned read taken out, once
// (signedReadsOnly), so that no format decides it for itself.
import type { CountsReport, LesionView, ParticipantAdjudication, Region, SeriesImage, SeriesReferences, SignatureView, TrialSetup } from '../../shared/contract';
import type { Services } from '../services/dispatch';
import { READER_TRACKS } from '../reads/tracks';

export interface ExportData {
  studyId: string;
  schedule: TrialSetup['schedule'];
  counts: CountsReport;
  /** Per participant, the counts CSV's ENDPOINT row; a participant without one has none (docs/EXPORTS.md). */
  endpoints: ReadonlyMap<number, Endpoint>;
  lesions: ReadonlyMap<number, LesionView[]>;
  /** The signature in force per "participant/visit/region", if the read is signed. */
  signatures: ReadonlyMap<string, SignatureView>;
  /** Earlier signatures of a read, unlocked since, oldest first. */
  superseded: ReadonlyMap<string, SignatureView[]>;
  /** Study date (YYYY-MM-DD) per "participant/visit". */
  studyDates: ReadonlyMap<string, string>;
  /** What an export that references images needs (DICOM SR); null for the others. */
  imaging: ImagingData | null;
  /**
   * A double-read trial's two independent reads, for the participants whose values are final (the rest have no
   * values to export yet); null in a single-read trial, where the counts above are the one reader's.
   */
  doubleRead: DoubleReadData | null;
}

export type ReaderTrack = (typeof READER_TRACKS)[number];

/** One reader's own track, as they signed it. */
export interface ReaderData {
  track: ReaderTrack;
  counts: CountsReport;
  lesions: ReadonlyMap<number, LesionView[]>;
  signatures: ReadonlyMap<string, SignatureView>;
  superseded: ReadonlyMap<string, SignatureView[]>;
}

export interface DoubleReadData {
  readers: readonly ReaderData[];
  /**
   * Per "participant/visit/region": whose track holds the final value (the reader the adjudicator sided with, or
   * where the readers agree, the first whose count is the final one); null where the adjudicator gave their own.
   */
  accepted: ReadonlyMap<string, ReaderTrack | null>;
  /** Subject codes whose double read has no final values yet: an export of all reads waits for them. */
  notFinal: readonly string[];
}

export interface ImagingData {
  /** The series read per "participant/visit/region", as the worklist assigns them. */
  readSeries: ReadonlyMap<string, readonly number[]>;
  /** UIDs of every series read or marked on. */
  series: ReadonlyMap<number, SeriesReferences>;
  /** Geometry of every image a lesion was marked on, per "instanceId/frame". */
  images: ReadonlyMap<string, SeriesImage>;
}

/**
 * A participant's endpoint: its total over the endpoint visits, final when
 * every read of the endpoint is signed, else preliminary; not_read, with no
 * total, when nothing was scanned at an endpoint visit (a 0 would look final).
 */
export type Endpoint = { status: 'final' | 'preliminary'; total: number } | { status: 'not_read'; total: null };

export const imageKey = (instanceId: number, frame: number) => `${instanceId}/${frame}`;

export const readKey = (participantId: number, visitCode: string, region: Region | string) => `${participantId}/${visitCode}/${region}`;

/** The trial's identifier in SDTM and ODM; NCT05792462 unless a setting says otherwise. */
export const DEFAULT_STUDY_ID = 'NCT05792462';

/** The services an export reads: the requests a client would make for the same data. */
export type ExportServices = Pick<
  Services,
  'trialSetup' | 'counts' | 'listAssignments' | 'listLesions' | 'signatures' | 'worklist' | 'seriesReferences' | 'seriesImages' | 'readingDesign' | 'adjudication'
>;

export async function gatherExportData(services: ExportServices, withImaging: boolean, studyId = DEFAULT_STUDY_ID): Promise<ExportData> {
  const [setup, counts, assignments, design] = await Promise.all([services.trialSetup({}), services.counts({}), services.listAssignments({}), services.readingDesign({})]);
  const lesions = new Map<number, LesionView[]>();
  const signatures = new Map<string, SignatureView>();
  const superseded = new Map<string, SignatureView[]>();
  const doubleRead = design.design === 'double' ? await gatherDoubleRead(services, await services.adjudication({}), counts) : null;
  for (const participant of setup.participants) {
    lesions.set(participant.id, await services.listLesions({ participantId: participant.id }));
    const cells = counts.participants.find((item) => item.participantId === participant.id)?.cells ?? [];
    for (const cell of cells) {
      const key = readKey(participant.id, cell.visitCode, cell.region);
      const { active, earlier } = await signaturesOf(services, { participantId: participant.id, visitCode: cell.visitCode, region: cell.region });
      // A double read's final value is signed by the adjudicator's call, or, where the readers agree, by the later of their two signatures.
      const inForce = active ?? (doubleRead ? latest(doubleRead.readers.map((reader) => reader.signatures.get(key))) : undefined);
      if (inForce) signatures.set(key, inForce);
      if (earlier.length > 0) superseded.set(key, earlier);
    }
  }
  const studyDates = new Map<string, string>();
  for (const study of assignments) {
    if (study.participantId === null || study.visitCode === null) continue;
    const date = /^\d{8}$/.test(study.studyDate) ? `${study.studyDate.slice(0, 4)}-${study.studyDate.slice(4, 6)}-${study.studyDate.slice(6)}` : '';
    studyDates.set(`${study.participantId}/${study.visitCode}`, date);
  }
  // A double read without final values has no endpoint yet: not_read would say nothing was scanned.
  const pending = new Set(doubleRead?.notFinal ?? []);
  const endpoints = new Map(counts.participants.filter((participant) => !pending.has(participant.subjectCode)).map((participant) => [participant.participantId, endpointOf(participant, setup.schedule, signatures)]));
  // A double read's SRs are each reader's (formats.ts): their lesions' images are referenced too.
  const imaging = withImaging ? await gatherImaging(services, [lesions, ...(doubleRead?.readers.map((reader) => reader.lesions) ?? [])]) : null;
  return { studyId, schedule: setup.schedule, counts, endpoints, lesions, signatures, superseded, studyDates, imaging, doubleRead };
}

/** A read's signature in force and the earlier ones, unlocked since, oldest first; of a reader's track where one is named. */
async function signaturesOf(services: ExportServices, read: Parameters<ExportServices['signatures']>[0]) {
  const all = await services.signatures(read);
  return { active: all.find((signature) => signature.supersededAt === null), earlier: all.filter((signature) => signature.supersededAt !== null).sort((a, b) => a.id - b.id) };
}

const latest = (signatures: readonly (SignatureView | undefined)[]) =>
  signatures.filter((signature) => signature !== undefined).sort((a, b) => (a.signedAt < b.signedAt ? 1 : a.signedAt > b.signedAt ? -1 : 0))[0];

/** `finalCounts`: the final values the export holds already (counts as a data manager asks for them). */
async function gatherDoubleRead(services: ExportServices, standing: readonly ParticipantAdjudication[], finalCounts: CountsReport): Promise<DoubleReadData> {
  const final = standing.filter((participant) => participant.state === 'agreed' || participant.state === 'adjudicated');
  const readers: ReaderData[] = [];
  for (const track of READER_TRACKS) {
    const lesions = new Map<number, LesionView[]>();
    const signatures = new Map<string, SignatureView>();
    const superseded = new Map<string, SignatureView[]>();
    const participants: CountsReport['participants'] = [];
    for (const { participantId } of final) {
      const report = await services.counts({ participantId, track });
      participants.push(...report.participants);
      lesions.set(participantId, await services.listLesions({ participantId, track }));
      for (const cell of report.participants.flatMap((participant) => participant.cells)) {
        const key = readKey(participantId, cell.visitCode, cell.region);
        const { active, earlier } = await signaturesOf(services, { participantId, visitCode: cell.visitCode, region: cell.region, track });
        if (active) signatures.set(key, active);
        if (earlier.length > 0) superseded.set(key, earlier);
      }
    }
    const trialTotal = participants.reduce((sum, participant) => sum + participant.endpointTotal, 0);
    readers.push({ track, counts: { charter: finalCounts.charter, participants, trialTotal }, lesions, signatures, superseded });
  }
  const readerCount = (track: ReaderTrack, participantId: number, read: { visitCode: string; region: Region }) =>
    readers
      .find((reader) => reader.track === track)!
      .counts.participants.find((item) => item.participantId === participantId)
      ?.cells.find((cell) => cell.visitCode === read.visitCode && cell.region === read.region)?.newOrEnlarging ?? 0;
  const accepted = new Map<string, ReaderTrack | null>();
  for (const participant of final) {
    const calls = new Map((participant.disagreements ?? []).map((read) => [`${read.visitCode}/${read.region}`, read.call]));
    for (const cell of finalCounts.participants.find((item) => item.participantId === participant.participantId)?.cells ?? []) {
      const call = calls.get(`${cell.visitCode}/${cell.region}`);
      const sidedWith = call ? (call.choice === 'adjudicator' ? null : call.choice) : (READER_TRACKS.find((track) => readerCount(track, participant.participantId, cell) === cell.newOrEnlarging) ?? null);
      accepted.set(readKey(participant.participantId, cell.visitCode, cell.region), sidedWith);
    }
  }
  return { readers, accepted, notFinal: standing.filter((participant) => !final.includes(participant)).map((participant) => participant.subjectCode) };
}

function endpointOf(participant: CountsReport['participants'][number], schedule: TrialSetup['schedule'], signatures: ReadonlyMap<string, SignatureView>): Endpoint {
  const endpointCells = participant.cells.filter((cell) => schedule.visits.some((visit) => visit.code === cell.visitCode && visit.inEndpoint));
  if (endpointCells.length === 0) return { status: 'not_read', total: null };
  const complete = endpointCells.every((cell) => signatures.has(readKey(participant.participantId, cell.visitCode, cell.region)));
  return { status: complete ? 'final' : 'preliminary', total: participant.endpointTotal };
}

async function gatherImaging(services: ExportServices, lesionMaps: readonly ReadonlyMap<number, LesionView[]>[]): Promise<ImagingData> {
  const readSeries = new Map<string, number[]>();
  for (const row of (await services.worklist({})).rows) {
    for (const cell of row.cells) {
      readSeries.set(
        readKey(row.participantId, cell.visitCode, cell.region),
        cell.series.map((series) => series.seriesId),
      );
    }
  }
  const markedSeries = new Set<number>();
  for (const observation of lesionMaps.flatMap((lesions) => [...lesions.values()].flat()).flatMap((lesion) => lesion.observations)) {
    if (observation.image) markedSeries.add(observation.image.seriesId);
  }
  const series = new Map<number, SeriesReferences>();
  for (const seriesId of new Set([...[...readSeries.values()].flat(), ...markedSeries])) series.set(seriesId, await services.seriesReferences({ seriesId }));
  const images = new Map<string, SeriesImage>();
  for (const seriesId of markedSeries) {
    for (const image of (await services.seriesImages({ seriesId })).images) images.set(imageKey(image.instanceId, image.frame), image);
  }
  return { readSeries, series, images };
}

/**
 * The data of the signed reads only: unsigned reads' counts, their lesions'
 * observations and the series read for their SRs are left out, and so is an
 * endpoint that is not final (one of its reads is unsigned). A participant
 * with nothing read keeps its not_read endpoint.
 */
export function signedReadsOnly(data: ExportData): ExportData {
  const signed = (key: string) => data.signatures.has(key);
  return {
    ...data,
    counts: {
      ...data.counts,
      participants: data.counts.participants.map((participant) => ({ ...participant, cells: participant.cells.filter((cell) => signed(readKey(participant.participantId, cell.visitCode, cell.region))) })),
    },
    endpoints: new Map([...data.endpoints].filter(([, endpoint]) => endpoint.status !== 'preliminary')),
    lesions: new Map(
      [...data.lesions].map(([participantId, lesions]) => [
        participantId,
        lesions.map((lesion) => ({ ...lesion, observations: lesion.observations.filter((observation) => signed(readKey(participantId, observation.visitCode, lesion.region))) })),
      ]),
    ),
    imaging: data.imaging && { ...data.imaging, readSeries: new Map([...data.imaging.readSeries].filter(([key]) => signed(key))) },
  };
}

/** Visit number for SDTM/ODM: the position in the schedule (1 = baseline); unscheduled visits get 99. */
export function visitNumber(schedule: TrialSetup['schedule'], visitCode: string): number {
  const index = schedule.visits.findIndex((visit) => visit.code === visitCode);
  return index >= 0 ? index + 1 : 99;
}

export function visitLabel(schedule: TrialSetup['schedule'], visitCode: string): string {
  return schedule.visits.find((visit) => visit.code === visitCode)?.label ?? `Unscheduled ${visitCode.replace(/^UNS-/, '')}`;
}

export function visitWeek(schedule: TrialSetup['schedule'], visitCode: string): number | '' {
  return schedule.visits.find((visit) => visit.code === visitCode)?.week ?? '';
}
