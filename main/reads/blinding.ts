// Blinded reads: a reader of a blinded double-read trial learns nothing of
// which visit or date a scan is, through any request. Main does it, not the
// renderer's labels: every answer to a blinded reader has each visit code
// replaced by a token ("SCAN2"), each visit label and each code in free text
// (readiness problems, suggestions, refusals) by "Scan 2", and header
// descriptions, dates and identifiers blanked; only the requests a reading
// needs are answered at all. Tokens name the scan's place in the visit
// order, as the "Scan 1…n" of a four-up layout does; requests may carry them
// back.
import { createHash } from 'node:crypto';
import { type ReadingDesign, type RequestName, readsBlinded } from '../../shared/contract';
import type { Session } from '../services/session';
import { ServiceError, type Services } from '../services/dispatch';

/** The requests a blinded reader's reading needs; every other is refused. */
const BLINDED_REQUESTS: ReadonlySet<RequestName> = new Set<RequestName>([
  'workspace',
  'openDemoTrial',
  'leaveDemoTrial',
  'listReaders',
  'createReader',
  'chooseReader',
  'sessionSettings',
  'readingDesign',
  'charter',
  'readingLayout',
  'defaultReadingLayouts',
  'saveReadingLayout',
  'worklist',
  'listSeries',
  'seriesImages',
  'alignment',
  'saveAlignment',
  'autoAlign',
  'listLesions',
  'createLesion',
  'recordObservation',
  'overrideStatus',
  'counts',
  'vertebralRuler',
  'saveVertebralRuler',
  'nerveTraces',
  'saveNerveTrace',
  'subtraction',
  'candidates',
  'reviewCandidate',
  'signRead',
  'unlockRead',
  'signatures',
  'readReadiness',
]);

/** Fields of an answer whose text comes from the DICOM headers (descriptions, dates, identifiers, UIDs that may hold dates): blanked. */
const HEADER_FIELDS: ReadonlySet<string> = new Set(['description', 'studyDescription', 'studyDate', 'patientId', 'seriesUid', 'studyUid']);

export interface Visit {
  code: string;
  label: string;
}

/** The token and name a visit goes by in a blinded read: its place in the visit order. */
export const scanToken = (position: number) => `SCAN${position}`;
export const scanName = (position: number) => `Scan ${position}`;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Turns visit codes and labels into tokens and scan names in any answer, and tokens back into codes in any request. */
export function visitCodec(visits: readonly Visit[]) {
  const clash = visits.find((visit) => /^SCAN\d+$/.test(visit.code));
  if (clash) throw new ServiceError('conflict', `The visit code ${clash.code} looks like a blinded scan's token: rename the visit in the schedule before reading blinded.`);
  const byToken = new Map(visits.map((visit, index) => [scanToken(index + 1), visit.code]));
  const tokenOf = new Map(visits.map((visit, index) => [visit.code, scanToken(index + 1)]));
  // A code in running text becomes the scan's name ("Sign the Scan 1 read first"); a field that is a code, its token.
  // Labels before codes, longest first, so that "Week 12" is one scan name and W1 never matches inside W12.
  const replacements = [
    ...visits.map((visit, index) => ({ from: visit.label, to: scanName(index + 1), word: false })),
    ...visits.map((visit, index) => ({ from: visit.code, to: scanName(index + 1), word: true })),
  ]
    .filter((item) => item.from !== '')
    .sort((a, b) => b.from.length - a.from.length);
  const pattern = replacements.length > 0 ? new RegExp(replacements.map((item) => (item.word ? `(?<![A-Za-z0-9-])${escape(item.from)}(?![A-Za-z0-9-])` : escape(item.from))).join('|'), 'g') : null;
  const target = new Map(replacements.map((item) => [item.from, item.to]));
  const blindText = (text: string) => (pattern ? text.replace(pattern, (found) => target.get(found) ?? found) : text);

  function blind(value: unknown): unknown {
    if (typeof value === 'string') return tokenOf.get(value) ?? blindText(value);
    if (Array.isArray(value)) return value.map(blind);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, HEADER_FIELDS.has(key) && typeof item === 'string' ? '' : blind(item)]));
    }
    return value;
  }

  function unblind(value: unknown): unknown {
    if (typeof value === 'string') return byToken.get(value) ?? value;
    if (Array.isArray(value)) return value.map(unblind);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unblind(item)]));
    return value;
  }

  return { blind, blindText, unblind };
}

/**
 * The reads of the worklist, in the order a blinded reader is given them: shuffled across participants and
 * visits by a seed of the store and the reader, the same at every load.
 */
export function blindedOrder<Read>(reads: readonly Read[], seed: string): Read[] {
  const order = [...reads];
  let state = createHash('sha256').update(seed).digest();
  let used = 0;
  const next = () => {
    if (used + 4 > state.length) {
      state = createHash('sha256').update(state).digest();
      used = 0;
    }
    const value = state.readUInt32BE(used);
    used += 4;
    return value / 2 ** 32;
  };
  for (let index = order.length - 1; index > 0; index -= 1) {
    const other = Math.floor(next() * (index + 1));
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  return order;
}

export interface Blinding {
  /** Whether the session reads blinded now: a reader, in a double-read trial set to blind them. */
  active(): boolean;
}

export function createBlinding(session: Session, design: () => ReadingDesign): Blinding {
  return { active: () => readsBlinded(design(), session.reader()?.role) };
}

/**
 * The services as a blinded reader meets them: refused outside what a reading needs, requests with their
 * tokens turned back into visit codes, answers and refusals blinded. `seed` orders the worklist's reads.
 */
export function blindServices(services: Services, blinding: Blinding, dependencies: { visits: () => readonly Visit[]; seed: () => string }): Services {
  const wrapped = {} as Record<RequestName, (request: unknown) => Promise<unknown>>;
  for (const name of Object.keys(services) as RequestName[]) {
    const run = services[name] as (request: unknown) => Promise<unknown> | unknown;
    wrapped[name] = async (request) => {
      if (!blinding.active()) return run(request);
      if (!BLINDED_REQUESTS.has(name)) throw new ServiceError('forbidden', 'In a blinded read this is not shown: it could tell which visit or date a scan is.');
      const codec = visitCodec(dependencies.visits());
      try {
        const answer = await run(codec.unblind(request));
        if (name === 'worklist') {
          const worklist = answer as Awaited<ReturnType<Services['worklist']>>;
          const reads = worklist.rows.flatMap((row) => row.cells.filter((cell) => cell.status === 'present').map((cell) => ({ participantId: row.participantId, visitCode: cell.visitCode, region: cell.region })));
          // The studies waiting for placement are named by date and description: a blinded reader places nothing.
          return codec.blind({ ...worklist, review: [], readOrder: blindedOrder(reads, dependencies.seed()) });
        }
        return codec.blind(answer);
      } catch (error) {
        if (error instanceof ServiceError) throw new ServiceError(error.code, codec.blindText(error.message));
        throw error;
      }
    };
  }
  return wrapped as unknown as Services;
}
