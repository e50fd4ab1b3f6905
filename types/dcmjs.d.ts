// dcmjs ships no type declarations; this covers the part the project uses.
declare module 'dcmjs' {
  type NaturalDataset = Record<string, unknown>;
  type DenaturalizedDataset = Record<string, { vr: string; Value: unknown[] }>;

  class DicomDict {
    constructor(meta: DenaturalizedDataset | Record<string, never>);
    meta: DenaturalizedDataset;
    dict: DenaturalizedDataset;
    write(options?: { allowInvalidVRLength?: boolean; fragmentMultiframe?: boolean }): ArrayBuffer;
  }

  const data: {
    DicomDict: typeof DicomDict;
    DicomMessage: { readFile(buffer: ArrayBuffer, options?: Record<string, unknown>): DicomDict };
    DicomMetaDictionary: {
      denaturalizeDataset(dataset: NaturalDataset): DenaturalizedDataset;
      naturalizeDataset(dataset: DenaturalizedDataset): NaturalDataset;
    };
  };

  const dcmjs: { data: typeof data };
  export default dcmjs;
  export { data };
}
