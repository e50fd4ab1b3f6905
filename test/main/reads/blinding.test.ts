// Blinded reads: a reader of a blinded double-read trial gets no visit code
// or label, no scan date and no header description through any request of
// the contract, images included; their requests may carry the tokens back.
// On a real store with the synthetic participant's images.
import dicomParser from 'dicom-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { blindedDicom } from '../../../main/dicom/blind-headers';
import { blindedOrder, visitCodec } from '../../../main/reads/blinding';
import { startHttpHost } from '../../../main/host/http-host';
import { derivedPath, instancePath } from '../../../shared/channels';
import type { RequestName } from '../../../shared/contract';
import { INVALID_PAYLOADS } from '../../helpers/invalid-payloads';
import { REQUEST_NAMES } from '../../helpers/request-names';
import { READER_SECRET, type TrialStore, trialStore } from '../../helpers/trial-store';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const VISITS = [
  { code: 'W0', label: 'Week 0 (baseline)' },
  { code: 'W1', label: 'Week 1' },
  { code: 'W12', label: 'Week 12' },
];

describe('the visit codec', () => {
  const codec = visitCodec(VISITS);

  it('names each visit by its place in the order, in fields and in free text, and never a code inside another', () => {
    expect(codec.blind({ visitCode: 'W12', why: 'absent at W1 and W0', label: 'Week 0 (baseline)', note: 'W120 and XW1 stay' })).toEqual({
      visitCode: 'SCAN3',
      why: 'absent at Scan 2 and Scan 1',
      label: 'Scan 1',
      note: 'W120 and XW1 stay',
    });
  });

  it('blanks the header text of an answer: descriptions, study dates, patient IDs, UIDs', () => {
    expect(codec.blind([{ description: 'AX T2 FLAIR', studyDescription: 'MRI BRAIN', studyDate: '20240115', patientId: 'NMO-001', seriesUid: '1.2.3', studyUid: '1.2', id: 4 }])).toEqual([
      { description: '', studyDescription: '', studyDate: '', patientId: '', seriesUid: '', studyUid: '', id: 4 },
    ]);
  });

  it('turns tokens back into codes in a request, and leaves everything else', () => {
    expect(codec.unblind({ visitCode: 'SCAN3', observation: { visitCode: 'SCAN1' }, region: 'brain', other: 'SCAN9' })).toEqual({ visitCode: 'W12', observation: { visitCode: 'W0' }, region: 'brain', other: 'SCAN9' });
  });

  it('refuses a schedule whose codes look like tokens', () => {
    expect(() => visitCodec([{ code: 'SCAN1', label: 'Scan one' }])).toThrow(/rename the visit/);
  });
});

describe('the blinded order of reads', () => {
  const reads = Array.from({ length: 40 }, (_, index) => index);

  it('is a permutation of the reads, the same for the same seed and another for another', () => {
    const order = blindedOrder(reads, 'store/7');
    expect([...order].sort((a, b) => a - b)).toEqual(reads);
    expect(order).not.toEqual(reads);
    expect(blindedOrder(reads, 'store/7')).toEqual(order);
    expect(blindedOrder(reads, 'store/8')).not.toEqual(order);
  });
});

let open: TrialStore | null = null;
afterEach(() => {
  open?.ws.close();
  open = null;
});

/** Every visit code as a word, every label, every scan date in DICOM and ISO form, and every study and series description of the participant. */
function forbiddenTexts(store: TrialStore): { what: string; pattern: RegExp }[] {
  const participant = store.truth.participants[0]!;
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [
    ...['W0', 'W12', 'W24', 'W52'].map((code) => ({ what: `visit code ${code}`, pattern: new RegExp(`(?<![A-Za-z0-9-])${code}(?![0-9])`) })),
    ...['Week 0', 'Week 12', 'Week 24', 'Week 52', 'baseline'].map((label) => ({ what: `label ${label}`, pattern: new RegExp(escape(label), 'i') })),
    ...participant.studies.flatMap((study) => [
      { what: `study date ${study.studyDate}`, pattern: new RegExp(study.studyDate) },
      { what: `study date ${study.studyDate} (ISO)`, pattern: new RegExp(`${study.studyDate.slice(0, 4)}-${study.studyDate.slice(4, 6)}-${study.studyDate.slice(6)}`) },
    ]),
    ...participant.studies.flatMap((study) => study.series.map((series) => ({ what: `series description ${series.description}`, pattern: new RegExp(escape(series.description)) }))),
  ];
}

