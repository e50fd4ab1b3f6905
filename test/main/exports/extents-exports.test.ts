// Cord and optic extents measured on the image, in the exports: on a real
// store holding the synthetic participant, one cord lesion measured from its
// clicked ends with the series' vertebral ruler, the same lesion's levels
// typed over the measurement at a later visit with a reason, and an optic
// lesion measured along its nerve's trace. SDTM TR carries each value, SUPPTR
// where it came from (and the reason, the measured value, the clicked ends);
// the DICOM SR carries the same in each lesion's measurement group, and
// dciodvfy finds no error in it.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import dcmjs from 'dcmjs';
import { describe, expect, it } from 'vitest';
import type { Client } from '../../../shared/client';
import type { ObservationInput } from '../../../shared/contract';
import type { LesionTruth, TrialTruth } from '../../../shared/synthetic/truth';
import { tempFolder } from '../../helpers/fixtures';
import { requireTool } from '../../helpers/tools';
import { trialStore } from '../../helpers/trial-store';

type Vec3 = [number, number, number];
type Row = Record<string, string>;
interface SrItem {
  ValueType?: string;
  ConceptNameCodeSequence?: { CodeValue: string }[];
  TextValue?: string;
  MeasuredValueSequence?: { NumericValue: number | string; MeasurementUnitsCodeSequence: { CodeValue: string }[] }[];
  ContentSequence?: SrItem[];
}

const REASON = 'the lesion continues on the next slice';

async function seriesOf(client: Client, seriesInstanceUid: string) {
  const series = (await client.listSeries({})).find((item) => item.seriesUid === seriesInstanceUid)!;
  const instanceId = (await client.seriesImages({ seriesId: series.id })).images[0]!.instanceId;
  return { seriesId: series.id, image: { seriesId: series.id, instanceId, frame: 1 } };
}

const studyOf = (truth: TrialTruth, visit: string) => truth.participants[0]!.studies.find((study) => study.visit === visit)!;
const presentAt = (lesion: LesionTruth) => lesion.visits.filter((visit) => visit.present);

/** The store with the three extents recorded, and what truth says of them. */
async function recordedExtents() {
  const { ws, client, participantId, truth } = await trialStore();
  // A cord lesion seen at two visits: measured at the first, typed over the measurement at the second.
  const cord = truth.participants[0]!.lesions.find((lesion) => lesion.region === 'spinal_cord' && presentAt(lesion).length >= 2)!;
  const [first, second] = presentAt(cord) as [LesionTruth['visits'][number], LesionTruth['visits'][number]];
  const cordObservation = async (visit: typeof first): Promise<ObservationInput> => {
    const { seriesId, image } = await seriesOf(client, visit.location.seriesInstanceUid);
    const anchors = studyOf(truth, visit.visit).landmarks.vertebralBodies.map((body) => ({ level: body.level as 'C1', point: body.patientMm as Vec3 }));
    await client.saveVertebralRuler({ seriesId, anchors });
    return { visitCode: visit.visit, finding: { kind: 'measured', longestDiameterMm: visit.longestDiameterMm }, image, ends: visit.endsMm as [Vec3, Vec3] };
  };
  const { lesion: s1 } = await client.createLesion({ participantId, region: 'spinal_cord', observation: await cordObservation(first) });
  const typed = { upper: 'C1' as const, lower: 'T12' as const };
  await client.recordObservation({ lesionId: s1.id, ...(await cordObservation(second)), levels: typed, extentReason: REASON });

  const optic = truth.participants[0]!.lesions.find((lesion) => lesion.region === 'optic_nerve')!;
  const opticVisit = presentAt(optic)[0]!;
  const side = opticVisit.optic!.side;
  const { seriesId, image } = await seriesOf(client, opticVisit.location.seriesInstanceUid);
  const nerve = studyOf(truth, opticVisit.visit).landmarks.opticNerves[side];
  await client.saveNerveTrace({ participantId, visitCode: opticVisit.visit, side, seriesId, points: [nerve.globe, nerve.apex, nerve.chiasm] as Vec3[] });
  await client.createLesion({ participantId, region: 'optic_nerve', side, observation: { visitCode: opticVisit.visit, finding: { kind: 'measured', longestDiameterMm: opticVisit.longestDiameterMm }, image, ends: opticVisit.endsMm as [Vec3, Vec3] } });

  const lesions = await client.listLesions({ participantId });
  const stored = (region: string, visitCode: string) => lesions.find((lesion) => lesion.region === region)!.observations.find((observation) => observation.visitCode === visitCode)!;
  return { ws, client, cord: { first, second, typed, measured: stored('spinal_cord', first.visit), overridden: stored('spinal_cord', second.visit) }, optic: { visit: opticVisit, stored: stored('optic_nerve', opticVisit.visit) } };
}

