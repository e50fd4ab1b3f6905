// Which reads an export holds, decided once: the data gathered from the
// services, then, for an export of signed reads only, the same data without
// the unsigned reads. Checked on a small trial written out here: one
// participant with an unsigned read at an endpoint visit, one with every read
// signed, one with nothing scanned.
import { describe, expect, it } from 'vitest';
import type { CountsReport, LesionView, SignatureView } from '../../../shared/contract';
import { DEFAULT_CHARTER } from '../../../shared/counting';
import { DEFAULT_SCHEDULE } from '../../../shared/protocol';
import { buildExport } from '../../../main/exports/formats';
import { type ExportServices, gatherExportData, readKey, signedReadsOnly } from '../../../main/exports/gather';
import { lesionView, observationView } from '../../helpers/lesion-views';

const cell = (visitCode: string, region: 'brain' | 'spinal_cord', newOrEnlarging: number) => ({ visitCode, region, new: newOrEnlarging, enlarging: 0, newOrEnlarging, comparatorVisit: visitCode === 'W0' ? null : 'W0' });

const counts: CountsReport = {
  charter: DEFAULT_CHARTER,
  participants: [
    { participantId: 1, subjectCode: '001', cells: [cell('W0', 'brain', 0), cell('W12', 'brain', 1), cell('W12', 'spinal_cord', 1)], endpointTotal: 2 },
    { participantId: 2, subjectCode: '002', cells: [cell('W0', 'brain', 0), cell('W12', 'brain', 1)], endpointTotal: 1 },
    { participantId: 3, subjectCode: '003', cells: [], endpointTotal: 0 },
  ],
  trialTotal: 3,
};

/** Every read signed but 001's W12 spinal cord. */
const signedReads = [
  [1, 'W0', 'brain'],
  [1, 'W12', 'brain'],
  [2, 'W0', 'brain'],
  [2, 'W12', 'brain'],
] as const;

const signature = ([participantId, visitCode, region]: (typeof signedReads)[number], id: number): SignatureView => ({
  id,
  participantId,
  track: 'single',
  visitCode,
  region,
  reader: 'Reader One',
  meaning: 'I confirm this read',
  charterId: DEFAULT_CHARTER.id,
  contentSha256: 'c0ffee',
  content: {},
  signedAt: '2026-01-02T03:04:05.000Z',
  supersededAt: null,
  supersededReason: null,
});

const lesion = (id: number, participantId: number, region: 'brain' | 'spinal_cord', visits: string[]): LesionView =>
  lesionView(id, { participantId, region, label: `${region === 'brain' ? 'B' : 'S'}${id}`, observations: visits.map((visit) => observationView(visit, { finalStatus: 'new', counted: true })) });

const LESIONS: Readonly<Record<number, LesionView[]>> = { 1: [lesion(1, 1, 'brain', ['W12']), lesion(2, 1, 'spinal_cord', ['W12'])], 2: [lesion(3, 2, 'brain', ['W12'])], 3: [] };

/** The services an export reads, answering for the trial above. */
const services: ExportServices = {
  trialSetup: () => ({
    participants: counts.participants.map((participant) => ({ id: participant.participantId, subjectCode: participant.subjectCode, baselineDate: '2024-01-01' })),
    patients: [],
    schedule: DEFAULT_SCHEDULE,
    rules: { regions: [], sequences: [], ignorePattern: '' },
  }),
  counts: () => counts,
  listAssignments: () => [],
  listLesions: ({ participantId }) => LESIONS[participantId] ?? [],
  signatures: async ({ participantId, visitCode, region }) => signedReads.flatMap((read, index) => (readKey(read[0], read[1], read[2]) === readKey(participantId, visitCode, region) ? [signature(read, index + 1)] : [])),
  worklist: () => ({
    visits: [],
    rows: [{ participantId: 1, subjectCode: '001', cells: [{ visitCode: 'W12', region: 'brain', status: 'present', readStatus: 'signed', readState: 'signed', reader: 'Reader A', changedAt: '2026-01-01T00:00:00.000Z', newOrEnlarging: 0, problems: [], tracks: null, series: [{ seriesId: 11, description: 'FLAIR', sequence: 'FLAIR', source: 'confirmed' }] }, { visitCode: 'W12', region: 'spinal_cord', status: 'present', readStatus: 'in_progress', readState: 'in_progress', reader: 'Reader A', changedAt: '2026-01-01T00:00:00.000Z', newOrEnlarging: 0, problems: [], tracks: null, series: [{ seriesId: 12, description: 'STIR', sequence: 'STIR', source: 'confirmed' }] }] }],
    review: [],
    readOrder: null,
  }),
  seriesReferences: ({ seriesId }) => ({ seriesId, studyInstanceUid: '1.2.3', seriesInstanceUid: `1.2.3.${seriesId}`, instances: [] }),
  seriesImages: ({ seriesId }) => ({ seriesId, store: '0'.repeat(32), images: [] }),
  readingDesign: () => ({ design: 'single' }),
  adjudication: () => [],
};

