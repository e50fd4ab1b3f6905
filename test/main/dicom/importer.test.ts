import { createHash } from 'node:crypto';
import { cpSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { ImportCancelled, importFolder, listFiles } from '../../../main/dicom/importer';
import { verifyAudit } from '../../../main/store/audit';
import { listSeries, seriesImages } from '../../../main/store/catalog';
import { openDatabase } from '../../../main/store/database';
import { readInstanceHeader } from '../../../main/dicom/header';
import { writeEnhancedMr } from '../../helpers/enhanced-mr';
import { fixtures, geSeries, malformed, tempFolder, transferSyntaxes } from '../../helpers/fixtures';
import { uidTemplate, withNewUids } from '../../helpers/uid-rewrite';

function freshDb() {
  return openDatabase(join(tempFolder(), 'store.sqlite'));
}

/** A copy of a DICOM file with another Instance Number, written in place (IS, padded to the same length). */
function withInstanceNumber(bytes: Buffer, instanceNumber: number): Buffer {
  const element = dicomParser.parseDicom(new Uint8Array(bytes)).elements.x00200013!;
  const value = String(instanceNumber).padEnd(element.length, ' ');
  if (value.length !== element.length) throw new Error(`Instance Number ${instanceNumber} does not fit in ${element.length} bytes`);
  const copy = Buffer.from(bytes);
  copy.write(value, element.dataOffset, 'latin1');
  return copy;
}

/** Instance numbers that follow neither position nor its reverse: the slice k-th from the bottom gets (7k mod 20) + 1. */
const SHUFFLED = Array.from({ length: 20 }, (_, k) => ((7 * k) % 20) + 1);

describe('importFolder', () => {
  it('stores the GE series with its 20 slices ordered along the slice normal', async () => {
    const db = freshDb();
    const summary = await importFolder(db, geSeries, { actor: 'tester' });
    expect(summary).toMatchObject({ filesSeen: 20, instancesAdded: 20, duplicatesSkipped: 0, seriesTouched: 1, rejected: [], conflicts: [] });
    const [series] = listSeries(db);
    expect(series).toMatchObject({ modality: 'MR', description: 'FSE PD AXIAL OBL', instanceCount: 20, frameCount: 20, rows: 256, columns: 256, isImage: true, reconstructable: { ok: true } });
    expect(seriesImages(db, series!.id)).toHaveLength(20);
    db.close();
  });

  it('orders slices by position, not by instance number or file name, when those disagree', async () => {
    // The GE files run from the bottom slice (brain_001, z = -72.8 mm) to the top (brain_020, z = 59.0 mm).
    // The copies are numbered out of order and named by their new number, so files and numbers agree with each other, not with position.
    const folder = tempFolder();
    for (let k = 0; k < 20; k += 1) {
      const original = readFileSync(join(geSeries, `brain_${String(k + 1).padStart(3, '0')}.dcm`));
      writeFileSync(join(folder, `IM${String(SHUFFLED[k]).padStart(2, '0')}`), withInstanceNumber(original, SHUFFLED[k]!));
    }
    const db = freshDb();
    await importFolder(db, folder, { actor: 'tester' });
    const images = seriesImages(db, listSeries(db)[0]!.id)!;
    expect(images.map((image) => image.instanceNumber)).toEqual(SHUFFLED);
    expect(images[0]!.position).toEqual([-110.5, -78.3063, -72.7575]);
    expect(images[19]!.position).toEqual([-110.5, -96.2063, 59.0425]);
    db.close();
  });

  it('adds nothing when the same folder is imported again', async () => {
    const db = freshDb();
    await importFolder(db, geSeries, { actor: 'tester' });
    const again = await importFolder(db, geSeries, { actor: 'tester' });
    expect(again).toMatchObject({ filesSeen: 20, instancesAdded: 0, duplicatesSkipped: 20, seriesTouched: 0 });
    expect(db.prepare('SELECT count(*) FROM instances').pluck().get()).toBe(20);
    db.close();
  });

  it('imports every valid file of a mixed folder and lists each rejected one with its reason', async () => {
    const db = freshDb();
    const summary = await importFolder(db, malformed, { actor: 'tester' });
    const reasons = Object.fromEntries(summary.rejected.map((file) => [file.path, file.reason]));
    expect(reasons).toEqual({
      'MR_truncated.dcm': 'truncated inside the pixel data (8130 of 8192 bytes present)',
      'UN_sequence.dcm': 'missing Series Instance UID (0020,000E)',
      'gen_not_dicom.dcm': 'not a DICOM file (no DICM marker and no recognisable data set)',
      'gen_preamble_only.dcm': 'the file meta has no transfer syntax and no readable data set follows',
      'gen_rows_mismatch_pixeldata_short.dcm': 'pixel data holds 131072 bytes but rows x columns x frames need 262144',
      'gen_truncated_50pct.dcm': 'truncated: the file ends inside its header',
      'gen_truncated_in_header.dcm': 'truncated: the file ends inside its header',
      'gen_zero_length.dcm': 'empty file',
      'meta_missing_tsyntax.dcm': 'the file meta has no transfer syntax and no readable data set follows',
      'no_meta.dcm': 'not a DICOM file (no DICM marker and no recognisable data set)',
    });
    // IM000001 and two edited copies of it share one SOP Instance UID: the first is kept, the others reported.
    expect(summary.conflicts.map((file) => file.path).sort()).toEqual(['gen_meta_no_transfer_syntax.dcm', 'gen_no_preamble_no_meta_implicit.dcm']);
    expect(summary.instancesAdded).toBe(summary.filesSeen - summary.rejected.length - summary.conflicts.length);
    const stored = db.prepare('SELECT count(*) FROM import_problems WHERE import_ref = ?').pluck().get(summary.importId);
    expect(stored).toBe(12);
    db.close();
  });

  it('detects the duplicate when a slice arrives again from another folder', async () => {
    const db = freshDb();
    const folder = tempFolder();
    cpSync(join(geSeries, 'brain_005.dcm'), join(folder, 'IMG0001'));
    await importFolder(db, geSeries, { actor: 'tester' });
    const summary = await importFolder(db, folder, { actor: 'tester' });
    expect(summary).toMatchObject({ instancesAdded: 0, duplicatesSkipped: 1, conflicts: [] });
    db.close();
  });

  it('reports, and does not store, a file with a known SOP Instance UID but different content', async () => {
    const db = freshDb();
    await importFolder(db, geSeries, { actor: 'tester' });
    const folder = tempFolder();
    const bytes = readFileSync(join(geSeries, 'brain_003.dcm'));
    const at = bytes.indexOf(Buffer.from('FSE PD AXIAL OBL', 'latin1'));
    bytes.write('FSE XX AXIAL OBL', at, 'latin1');
    writeFileSync(join(folder, 'edited.dcm'), bytes);
    const summary = await importFolder(db, folder, { actor: 'tester' });
    expect(summary.instancesAdded).toBe(0);
    expect(summary.conflicts).toHaveLength(1);
    expect(summary.conflicts[0]!.reason).toMatch(/^same SOP Instance UID as a stored instance but different content/);
    db.close();
  });

  it('records DICOMDIR files as media indexes and still finds the files they list', async () => {
    const db = freshDb();
    const summary = await importFolder(db, join(fixtures, 'dicomdir-tree'), { actor: 'tester' });
    expect(summary.skipped.map((file) => file.path)).toContain('DICOMDIR');
    expect(summary.skipped).toHaveLength(8);
    const modalities = new Set(listSeries(db).map((series) => series.modality));
    expect(modalities).toEqual(new Set(['CT', 'CR', 'MR']));
    db.close();
  });

  it('writes each batch with its audit entries and keeps a verifiable chain', async () => {
    const db = freshDb();
    await importFolder(db, geSeries, { actor: 'tester' });
    const actions = db.prepare('SELECT action FROM audit ORDER BY seq').pluck().all();
    expect(actions).toEqual(['store.baseline', 'store.baseline', 'store.baseline', 'import.start', 'import.batch', 'import.finish']);
    expect(verifyAudit(db)).toEqual({ ok: true, entries: 6 });
    db.close();
  });

  it('stores nothing when cancelled before the first batch', async () => {
    const db = freshDb();
    await expect(importFolder(db, geSeries, { actor: 'tester', signal: AbortSignal.abort() })).rejects.toThrow(/cancelled after 0 of 20 files/);
    expect(db.prepare('SELECT count(*) FROM instances').pluck().get()).toBe(0);
    db.close();
  });

  it('keeps the batches committed before a cancel and stops at the next', async () => {
    // 600 distinct small instances: one batch of 500 is committed, then the import is cancelled.
    const folder = tempFolder();
    const template = uidTemplate(join(transferSyntaxes, 'MR_small_explicit_little.dcm'));
    for (let index = 1; index <= 600; index += 1) writeFileSync(join(folder, `IM${String(index).padStart(4, '0')}`), withNewUids(template, index, 1));
    const db = freshDb();
    const controller = new AbortController();
    const cancelled = importFolder(db, folder, { actor: 'tester', signal: controller.signal, onProgress: () => controller.abort() });
    await expect(cancelled).rejects.toThrow(ImportCancelled);
    await expect(cancelled).rejects.toThrow('Import cancelled after 500 of 600 files; those are kept.');
    expect(db.prepare('SELECT count(*) FROM instances').pluck().get()).toBe(500);
    expect(db.prepare('SELECT files_seen, instances_added, finished_at FROM imports').get()).toEqual({ files_seen: 500, instances_added: 500, finished_at: null });
    expect(db.prepare('SELECT action FROM audit ORDER BY seq').pluck().all()).toEqual(['store.baseline', 'store.baseline', 'store.baseline', 'import.start', 'import.batch']);
    expect(verifyAudit(db)).toEqual({ ok: true, entries: 5 });
    db.close();
  });

  it('reports progress as files done out of the total', async () => {
    const db = freshDb();
    const seen: number[] = [];
    await importFolder(db, geSeries, { actor: 'tester', onProgress: (progress) => seen.push(progress.filesDone / progress.filesTotal) });
    expect(seen.at(-1)).toBe(1);
    db.close();
  });
});

describe('listFiles', () => {
  it('walks nested folders in a stable order and does not follow symbolic links', () => {
    const folder = tempFolder();
    cpSync(geSeries, join(folder, 'a', 'b'), { recursive: true });
    symlinkSync(geSeries, join(folder, 'link'));
    const listing = listFiles(folder);
    expect(listing.files).toHaveLength(20);
    expect(listing.files[0]).toMatch(/a\/b\/brain_001\.dcm$/);
    expect(listing.problems).toEqual([{ path: 'link', reason: 'symbolic link, not followed' }]);
  });
});

describe('multi-frame (enhanced) MR', () => {
  it('turns frames into slices ordered by their per-frame positions', async () => {
    const folder = tempFolder();
    writeEnhancedMr(join(folder, 'enhanced.dcm'), { frameZ: [6, 0, 3, 9] });
    const header = readInstanceHeader(join(folder, 'enhanced.dcm'));
    expect(header).toMatchObject({ kind: 'instance', header: { frames: 4, imageOrientation: [1, 0, 0, 0, 1, 0], pixelSpacing: [0.9, 0.9], sliceThickness: 3 } });
    if (header.kind === 'instance') expect(header.header.framePositions!.map((position) => position[2])).toEqual([6, 0, 3, 9]);
    const db = freshDb();
    await importFolder(db, folder, { actor: 'tester' });
    const [series] = listSeries(db);
    expect(series).toMatchObject({ instanceCount: 1, frameCount: 4, orientation: 'axial', spacing: 3, warnings: [], reconstructable: { ok: true } });
    expect(seriesImages(db, series!.id)!.map((image) => image.frame)).toEqual([2, 3, 1, 4]);
    db.close();
  });

  it('warns about a gap between frames', async () => {
    const folder = tempFolder();
    writeEnhancedMr(join(folder, 'enhanced.dcm'), { frameZ: [0, 3, 6, 15] });
    const db = freshDb();
    await importFolder(db, folder, { actor: 'tester' });
    expect(listSeries(db)[0]).toMatchObject({
      warnings: ['gap of 9.0 mm between slices 3 and 4 (spacing 3.0 mm)'],
      reconstructable: { ok: false, reason: 'the slices are not evenly spaced: 9 mm between slices 3 and 4 where the others are 3 mm apart (2 slices are missing)' },
    });
    db.close();
  });
});

describe('DICOMDIR media', () => {
  it('says how many files the DICOMDIR lists and reports listed files missing from the media', async () => {
    const media = tempFolder();
    cpSync(join(fixtures, 'dicomdir-tree', 'TINY_ALPHA'), media, { recursive: true });
    rmSync(join(media, 'PT000000', 'ST000000', 'SE000000', 'IM000003'));
    const db = freshDb();
    const summary = await importFolder(db, media, { actor: 'tester' });
    expect(summary.skipped).toEqual([{ path: 'DICOMDIR', reason: 'DICOMDIR (an index of the media listing 50 file(s); the files themselves are imported)' }]);
    expect(summary.rejected).toEqual([
      { path: 'PT000000/ST000000/SE000000/IM000003', reason: 'listed in the DICOMDIR but not on the media' },
      { path: 'README', reason: 'not a DICOM file (no DICM marker and no recognisable data set)' },
    ]);
    expect(summary.instancesAdded).toBe(49);
    db.close();
  });

  it('finds listed files whatever the case of their names on disk, and files the DICOMDIR does not list', async () => {
    const media = tempFolder();
    cpSync(join(fixtures, 'dicomdir-tree', 'TINY_ALPHA'), media, { recursive: true });
    renameSync(join(media, 'PT000000'), join(media, 'pt000000'));
    cpSync(join(geSeries, 'brain_002.dcm'), join(media, 'EXTRA'));
    const db = freshDb();
    const summary = await importFolder(db, media, { actor: 'tester' });
    expect(summary.rejected.map((file) => file.path)).toEqual(['README']);
    expect(summary.instancesAdded).toBe(51);
    db.close();
  });
});

describe('source media', () => {
  it('are never modified by an import: same bytes and modification times after', async () => {
    const media = tempFolder();
    cpSync(fixtures, media, { recursive: true });
    const snapshot = () => listFiles(media).files.map((file) => [file, statSync(file).mtimeMs, createHash('sha256').update(readFileSync(file)).digest('hex')]);
    const before = snapshot();
    const db = freshDb();
    await importFolder(db, media, { actor: 'tester' });
    db.close();
    expect(snapshot()).toEqual(before);
  });
});