const rowsOf = (text: string) => parse(text, { columns: true }) as Row[];
const numberOf = (value: string | undefined) => Number(value);
/** Clicked ends as the exports write them ("x, y, z; x, y, z"), as six numbers. */
const pointsOf = (text: string) => text.split('; ').flatMap((end) => end.split(', ').map(Number));

describe('cord and optic extents in the exports', () => {
  it('SDTM TR gives each recorded value and SUPPTR where it came from: measured on the image, or the reader\'s override with its reason', async () => {
    const { ws, client, cord, optic } = await recordedExtents();
    const files = (await client.exportFiles({ format: 'sdtm', reads: 'preliminary' })).files;
    const text = (name: string) => files.find((file) => file.name === `PRELIMINARY-${name}`)!.content;
    const tr = rowsOf(text('tr.csv'));
    const supptr = rowsOf(text('supptr.csv'));
    expect(text('supptr.csv').split('\r\n')[0]).toBe('STUDYID,RDOMAIN,USUBJID,IDVAR,IDVARVAL,QNAM,QLABEL,QVAL,QORIG,QEVAL');
    const visitNumberOf = (visit: string) => String(['W0', 'W12', 'W24', 'W52'].indexOf(visit) + 1);
    const result = (visit: string, code: string) => tr.find((row) => row.TRTESTCD === code && row.VISITNUM === visitNumberOf(visit))!;
    const qualifiers = (row: Row) => Object.fromEntries(supptr.filter((item) => item.IDVARVAL === row.TRSEQ && item.USUBJID === row.USUBJID).map((item) => [item.QNAM, item.QVAL]));

    // Measured: the levels, segments, LETM flag and the length along the cord between the clicked ends.
    const levels = result(cord.first.visit, 'VERTLEVS');
    expect(levels.TRORRES).toBe(`${cord.first.cord!.upperLevel}-${cord.first.cord!.lowerLevel}`);
    expect(qualifiers(levels)).toEqual({ TRSRC: 'MEASURED ON IMAGE' });
    expect(numberOf(result(cord.first.visit, 'VERTSEG').TRSTRESN)).toBe(cord.first.cord!.segments);
    expect(result(cord.first.visit, 'LETM').TRORRES).toBe(cord.first.cord!.longitudinallyExtensive ? 'Y' : 'N');
    const length = result(cord.first.visit, 'LENGTH');
    expect([numberOf(length.TRSTRESN), length.TRSTRESU]).toEqual([cord.measured.extent!.lengthMm, 'mm']);
    expect(Math.abs(numberOf(length.TRSTRESN) - cord.first.longestDiameterMm)).toBeLessThan(0.01 * cord.first.longestDiameterMm + 0.1);
    expect(pointsOf(qualifiers(length).TRENDS!)).toEqual(cord.first.endsMm!.flat().map((value) => expect.closeTo(value, 1)));

    // Typed over the measurement: the reader's levels, with the reason and what the image measured.
    const typed = result(cord.second.visit, 'VERTLEVS');
    expect(typed.TRORRES).toBe('C1-T12');
    expect(qualifiers(typed)).toEqual({ TRSRC: 'READER OVERRIDE OF MEASURED VALUE', TROVRSN: REASON, TRMEASV: `${cord.second.cord!.upperLevel}-${cord.second.cord!.lowerLevel}` });
    expect([result(cord.second.visit, 'VERTSEG').TRSTRESN, result(cord.second.visit, 'LETM').TRORRES]).toEqual(['19', 'Y']);
    expect(qualifiers(result(cord.second.visit, 'LENGTH')).TRSRC).toBe('MEASURED ON IMAGE');

    // Optic: the flags and the fraction of the nerve along its trace.
    expect(result(optic.visit.visit, 'GTHALFNL').TRORRES).toBe(optic.visit.optic!.moreThanHalfLength ? 'Y' : 'N');
    expect(result(optic.visit.visit, 'CHIASM').TRORRES).toBe(optic.visit.optic!.involvesChiasm ? 'Y' : 'N');
    const fraction = result(optic.visit.visit, 'NERVFRAC');
    expect(Math.abs(numberOf(fraction.TRSTRESN) - optic.visit.optic!.fractionOfNerve)).toBeLessThan(0.005);
    expect(qualifiers(fraction).TRSRC).toBe('MEASURED ON IMAGE');
    expect(optic.stored.extent!.fractionOfNerve).toBe(numberOf(fraction.TRSTRESN));
    // The new records are described.
    expect(text('define.csv')).toMatch(/VERTLEVS, VERTSEG, LETM, LENGTH/);
    ws.close();
  });

  it('the DICOM SR gives each value in the lesion\'s measurement group with its source, and dciodvfy finds no error in it', async () => {
    const { ws, client, cord, optic } = await recordedExtents();
    const files = (await client.exportFiles({ format: 'dicom-sr', reads: 'preliminary' })).files;
    const folder = tempFolder();
    const srOf = (visit: string, region: string) => {
      const file = files.find((item) => item.name.endsWith(`_${visit}_${region}.dcm`))!;
      const bytes = Buffer.from(file.content, 'base64');
      const path = join(folder, `${visit}-${region}.dcm`);
      writeFileSync(path, bytes);
      const dataset = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).dict) as SrItem;
      return { path, group: dataset.ContentSequence!.find((item) => item.ConceptNameCodeSequence?.[0]?.CodeValue === '126010')!.ContentSequence![0]! };
    };
    const item = (group: SrItem, code: string) => group.ContentSequence!.find((child) => child.ConceptNameCodeSequence?.[0]?.CodeValue === code)!;
    const properties = (result: SrItem) => Object.fromEntries(result.ContentSequence!.map((child) => [child.ConceptNameCodeSequence![0]!.CodeValue, child.TextValue]));
    const dciodvfy = requireTool('dciodvfy', 'dicom3tools');

    const measured = srOf(cord.first.visit, 'spinal_cord');
    expect(item(measured.group, 'VERTLEVS').TextValue).toBe(`${cord.first.cord!.upperLevel}-${cord.first.cord!.lowerLevel}`);
    expect(properties(item(measured.group, 'VERTLEVS'))).toEqual({ EXTSRC: 'MEASURED ON IMAGE' });
    const length = item(measured.group, 'LENGTH');
    expect(length.ValueType).toBe('NUM');
    expect(Number(length.MeasuredValueSequence![0]!.NumericValue)).toBeCloseTo(cord.measured.extent!.lengthMm!, 2);
    expect(length.MeasuredValueSequence![0]!.MeasurementUnitsCodeSequence[0]!.CodeValue).toBe('mm');
    expect(pointsOf(properties(length).EXTENDS!)).toEqual(cord.measured.extent!.ends!.flat().map((value) => expect.closeTo(value, 1)));

    const overridden = srOf(cord.second.visit, 'spinal_cord');
    expect(item(overridden.group, 'VERTLEVS').TextValue).toBe('C1-T12');
    expect(properties(item(overridden.group, 'VERTLEVS'))).toEqual({ EXTSRC: 'READER OVERRIDE OF MEASURED VALUE', EXTRSN: REASON, EXTMEAS: `${cord.second.cord!.upperLevel}-${cord.second.cord!.lowerLevel}` });
    expect(item(overridden.group, 'LETM').TextValue).toBe('Y');

    const opticSr = srOf(optic.visit.visit, 'optic_nerve');
    expect(item(opticSr.group, 'CHIASM').TextValue).toBe(optic.visit.optic!.involvesChiasm ? 'Y' : 'N');
    const fraction = item(opticSr.group, 'NERVFRAC');
    expect(Math.abs(Number(fraction.MeasuredValueSequence![0]!.NumericValue) - optic.visit.optic!.fractionOfNerve)).toBeLessThan(0.005);

    for (const { path } of [measured, overridden, opticSr]) {
      const run = spawnSync(dciodvfy, [path], { encoding: 'utf8' });
      expect(`${run.stdout}${run.stderr}`.split('\n').filter((line) => /^Error/.test(line)), path).toEqual([]);
    }
    ws.close();
  });
});
