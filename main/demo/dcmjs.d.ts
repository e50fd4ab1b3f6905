// The part of dcmjs (0.51) the synthetic-trial writer uses. dcmjs ships no
// type declarations; this states only what main/demo relies on.
declare module 'dcmjs' {
  interface DictionaryEntry {
    tag: string;
    vr: string;
    vm: string;
    name: string;
  }

  interface DicomDictInstance {
    meta: Record<string, unknown>;
    dict: Record<string, unknown>;
    write(options?: { allowInvalidVRLength?: boolean }): ArrayBuffer;
  }

  const dcmjs: {
    data: {
      DicomDict: new (meta: Record<string, unknown>) => DicomDictInstance;
      DicomMetaDictionary: {
        /** Natural (keyword) dataset -> tag-keyed dataset, as DicomDict.dict wants it. */
        denaturalizeDataset(dataset: Record<string, unknown>): Record<string, unknown>;
        nameMap: Record<string, DictionaryEntry>;
      };
    };
  };
  export default dcmjs;
}
