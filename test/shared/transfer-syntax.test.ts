import { describe, expect, it } from 'vitest';
import { TransferSyntax, guessRawTransferSyntax, isEncapsulated, transferSyntaxName } from '../../shared/transfer-syntax';

const bytes = (...values: number[]) => new Uint8Array([...values, 0, 0, 0, 0, 0, 0, 0, 0]);
const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

describe('transfer syntaxes', () => {
  it('names the syntaxes a reader meets and passes unknown UIDs through', () => {
    expect(transferSyntaxName(TransferSyntax.ExplicitBig)).toBe('Explicit VR Big Endian');
    expect(transferSyntaxName('1.2.840.10008.1.2.4.90')).toBe('JPEG 2000 Lossless');
    expect(transferSyntaxName('1.2.3')).toBe('1.2.3');
  });

  it('knows which syntaxes carry compressed fragments', () => {
    expect(isEncapsulated(TransferSyntax.ImplicitLittle)).toBe(false);
    expect(isEncapsulated(TransferSyntax.DeflatedExplicitLittle)).toBe(false);
    expect(isEncapsulated('1.2.840.10008.1.2.5')).toBe(true);
  });

  it('recognises raw data sets by their first tag and VR', () => {
    expect(guessRawTransferSyntax(bytes(0x08, 0x00, 0x05, 0x00, ...ascii('CS')))).toBe(TransferSyntax.ExplicitLittle);
    expect(guessRawTransferSyntax(bytes(0x08, 0x00, 0x05, 0x00, 0x0a, 0x00))).toBe(TransferSyntax.ImplicitLittle);
    expect(guessRawTransferSyntax(bytes(0x00, 0x08, 0x00, 0x05, ...ascii('CS')))).toBe(TransferSyntax.ExplicitBig);
  });

  it('says "not DICOM" for text, implausible groups and short input', () => {
    expect(guessRawTransferSyntax(new Uint8Array(ascii('hello, world')))).toBeNull();
    expect(guessRawTransferSyntax(bytes(0x10, 0x7f, 0, 0, 0, 0))).toBeNull();
    expect(guessRawTransferSyntax(bytes(0x00, 0x08, 0x00, 0x05, 0x0a, 0x00))).toBeNull();
    expect(guessRawTransferSyntax(new Uint8Array([8, 0, 5]))).toBeNull();
  });
});
