// The reading session's own state, in one place: which read is open, the
// layout and its sync, the series chosen for a visit, the selected lesion,
// the tool in hand and the region details waiting for the next measurement.
// Server data (lesions, counts, signatures, images, alignments) is not here:
// it lives in the query cache (reading-queries.ts). Components read this
// store and call its actions; commands (reading-commands.ts) do the same.
import { create } from 'zustand';
import type { LesionView } from '../../../shared/contract';
import type { Region, VERTEBRAL_LEVELS } from '../../../shared/protocol';
import type { SyncSettings } from './pane-group';

export interface ReadingTarget {
  participantId: number;
  region: Region;
  visitCode: string;
}

export type Tool = 'new' | 'existing' | 'split';

export type CordLevel = (typeof VERTEBRAL_LEVELS)[number];

/** What a measurement records for the region besides its diameter, chosen before the drag. */
export interface RegionDetails {
  levels: { upper: CordLevel; lower: CordLevel } | null;
  side: LesionView['side'];
  opticExtent: { beyondHalfLength: boolean; involvesChiasm: boolean };
}

export const NO_DETAILS: RegionDetails = { levels: null, side: null, opticExtent: { beyondHalfLength: false, involvesChiasm: false } };

export interface ReadingState {
  target: ReadingTarget | null;
  layout: 'two' | 'four';
  sync: SyncSettings;
  /** The series a reader picked for a visit, where the visit has more than one for the region. */
  chosenSeries: Readonly<Record<string, number>>;
  selectedLesionId: number | null;
  tool: Tool | null;
  details: RegionDetails;
  /** The last refusal or failure, said where the reader is looking. */
  notice: string | null;
  /** The window the current visit's file gives: the base of the window presets. */
  fileWindow: { width: number; center: number } | null;

  open(target: ReadingTarget): void;
  toggleLayout(): void;
  toggleSync(key: keyof SyncSettings): void;
  chooseSeries(visitCode: string, seriesId: number): void;
  select(lesionId: number | null): void;
  startTool(tool: Tool): void;
  cancelTool(): void;
  setDetails(details: RegionDetails): void;
  say(notice: string | null): void;
  setFileWindow(window: { width: number; center: number } | null): void;
}

export const useReading = create<ReadingState>()((set, get) => ({
  target: null,
  layout: 'two',
  sync: { slices: true, window: true, zoomPan: true },
  chosenSeries: {},
  selectedLesionId: null,
  tool: null,
  details: NO_DETAILS,
  notice: null,
  fileWindow: null,

  open(target) {
    const previous = get().target;
    const sameRegion = previous?.participantId === target.participantId && previous.region === target.region;
    // Another visit of the same participant and region keeps the selection and the series picks; anything else starts afresh.
    set({
      target,
      tool: null,
      notice: null,
      fileWindow: null,
      ...(sameRegion ? {} : { chosenSeries: {}, selectedLesionId: null, details: NO_DETAILS }),
    });
  },
  toggleLayout: () => set((state) => ({ layout: state.layout === 'two' ? 'four' : 'two' })),
  toggleSync: (key) => set((state) => ({ sync: { ...state.sync, [key]: !state.sync[key] } })),
  chooseSeries: (visitCode, seriesId) => set((state) => ({ chosenSeries: { ...state.chosenSeries, [visitCode]: seriesId } })),
  select: (lesionId) => set({ selectedLesionId: lesionId }),
  startTool: (tool) => set({ tool, notice: null }),
  cancelTool: () => set({ tool: null }),
  setDetails: (details) => set({ details }),
  say: (notice) => set({ notice }),
  setFileWindow: (fileWindow) => set({ fileWindow }),
}));
