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

  interface WriteBufferStreamInstance {
    size: number;
    writeUint8Repeat(value: number, count: number): void;
    writeAsciiString(text: string): void;
    concat(stream: WriteBufferStreamInstance): void;
    getBuffer(): ArrayBuffer;
  }

  const dcmjs: {
    data: {
      WriteBufferStream: new (defaultSize: number, littleEndian: boolean) => WriteBufferStreamInstance;
      DicomMessage: {
        write(dataset: Record<string, unknown>, stream: WriteBufferStreamInstance, transferSyntax: string, options: Record<string, unknown>): number;
        writeTagObject(stream: WriteBufferStreamInstance, tag: string, vr: string, value: unknown, transferSyntax: string, options: Record<string, unknown>): void;
      };
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
