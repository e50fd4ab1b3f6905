// DICOMweb against a web archive (Orthanc's plugin, a VNA): QIDO-RS to search
// studies and series, WADO-RS to retrieve a series as its DICOM files, each
// written to the folder given as it arrives (one instance in memory at a
// time), for the folder importer to import. Only the configured base URL is
// ever asked; credentials come from the caller, never from the store.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getMultipartBoundary, parseMultipartStream } from '@remix-run/multipart-parser';
import type { SeriesMatch, StudyMatch, StudySearch } from './pacs';

export type DicomWebAuth = { kind: 'none' } | { kind: 'basic'; user: string; password: string } | { kind: 'bearer'; token: string };

export interface DicomWebServer {
  /** The DICOMweb root, e.g. http://127.0.0.1:8042/dicom-web (http or https only). */
  baseUrl: string;
  auth: DicomWebAuth;
}

export interface WebOptions {
  /** How long the server may take to start answering, in ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A server that refused, failed or did not answer: the message names it and what happened (never the credentials). */
export class DicomWebError extends Error {
  override name = 'DicomWebError';
}

/** The largest instance accepted in a retrieve (an enhanced multi-frame MR can be large, not this large). */
const MAX_INSTANCE_BYTES = 2 * 1024 ** 3;

/** A base URL as the server's root, or a refusal in words: http(s) only, no credentials in it. */
export function dicomWebRoot(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DicomWebError(`"${text}" is not a URL: give the server's DICOMweb root, e.g. http://pacs.example:8042/dicom-web.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DicomWebError(`A DICOMweb server is reached over http or https, not ${url.protocol}`);
  if (url.username || url.password) throw new DicomWebError('Give the credentials apart from the URL (a password file or token file), not inside it.');
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

function describe(server: DicomWebServer): string {
  const url = dicomWebRoot(server.baseUrl);
  return `The DICOMweb server ${url.origin}${url.pathname}`;
}

function authorization(auth: DicomWebAuth): Record<string, string> {
  if (auth.kind === 'basic') return { authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` };
  if (auth.kind === 'bearer') return { authorization: `Bearer ${auth.token}` };
  return {};
}

async function request(server: DicomWebServer, path: string, accept: string, { timeoutMs = 30_000, signal }: WebOptions): Promise<Response> {
  const url = new URL(path, dicomWebRoot(server.baseUrl));
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept, ...authorization(server.auth) }, signal: signal ? AbortSignal.any([signal, timeout]) : timeout, redirect: 'error' });
  } catch (error) {
    if (timeout.aborted) throw new DicomWebError(`${describe(server)} did not answer within ${Math.round(timeoutMs / 1000)} s.`);
    if (signal?.aborted) throw new DicomWebError(`${describe(server)}: cancelled.`);
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new DicomWebError(`${describe(server)} could not be reached${cause ? ` (${cause})` : ''}.`);
  }
  if (response.status === 401 || response.status === 403) throw new DicomWebError(`${describe(server)} refused the credentials (HTTP ${response.status}).`);
  if (!response.ok) throw new DicomWebError(`${describe(server)} answered HTTP ${response.status} to ${url.pathname}.`);
  return response;
}

type DicomJson = Record<string, { vr: string; Value?: unknown[] }>;

const value = (item: DicomJson, tag: string): unknown => item[tag]?.Value?.[0];
const text = (item: DicomJson, tag: string): string => {
  const first = value(item, tag);
  if (first && typeof first === 'object' && 'Alphabetic' in first) return String((first as { Alphabetic: unknown }).Alphabetic ?? '');
  return first === undefined || first === null ? '' : String(first);
};
const count = (item: DicomJson, tag: string): number | null => {
  const first = value(item, tag);
  return first === undefined || first === null ? null : Number(first);
};

async function qido(server: DicomWebServer, path: string, options: WebOptions): Promise<DicomJson[]> {
  const response = await request(server, path, 'application/dicom+json', options);
  if (response.status === 204) return [];
  return (await response.json()) as DicomJson[];
}

/** Studies matching the search (QIDO-RS), in the same shape as a C-FIND's. */
export async function searchStudies(server: DicomWebServer, search: StudySearch, options: WebOptions = {}): Promise<StudyMatch[]> {
  const query = new URLSearchParams();
  if (search.patientId) query.set('PatientID', search.patientId);
  if (search.patientName) query.set('PatientName', search.patientName);
  if (search.studyDateFrom || search.studyDateTo) query.set('StudyDate', `${search.studyDateFrom ?? ''}-${search.studyDateTo ?? ''}`);
  if (search.modality) query.set('ModalitiesInStudy', search.modality);
  for (const field of ['StudyDescription', 'ModalitiesInStudy', 'NumberOfStudyRelatedInstances']) query.append('includefield', field);
  const studies = await qido(server, `studies?${query}`, options);
  return studies.map((item) => ({
    studyUid: text(item, '0020000D'),
    patientId: text(item, '00100020'),
    patientName: text(item, '00100010'),
    studyDate: text(item, '00080020'),
    studyDescription: text(item, '00081030'),
    accessionNumber: text(item, '00080050'),
    modalities: (item['00080061']?.Value ?? []).map(String),
    instances: count(item, '00201208'),
  }));
}

/** The series of a study (QIDO-RS). */
export async function searchSeries(server: DicomWebServer, studyUid: string, options: WebOptions = {}): Promise<SeriesMatch[]> {
  const series = await qido(server, `studies/${encodeURIComponent(studyUid)}/series?includefield=NumberOfSeriesRelatedInstances&includefield=SeriesDescription`, options);
  return series.map((item) => ({
    seriesUid: text(item, '0020000E'),
    modality: text(item, '00080060'),
    seriesNumber: count(item, '00200011'),
    seriesDescription: text(item, '0008103E'),
    instances: count(item, '00201209'),
  }));
}

/**
 * Retrieves a series (WADO-RS) as its DICOM files into `folder`, one file per part, written as each part arrives.
 * Answers how many files were written; a response cut short keeps the files that arrived whole and says so.
 */
export async function retrieveSeries(server: DicomWebServer, studyUid: string, seriesUid: string, folder: string, options: WebOptions & { onInstance?: (written: number) => void } = {}): Promise<number> {
  const response = await request(server, `studies/${encodeURIComponent(studyUid)}/series/${encodeURIComponent(seriesUid)}`, 'multipart/related; type="application/dicom"; transfer-syntax=*', options);
  const boundary = getMultipartBoundary(response.headers.get('content-type') ?? '');
  if (!boundary || !response.body) throw new DicomWebError(`${describe(server)} did not answer with multipart DICOM files.`);
  let written = 0;
  try {
    for await (const part of parseMultipartStream(response.body, { boundary, maxFileSize: MAX_INSTANCE_BYTES, maxTotalSize: Number.POSITIVE_INFINITY, maxParts: Number.POSITIVE_INFINITY })) {
      written += 1;
      await writeFile(join(folder, `${String(written).padStart(6, '0')}.dcm`), part.bytes);
      options.onInstance?.(written);
    }
  } catch (error) {
    throw new DicomWebError(`${describe(server)}: the series stopped after ${written} instance(s) (${error instanceof Error ? error.message : String(error)}).`);
  }
  return written;
}
