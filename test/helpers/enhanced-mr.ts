// Writes a small multi-frame (enhanced) MR file with dcmjs, its frames stored
// out of position order, so tests can check that frames become slices placed
// by their per-frame geometry.
import { writeFileSync } from 'node:fs';
import dcmjs from 'dcmjs';

const { DicomDict, DicomMetaDictionary } = dcmjs.data;

export interface EnhancedMrOptions {
  /** z of each frame in storage order (mm). */
  frameZ: number[];
  rows?: number;
  columns?: number;
  seriesUid?: string;
}

export function writeEnhancedMr(path: string, options: EnhancedMrOptions): void {
  const rows = options.rows ?? 8;
  const columns = options.columns ?? 8;
  const frames = options.frameZ.length;
  const pixels = new Uint16Array(rows * columns * frames);
  options.frameZ.forEach((z, frame) => pixels.fill(100 + Math.round(z), frame * rows * columns, (frame + 1) * rows * columns));
  const sopInstanceUid = '2.25.1234567890123456789012345678901';
  const dataset = {
    _meta: {
      FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
      MediaStorageSOPClassUID: '1.2.840.10008.5.1.4.1.1.4.1',
      MediaStorageSOPInstanceUID: sopInstanceUid,
      TransferSyntaxUID: '1.2.840.10008.1.2.1',
      ImplementationClassUID: '2.25.99',
    },
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.4.1',
    SOPInstanceUID: sopInstanceUid,
    StudyInstanceUID: '2.25.11',
    SeriesInstanceUID: options.seriesUid ?? '2.25.12',
    PatientID: 'ENH-1',
    PatientName: 'SYNTHETIC^ENHANCED',
    StudyDate: '20240101',
    Modality: 'MR',
    SeriesDescription: 'ENHANCED AX T2 FLAIR BRAIN',
    SeriesNumber: '7',
    InstanceNumber: '1',
    ImageType: ['ORIGINAL', 'PRIMARY', 'M', 'NONE'],
    NumberOfFrames: String(frames),
    Rows: rows,
    Columns: columns,
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 0,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    SharedFunctionalGroupsSequence: [
      {
        PlaneOrientationSequence: [{ ImageOrientationPatient: [1, 0, 0, 0, 1, 0] }],
        PixelMeasuresSequence: [{ PixelSpacing: [0.9, 0.9], SliceThickness: 3 }],
      },
    ],
    PerFrameFunctionalGroupsSequence: options.frameZ.map((z) => ({ PlanePositionSequence: [{ ImagePositionPatient: [-3.6, -3.6, z] }] })),
    PixelData: pixels.buffer,
    _vrMap: { PixelData: 'OW' },
  };
  const dict = new DicomDict(dataset._meta ? DicomMetaDictionary.denaturalizeDataset(dataset._meta) : {});
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  writeFileSync(path, Buffer.from(dict.write()));
}