const options = { redcapMapping: undefined, storeIdentity: 'store', now: new Date('2026-02-01T00:00:00.000Z') };
const csvRows = (content: string | Uint8Array) => String(content).trim().split('\r\n').slice(1);

describe('the data of an export', () => {
  it('holds each participant’s endpoint: final when every endpoint read is signed, not_read when nothing was scanned', async () => {
    const data = await gatherExportData(services, true);
    expect(Object.fromEntries(data.endpoints)).toEqual({
      1: { status: 'preliminary', total: 2 },
      2: { status: 'final', total: 1 },
      3: { status: 'not_read', total: null },
    });
    expect([...data.signatures.keys()]).toEqual(['1/W0/brain', '1/W12/brain', '2/W0/brain', '2/W12/brain']);
    expect(Object.fromEntries(data.imaging!.readSeries)).toEqual({ '1/W12/brain': [11], '1/W12/spinal_cord': [12] });
  });

  it('of signed reads only leaves out every unsigned read, once, for every format', async () => {
    const signed = signedReadsOnly(await gatherExportData(services, true));
    expect(signed.counts.participants.map((participant) => participant.cells.map((item) => `${item.visitCode} ${item.region}`))).toEqual([['W0 brain', 'W12 brain'], ['W0 brain', 'W12 brain'], []]);
    expect([...signed.endpoints.keys()]).toEqual([2, 3]);
    expect(signed.lesions.get(1)!.map((item) => [item.label, item.observations.map((seen) => seen.visitCode)])).toEqual([
      ['B1', ['W12']],
      ['S2', []],
    ]);
    expect([...signed.imaging!.readSeries.keys()]).toEqual(['1/W12/brain']);
  });
});

describe('the counts CSV', () => {
  it('of signed reads only has no unsigned row, and an ENDPOINT row only where the endpoint is final or not read', async () => {
    const [file] = buildExport('counts-csv', await gatherExportData(services, false), { ...options, reads: 'signed' });
    expect(csvRows(file!.content)).toEqual([
      '001,W0,1,0,brain,0,0,0,,default-2026-1,Reader One,2026-01-02T03:04:05.000Z,final,single,Y',
      '001,W12,2,12,brain,1,0,1,W0,default-2026-1,Reader One,2026-01-02T03:04:05.000Z,final,single,Y',
      '002,W0,1,0,brain,0,0,0,,default-2026-1,Reader One,2026-01-02T03:04:05.000Z,final,single,Y',
      '002,W12,2,12,brain,1,0,1,W0,default-2026-1,Reader One,2026-01-02T03:04:05.000Z,final,single,Y',
      '002,ENDPOINT,,,all,,,1,,default-2026-1,,,final,single,Y',
      '003,ENDPOINT,,,all,,,,,default-2026-1,,,not_read,single,Y',
    ]);
  });

  it('of a preliminary export has every row, the unsigned ones and their endpoint preliminary', async () => {
    const [file] = buildExport('counts-csv', await gatherExportData(services, false), { ...options, reads: 'preliminary' });
    expect(file!.name).toBe('PRELIMINARY-counts.csv');
    expect(csvRows(file!.content).filter((row) => row.endsWith(',preliminary,single,Y'))).toEqual([
      '001,W12,2,12,spinal_cord,1,0,1,W0,default-2026-1,,,preliminary,single,Y',
      '001,ENDPOINT,,,all,,,2,,default-2026-1,,,preliminary,single,Y',
    ]);
  });
});

describe('SDTM of signed reads only', () => {
  it('identifies and measures a lesion only at signed reads', async () => {
    const [tu, tr] = buildExport('sdtm', await gatherExportData(services, false), { ...options, reads: 'signed' });
    expect(csvRows(tu!.content).map((row) => row.split(',').slice(2, 5).join(' '))).toEqual(['NCT05792462-001 1 B1', 'NCT05792462-002 1 B3']);
    expect(csvRows(tr!.content).map((row) => row.split(',').slice(2, 5).join(' '))).toEqual(['NCT05792462-001 1 B1', 'NCT05792462-002 1 B3']);
  });
});
