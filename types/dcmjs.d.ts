// dcmjs (0.51) ships no type declarations; this states only the part the
// project uses: writing and reading Part 10 files, and the SR content items
// and TID 1500 templates the DICOM SR export builds its tree from.
declare module 'dcmjs' {
  type NaturalDataset = Record<string, unknown>;
  type DenaturalizedDataset = Record<string, { vr: string; Value: unknown[] }>;

  interface DictionaryEntry {
    tag: string;
    vr: string;
    vm: string;
    name: string;
  }

  class DicomDict {
    constructor(meta: DenaturalizedDataset | Record<string, unknown>);
    meta: DenaturalizedDataset;
    dict: Record<string, unknown>;
    write(options?: { allowInvalidVRLength?: boolean; fragmentMultiframe?: boolean }): ArrayBuffer;
  }

  class WriteBufferStream {
    constructor(defaultSize: number, littleEndian: boolean);
    size: number;
    writeUint8Repeat(value: number, count: number): void;
    writeAsciiString(text: string): void;
    concat(stream: WriteBufferStream): void;
    getBuffer(): ArrayBuffer;
  }

  const data: {
    DicomDict: typeof DicomDict;
    WriteBufferStream: typeof WriteBufferStream;
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: Record<string, unknown>): DicomDict;
      write(dataset: Record<string, unknown>, stream: WriteBufferStream, transferSyntax: string, options: Record<string, unknown>): number;
      writeTagObject(stream: WriteBufferStream, tag: string, vr: string, value: unknown, transferSyntax: string, options: Record<string, unknown>): void;
    };
    DicomMetaDictionary: {
      /** Natural (keyword) dataset -> tag-keyed dataset, as DicomDict.dict wants it. */
      denaturalizeDataset(dataset: NaturalDataset): DenaturalizedDataset;
      naturalizeDataset(dataset: Record<string, unknown>): NaturalDataset;
      nameMap: Record<string, DictionaryEntry>;
    };
  };

  /** A coded concept (Code Value, Coding Scheme Designator, Code Meaning). */
  class CodedConcept {
    constructor(options: { value: string; meaning: string; schemeDesignator: string });
  }
  /** One SR content item: a dataset with ValueType, ConceptNameCodeSequence and, for some, a ContentSequence. */
  type ContentItem = NaturalDataset & { ContentSequence?: ContentItem[] };
  /** A template: the content items it makes, in order. */
  type Template = ContentItem[];
  type ItemOptions = { name: CodedConcept; relationshipType?: string };
  type Options = Record<string, unknown>;

  const sr: {
    coding: { CodedConcept: typeof CodedConcept };
    valueTypes: {
      RelationshipTypes: Record<'CONTAINS' | 'HAS_CONCEPT_MOD' | 'HAS_OBS_CONTEXT' | 'HAS_PROPERTIES' | 'INFERRED_FROM' | 'SELECTED_FROM', string>;
      GraphicTypes: Record<'POINT' | 'POLYLINE', string>;
      TextContentItem: new (options: ItemOptions & { value: string }) => ContentItem;
      CodeContentItem: new (options: ItemOptions & { value: CodedConcept }) => ContentItem;
      NumContentItem: new (options: ItemOptions & { value: number; unit: CodedConcept }) => ContentItem;
      ScoordContentItem: new (options: ItemOptions & { graphicType: string; graphicData: number[] }) => ContentItem;
      ContainerContentItem: new (options: ItemOptions) => ContentItem;
      ImageContentItem: new (options: ItemOptions & { referencedSOPClassUID: string; referencedSOPInstanceUID: string; referencedFrameNumbers?: number[] }) => ContentItem;
    };
    contentItems: {
      FindingSite: new (options: { anatomicLocation: CodedConcept; laterality?: CodedConcept }) => ContentItem;
    };
    templates: {
      TrackingIdentifier: new (options: { uid: string; identifier?: string }) => Template;
      TimePointContext: new (options: { timePoint: string }) => Template;
      PersonObserverIdentifyingAttributes: new (options: { name: string }) => Template;
      ObserverContext: new (options: { observerType: CodedConcept; observerIdentifyingAttributes: Template }) => Template;
      ObservationContext: new (options: { observerPersonContext: Template }) => Template;
      LanguageOfContentItemAndDescendants: new (options: Options) => Template;
      MeasurementReport: new (options: { languageOfContentItemAndDescendants: Template; observationContext: Template; procedureReported: CodedConcept; imagingMeasurements?: ContentItem[] }) => Template;
    };
    documents: {
      Comprehensive3DSR: new (options: Options) => NaturalDataset;
    };
  };

  const dcmjs: { data: typeof data; sr: typeof sr };
  export default dcmjs;
  export { data, type ContentItem };
}
