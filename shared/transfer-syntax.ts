// Transfer syntaxes the workstation reads, and how to recognise the encoding
// of a data set that arrives without a file meta header.
export const TransferSyntax = {
  ImplicitLittle: '1.2.840.10008.1.2',
  ExplicitLittle: '1.2.840.10008.1.2.1',
  DeflatedExplicitLittle: '1.2.840.10008.1.2.1.99',
  ExplicitBig: '1.2.840.10008.1.2.2',
} as const;

const NAMES: Readonly<Record<string, string>> = {
  [TransferSyntax.ImplicitLittle]: 'Implicit VR Little Endian',
  [TransferSyntax.ExplicitLittle]: 'Explicit VR Little Endian',
  [TransferSyntax.DeflatedExplicitLittle]: 'Deflated Explicit VR Little Endian',
  [TransferSyntax.ExplicitBig]: 'Explicit VR Big Endian',
  '1.2.840.10008.1.2.4.50': 'JPEG Baseline',
  '1.2.840.10008.1.2.4.51': 'JPEG Extended',
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless SV1',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-Lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 Lossless',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '1.2.840.10008.1.2.4.201': 'HTJ2K Lossless',
  '1.2.840.10008.1.2.4.202': 'HTJ2K Lossless RPCL',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
  '1.2.840.10008.1.2.5': 'RLE Lossless',
};

export function transferSyntaxName(uid: string): string {
  return NAMES[uid] ?? uid;
}

const NATIVE = new Set<string>([
  TransferSyntax.ImplicitLittle,
  TransferSyntax.ExplicitLittle,
  TransferSyntax.DeflatedExplicitLittle,
  TransferSyntax.ExplicitBig,
]);

/** True when pixel data is stored as compressed fragments rather than raw values. */
export function isEncapsulated(uid: string): boolean {
  return !NATIVE.has(uid);
}

const VALUE_REPRESENTATIONS = new Set(
  'AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '),
);

/**
 * A data set without a file meta header (old media, raw exports) starts with
 * its lowest tag, usually in group 0008. The byte order of that group number
 * and whether a VR follows the tag tell the encoding; null means "not DICOM".
 */
export function guessRawTransferSyntax(bytes: Uint8Array): string | null {
  if (bytes.length < 8) return null;
  const littleGroup = bytes[0]! | (bytes[1]! << 8);
  const bigGroup = (bytes[0]! << 8) | bytes[1]!;
  const vr = String.fromCharCode(bytes[4]!, bytes[5]!);
  const hasVr = VALUE_REPRESENTATIONS.has(vr);
  if (isPlausibleFirstGroup(littleGroup)) return hasVr ? TransferSyntax.ExplicitLittle : TransferSyntax.ImplicitLittle;
  if (isPlausibleFirstGroup(bigGroup) && hasVr) return TransferSyntax.ExplicitBig;
  return null;
}

function isPlausibleFirstGroup(group: number): boolean {
  return group >= 0x0001 && group <= 0x0010;
}
