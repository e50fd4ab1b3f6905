// Query/retrieve against a PACS (study root): C-FIND for studies and their
// series, C-MOVE of a study to this workstation's listener, with progress and
// cancel. dcmjs-dimse speaks the protocol (main/network/listener.ts says why);
// this file turns a reader's search into query keys and the answers into
// plain records, and a node that does not answer into a clear message.
import dcmjsDimse from 'dcmjs-dimse';

const { Client } = dcmjsDimse;
const { CFindRequest, CMoveRequest } = dcmjsDimse.requests;
const { Status } = dcmjsDimse.constants;
dcmjsDimse.log.setLevel('silent');

/** A PACS node as configured: its AE title, host and port, and the AE title we call it as. */
export interface PacsNode {
  aeTitle: string;
  host: string;
  port: number;
  callingAeTitle: string;
}

/** A study search as a reader states it; empty fields match everything. Dates are YYYYMMDD. */
export interface StudySearch {
  patientId?: string;
  patientName?: string;
  studyDateFrom?: string;
  studyDateTo?: string;
  modality?: string;
}

export interface StudyMatch {
  studyUid: string;
  patientId: string;
  patientName: string;
  studyDate: string;
  studyDescription: string;
  accessionNumber: string;
  modalities: string[];
  instances: number | null;
}

export interface SeriesMatch {
  seriesUid: string;
  modality: string;
  seriesNumber: number | null;
  seriesDescription: string;
  instances: number | null;
}

export interface MoveProgress {
  remaining: number;
  completed: number;
  failed: number;
  warnings: number;
}

export interface QueryOptions {
  /** How long a node may stay silent (connect, association, each reply), in ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A PACS that refused, failed or did not answer: the message names the node and what happened. */
export class PacsError extends Error {
  override name = 'PacsError';
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** A DICOM date range ("from-to", either end open) from the search's dates; patient ID and name go as typed, wildcards (* and ?) included. */
function dateRange(from?: string, to?: string): string {
  if (!from && !to) return '';
  return `${from ?? ''}-${to ?? ''}`;
}

type Elements = Record<string, unknown>;

const text = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(text).join('\\');
  if (typeof value === 'object' && 'Alphabetic' in (value as object)) return String((value as { Alphabetic: unknown }).Alphabetic ?? '');
  return String(value);
};
const count = (value: unknown): number | null => (value === undefined || value === '' || value === null ? null : Number(value));
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(text) : text(value).split('\\')).filter(Boolean);

/** Studies matching the search, as the node answers them. */
export async function findStudies(node: PacsNode, search: StudySearch, options: QueryOptions = {}): Promise<StudyMatch[]> {
  const request = CFindRequest.createStudyFindRequest({
    PatientID: search.patientId ?? '',
    PatientName: search.patientName ?? '',
    StudyDate: dateRange(search.studyDateFrom, search.studyDateTo),
    ModalitiesInStudy: search.modality ?? '',
    StudyInstanceUID: '',
    StudyDescription: '',
    AccessionNumber: '',
    NumberOfStudyRelatedInstances: '',
  });
  const answers = await find(node, request, options);
  return answers.map((elements) => ({
    studyUid: text(elements.StudyInstanceUID),
    patientId: text(elements.PatientID),
    patientName: text(elements.PatientName),
    studyDate: text(elements.StudyDate),
    studyDescription: text(elements.StudyDescription),
    accessionNumber: text(elements.AccessionNumber),
    modalities: list(elements.ModalitiesInStudy),
    instances: count(elements.NumberOfStudyRelatedInstances),
  }));
}

/** The series of one study. */
export async function findSeries(node: PacsNode, studyUid: string, options: QueryOptions = {}): Promise<SeriesMatch[]> {
  const request = CFindRequest.createSeriesFindRequest({ StudyInstanceUID: studyUid, SeriesInstanceUID: '', Modality: '', SeriesNumber: '', SeriesDescription: '', NumberOfSeriesRelatedInstances: '' });
  const answers = await find(node, request, options);
  return answers.map((elements) => ({
    seriesUid: text(elements.SeriesInstanceUID),
    modality: text(elements.Modality),
    seriesNumber: count(elements.SeriesNumber),
    seriesDescription: text(elements.SeriesDescription),
    instances: count(elements.NumberOfSeriesRelatedInstances),
  }));
}