describe('a blinded reader', () => {
  it('gets no visit, date or header text through any request of the contract, over HTTP, and images without them', async () => {
    const store = await trialStore();
    open = store;
    const { client, participantId, ws } = store;
    await client.saveReadingDesign({ design: { design: 'double', adjudication: { rule: 'count_differs' } }, reason: 'blinded independent reads' });
    // The reader works as the reading room does: with the tokens the answers give.
    const worklist = await client.worklist({});
    expect(worklist.visits.map((visit) => [visit.code, visit.label])).toEqual([
      ['SCAN1', 'Scan 1'],
      ['SCAN2', 'Scan 2'],
      ['SCAN3', 'Scan 3'],
      ['SCAN4', 'Scan 4'],
    ]);
    expect(worklist.readOrder).toHaveLength(12);
    const created = await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'SCAN2', finding: { kind: 'measured', longestDiameterMm: 6 } } });
    expect(created.lesion.observations[0]).toMatchObject({ visitCode: 'SCAN2', suggestion: { comparatorVisit: 'SCAN1', why: 'absent at Scan 1' } });
    await client.signRead({ participantId, visitCode: 'SCAN1', region: 'brain', secret: READER_SECRET });
    await expect(client.signRead({ participantId, visitCode: 'SCAN3', region: 'brain', secret: READER_SECRET })).rejects.toMatchObject({ message: expect.stringContaining('Sign the Scan 2 read first') });
    await expect(client.listAssignments({})).rejects.toMatchObject({ code: 'forbidden', message: 'In a blinded read this is not shown: it could tell which visit or date a scan is.' });

    const host = await startHttpHost(ws);
    const cookie = (await fetch(host.url, { redirect: 'manual' })).headers.get('set-cookie')!.split(';')[0]!;
    const forbidden = forbiddenTexts(store);
    const check = (text: string, where: string, skip: (what: string) => boolean = () => false) => {
      for (const { what, pattern } of forbidden) if (!skip(what)) expect(pattern.test(text), `${where} has ${what}`).toBe(false);
    };
    // The derived requests ask about the read the lesion was drawn in (Scan 2 brain, as W12 in the payloads), with one of its candidates.
    const brainSeries = (visitCode: string) => worklist.rows[0]!.cells.find((cell) => cell.visitCode === visitCode && cell.region === 'brain')!.series[0]!.seriesId;
    const pair = { currentSeriesId: brainSeries('SCAN2'), comparatorSeriesId: brainSeries('SCAN1') };
    await expect.poll(async () => (await client.subtraction(pair)).state, { timeout: 90_000 }).toBe('ready');
    const [candidate] = (await client.candidates({ participantId, visitCode: 'SCAN2', region: 'brain', ...pair })).candidates;
    expect(candidate).toBeDefined();
    try {
      const skipped = new Set<RequestName>(['openDemoTrial', 'leaveDemoTrial', 'importFolder', 'startImport']);
      for (const name of REQUEST_NAMES.filter((item) => !skipped.has(item))) {
        const valid = INVALID_PAYLOADS[name].valid;
        const payload = {
          ...valid,
          ...('participantId' in valid ? { participantId } : {}),
          ...('lesionId' in valid ? { lesionId: created.lesion.id } : {}),
          ...('currentSeriesId' in valid ? pair : {}),
          ...('candidateId' in valid ? { candidateId: candidate!.id } : {}),
        };
        const response = await fetch(`${host.origin}/api/${name}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(payload) });
        check(await response.text(), name);
      }
      // Every image of the participant's series, as the viewer fetches them: the headers before the pixel data.
      const series = await client.listSeries({});
      expect(series.every((item) => item.description === '' && item.studyDate === '')).toBe(true);
      let images = 0;
      for (const item of series) {
        const listing = await client.seriesImages({ seriesId: item.id });
        for (const image of listing.images.slice(0, 2)) {
          const bytes = new Uint8Array(await (await fetch(`${host.origin}${instancePath(listing.store, image.instanceId)}`, { headers: { cookie } })).arrayBuffer());
          const headers = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' });
          const pixels = headers.elements.x7fe00010?.dataOffset ?? bytes.length;
          // A localizer's Image Type says LOCALIZER, as its description does: the descriptions are checked by element.
          check(Buffer.from(bytes.subarray(0, pixels)).toString('latin1'), `image ${image.instanceId}`, (what) => what.startsWith('series description'));
          expect([headers.string('x0008103e'), headers.string('x00081030')], `image ${image.instanceId}`).toEqual(['', '']);
          images += 1;
        }
      }
      expect(images).toBeGreaterThan(10);
      // Derived images carry nothing of the patient or the visit in the first place.
      const { resultId } = await client.subtraction(pair);
      const store = (await client.seriesImages({ seriesId: pair.currentSeriesId })).store;
      for (const kind of ['comparator', 'difference'] as const) {
        const bytes = new Uint8Array(await (await fetch(`${host.origin}${derivedPath(store, resultId!, kind, 0)}`, { headers: { cookie } })).arrayBuffer());
        const pixels = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' }).elements.x7fe00010!.dataOffset;
        check(Buffer.from(bytes.subarray(0, pixels)).toString('latin1'), `derived ${kind} image`);
      }
    } finally {
      await host.close();
    }
  });
});

describe('blanked headers', () => {
  it('keep the file’s length and pixels, and lose its dates and descriptions', async () => {
    const store = await trialStore();
    open = store;
    const study = store.truth.participants[0]!.studies[1]!;
    const file = join(store.trialFolder, study.series.find((series) => series.region === 'brain')!.folder);
    const original = new Uint8Array(readFileSync(join(file, readdirSync(file)[0]!)));
    const blinded = blindedDicom(original);
    expect(blinded.length).toBe(original.length);
    const before = dicomParser.parseDicom(original);
    const after = dicomParser.parseDicom(blinded);
    expect(after.string('x00080020')).toBe('');
    expect(before.string('x00080020')).toBe(study.studyDate);
    expect(after.string('x0008103e')).toBe('');
    expect(after.string('x00100020')).toBe('');
    // Geometry and pixels as they were.
    expect(after.string('x00200032')).toBe(before.string('x00200032'));
    const pixels = before.elements.x7fe00010!;
    expect(Buffer.compare(blinded.subarray(pixels.dataOffset), original.subarray(pixels.dataOffset))).toBe(0);
  });
});