async function find(node: PacsNode, request: InstanceType<typeof CFindRequest>, options: QueryOptions): Promise<Elements[]> {
  const answers: Elements[] = [];
  let failure: string | null = null;
  request.on('response', (response) => {
    const status = response.getStatus();
    if (status === Status.Pending || status === 0xff01) {
      const dataset = response.getDataset();
      if (dataset) answers.push(dataset.getElements() as Elements);
    } else if (status !== Status.Success) {
      failure = `the query failed with status ${status.toString(16).toUpperCase()}H`;
    }
  });
  await exchange(node, request, options);
  if (failure) throw new PacsError(`${describeNode(node)}: ${failure}.`);
  return answers;
}

/**
 * Asks the node to send a study to `destinationAeTitle` (this workstation's listener, which the PACS must know by
 * that AE title with our host and port). Resolves with the final counts; the listener imports what arrives.
 */
export async function moveStudy(node: PacsNode, studyUid: string, destinationAeTitle: string, options: QueryOptions & { onProgress?: (progress: MoveProgress) => void } = {}): Promise<MoveProgress> {
  const request = CMoveRequest.createStudyMoveRequest(destinationAeTitle, studyUid);
  let last: MoveProgress = { remaining: 0, completed: 0, failed: 0, warnings: 0 };
  let failure: string | null = null;
  request.on('response', (response) => {
    last = { remaining: response.getRemaining() ?? 0, completed: response.getCompleted() ?? 0, failed: response.getFailures() ?? 0, warnings: response.getWarnings() ?? 0 };
    const status = response.getStatus();
    if (status === Status.Pending) options.onProgress?.(last);
    else if (status === Status.MoveDestinationUnknown) failure = `it does not know the destination AE title "${destinationAeTitle}" (add this workstation to its DICOM nodes)`;
    else if (status === Status.Cancel) failure = 'the retrieve was cancelled';
    else if (status !== Status.Success && status !== 0xb000) failure = `the retrieve failed with status ${status.toString(16).toUpperCase()}H`;
  });
  await exchange(node, request, options);
  // Some PACS (Orthanc among them) answer an unknown destination with a plain failure: say what to check.
  const check = last.completed === 0 ? ` Check that it knows the destination AE title "${destinationAeTitle}" with this workstation's address and port.` : '';
  if (failure) throw new PacsError(`${describeNode(node)}: ${failure}; ${last.completed} instance(s) were sent.${check}`);
  return last;
}

/** Ends a connection now: an A-ABORT if an association is up, then the socket (dcmjs-dimse keeps it on its internal `network`). */
function hangUp(client: InstanceType<typeof Client>): void {
  const network = (client as unknown as { network?: { socket?: { destroy(): void } } }).network;
  if (!network) return;
  try {
    client.abort();
  } finally {
    network.socket?.destroy();
  }
}

function describeNode(node: PacsNode): string {
  return `The PACS ${node.aeTitle} at ${node.host}:${node.port}`;
}

/** One association carrying one request to its end: resolves on release, rejects with words on refusal, error or silence. */
function exchange(node: PacsNode, request: InstanceType<typeof CFindRequest> | InstanceType<typeof CMoveRequest>, { timeoutMs = DEFAULT_TIMEOUT_MS, signal }: QueryOptions): Promise<void> {
  return new Promise<void>((resolveDone, rejectDone) => {
    const client = new Client();
    let settled = false;
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(silence);
      signal?.removeEventListener('abort', cancel);
      if (error) rejectDone(error);
      else resolveDone();
    };
    // The library's own timers act only once a PDU has been seen; a node that accepts the connection and says nothing is ours to end.
    let silence = setTimeout(() => quiet(), timeoutMs);
    const heard = () => {
      clearTimeout(silence);
      silence = setTimeout(() => quiet(), timeoutMs);
    };
    const quiet = () => {
      hangUp(client);
      settle(new PacsError(`${describeNode(node)} did not answer within ${Math.round(timeoutMs / 1000)} s.`));
    };
    const cancel = () => {
      hangUp(client);
      settle(new PacsError(`${describeNode(node)}: cancelled.`));
    };
    signal?.addEventListener('abort', cancel, { once: true });
    request.on('response', heard);
    client.on('associationAccepted', heard);
    client.on('associationRejected', (reject: { result: number; source: number; reason: number }) => settle(new PacsError(`${describeNode(node)} refused the association (reason ${reject.reason}): check that it knows the AE title ${node.callingAeTitle} with this host.`)));
    client.on('networkError', (error: Error) => settle(new PacsError(`${describeNode(node)} could not be reached: ${error.message.replace(/^.*-> /, '')}.`)));
    client.on('closed', () => settle(null));
    client.addRequest(request);
    client.send(node.host, node.port, node.callingAeTitle, node.aeTitle, { connectTimeout: timeoutMs, associationTimeout: timeoutMs, pduTimeout: timeoutMs });
  });
}

