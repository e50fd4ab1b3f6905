// The reading session's own state, in one place: which read is open, the
// layout and its sync, the series chosen for a visit, the selected lesion,
// the tool in hand and a cord or optic measurement waiting for its details,
// and how the derived images are shown (the aligned comparator, the
// subtraction overlay, the linked cursor, the candidate gone to).
// Server data (lesions, counts, signatures, images, alignments) is not here:
// it lives in the query cache (reading-queries.ts). Components read this
// store and call its actions; commands (reading-commands.ts) do the same.
import { create } from 'zustand';
import type { Region, VertebralLevel } from '../../../shared/protocol';
import type { RegionDetails } from '../../../shared/region-details';
import type { Vec3 } from '../../../shared/vector';
import type { CheckTool } from '../viewer/stack-session';
import type { Measurement } from './PaneMarks';
import type { SyncSettings } from './pane-group';
import { nextOpacity, type SubtractionWindowId } from './assisted';

export interface ReadingTarget {
  participantId: number;
  region: Region;
  visitCode: string;
}

export type Tool = 'new' | 'existing' | 'split';

/**
 * Clicks on the current pane that measure an extent, gathered until saved:
 * the vertebral ruler (each click the centre of the body labelled
 * `nextLevel`, which then moves one level down), an optic nerve's trace
 * (globe to chiasm), or a lesion's two ends (the selected lesion at this
 * visit, or a new one).
 */
export type ExtentDraft =
  | { kind: 'ruler'; nextLevel: VertebralLevel; anchors: { level: VertebralLevel; point: [number, number, number] }[] }
  | { kind: 'trace'; side: 'left' | 'right'; points: [number, number, number][] }
  | { kind: 'ends'; lesionId: number | null; ends: [number, number, number][] };


/** A spinal cord or optic nerve measurement drawn and waiting for its region details before it is saved. */
export interface PendingMeasurement {
  measurement: Measurement;
  /** The series the diameter was drawn on. */
  seriesId: number;
  tool: Tool;
  /** The lesion measured again, or split from. */
  lesionId: number | null;
  details: RegionDetails;
}

/** Where the reader was in a read: a patient point on the leading pane's slice, and how far through its stack that slice is. */
export interface AnatomicalPosition {
  participantId: number;
  region: Region;
  visitCode: string;
  point: [number, number, number];
  fraction: number;
}

export const CINE_RATES = [2, 5, 10, 15, 20] as const;

export interface ReadingState {
  target: ReadingTarget | null;
  layout: 'two' | 'four';
  /** The reader's wish to see the series read in three planes beside its comparator's (the MPR layout); shown where the series is a volume. */
  mpr: boolean;
  sync: SyncSettings;
  /** The series a reader picked for a visit, where the visit has more than one for the region. */
  chosenSeries: Readonly<Record<string, number>>;
  selectedLesionId: number | null;
  tool: Tool | null;
  /** A tool for the reader's own checks (length, ellipse, probe): not a lesion, never counted. */
  checkTool: CheckTool | null;
  pending: PendingMeasurement | null;
  extentDraft: ExtentDraft | null;
  /** The last refusal or failure, said where the reader is looking. */
  notice: string | null;
  /** What the last change recorded, said back at once. */
  confirmation: string | null;
  /** The window the current visit's file gives: the base of the window presets. */
  fileWindow: { width: number; center: number } | null;
  /** Where the reader is now, kept as they scroll. */
  position: AnatomicalPosition | null;
  /** Where the open read starts: the position kept from the read before it, or null for its first lesion (or the middle of the stack). */
  startFrom: AnatomicalPosition | null;
  cine: { playing: boolean; framesPerSecond: number };
  /** The pane that fills the layout (a visit's, or a view of the MPR layout: MprLayout.tsx maximisedView), or null for all panes. */
  maximised: string | null;
  marksHidden: boolean;
  /** The reader's wish to see the comparator resampled into the current grid; shown once the pair's subtraction is ready. */
  aligned: boolean;
  /** The subtraction's colour overlay on the current pane. */
  subtraction: { shown: boolean; window: SubtractionWindowId; opacity: number };
  /** The linked cursor: on or off, and the point under the pointer in the current visit's patient coordinates. */
  crosshair: { on: boolean; point: Vec3 | null };
  /** The candidate the reader went to last: the one the confirm and dismiss keys act on. */
  selectedCandidateId: string | null;

  /** Opens a read; `keepPosition` when the reader moves on from a read (another visit, region or participant) rather than picking it from the worklist. */
  open(target: ReadingTarget, options?: { keepPosition?: boolean }): void;
  setLayout(layout: 'two' | 'four'): void;
  toggleMpr(): void;
  toggleSync(key: keyof SyncSettings): void;
  chooseSeries(visitCode: string, seriesId: number): void;
  select(lesionId: number | null): void;
  startTool(tool: Tool): void;
  cancelTool(): void;
  takeCheckTool(tool: CheckTool): void;
  hold(pending: PendingMeasurement): void;
  setExtentDraft(draft: ExtentDraft | null): void;
  setPendingDetails(details: RegionDetails): void;
  dropPending(): void;
  say(notice: string | null): void;
  confirm(confirmation: string): void;
  setFileWindow(window: { width: number; center: number } | null): void;
  setPosition(position: AnatomicalPosition): void;
  toggleCine(): void;
  setCineRate(framesPerSecond: number): void;
  toggleMaximised(visitCode: string): void;
  toggleMarks(): void;
  toggleAligned(): void;
  toggleSubtraction(): void;
  setSubtractionWindow(window: SubtractionWindowId): void;
  /** The overlay's opacity: one given, or else the next step up (round to the faintest). */
  setSubtractionOpacity(opacity?: number): void;
  toggleCrosshair(): void;
  setCrosshairPoint(point: Vec3 | null): void;
  selectCandidate(candidateId: string | null): void;
  /** Esc: puts down what is in hand, the innermost first (a lesion tool, a measurement waiting for its details, a check tool, then a maximised pane); false when nothing was. */
  cancel(): boolean;
}

export const useReading = create<ReadingState>()((set, get) => ({
  target: null,
  layout: 'two',
  mpr: false,
  sync: { slices: true, window: true, zoomPan: true },
  chosenSeries: {},
  selectedLesionId: null,
  tool: null,
  checkTool: null,
  extentDraft: null,
  pending: null,
  notice: null,
  confirmation: null,
  fileWindow: null,
  position: null,
  startFrom: null,
  cine: { playing: false, framesPerSecond: 10 },
  maximised: null,
  marksHidden: false,
  aligned: true,
  subtraction: { shown: false, window: 'standard', opacity: 0.75 },
  crosshair: { on: false, point: null },
  selectedCandidateId: null,

  open(target, options = {}) {
    const previous = get().target;
    const sameRegion = previous?.participantId === target.participantId && previous.region === target.region;
    // Another visit of the same participant and region keeps the selection and the series picks; anything else starts afresh.
    set({
      target,
      tool: null,
      extentDraft: null,
      checkTool: null,
      notice: null,
      confirmation: null,
      fileWindow: null,
      startFrom: options.keepPosition ? get().position : null,
      cine: { ...get().cine, playing: false },
      maximised: null,
      pending: null,
      // Candidates belong to one read, and a cursor's point to its coordinates.
      selectedCandidateId: null,
      crosshair: { ...get().crosshair, point: null },
      ...(sameRegion ? {} : { chosenSeries: {}, selectedLesionId: null }),
    });
  },
  setLayout: (layout) => set({ layout }),
  // A view maximised in one layout names nothing in the other.
  toggleMpr: () => set((state) => ({ mpr: !state.mpr, maximised: null })),
  toggleSync: (key) => set((state) => ({ sync: { ...state.sync, [key]: !state.sync[key] } })),
  chooseSeries: (visitCode, seriesId) => set((state) => ({ chosenSeries: { ...state.chosenSeries, [visitCode]: seriesId } })),
  select: (lesionId) => set({ selectedLesionId: lesionId }),
  startTool: (tool) => set({ tool, checkTool: null, pending: null, extentDraft: null, notice: null }),
  setExtentDraft: (extentDraft) => set(extentDraft ? { extentDraft, tool: null, checkTool: null, pending: null } : { extentDraft }),
  cancelTool: () => set({ tool: null }),
  // Taking the check tool already in hand puts it down.
  takeCheckTool: (checkTool) => set((state) => ({ checkTool: state.checkTool === checkTool ? null : checkTool, tool: null })),
  hold: (pending) => set({ pending, tool: null }),
  setPendingDetails: (details) => set((state) => (state.pending ? { pending: { ...state.pending, details } } : {})),
  dropPending: () => set({ pending: null }),
  say: (notice) => set({ notice, confirmation: null }),
  confirm: (confirmation) => set({ confirmation, notice: null }),
  setFileWindow: (fileWindow) => set({ fileWindow }),
  setPosition: (position) => set({ position }),
  toggleCine: () => set((state) => ({ cine: { ...state.cine, playing: !state.cine.playing } })),
  setCineRate: (framesPerSecond) => set((state) => ({ cine: { ...state.cine, framesPerSecond } })),
  toggleMaximised: (visitCode) => set((state) => ({ maximised: state.maximised === visitCode ? null : visitCode })),
  toggleMarks: () => set((state) => ({ marksHidden: !state.marksHidden })),
  toggleAligned: () => set((state) => ({ aligned: !state.aligned })),
  toggleSubtraction: () => set((state) => ({ subtraction: { ...state.subtraction, shown: !state.subtraction.shown } })),
  // Choosing a window shows the overlay: the reader asked to see it so.
  setSubtractionWindow: (window) => set((state) => ({ subtraction: { ...state.subtraction, window, shown: true } })),
  setSubtractionOpacity: (opacity) => set((state) => ({ subtraction: { ...state.subtraction, opacity: opacity ?? nextOpacity(state.subtraction.opacity), shown: true } })),
  toggleCrosshair: () => set((state) => ({ crosshair: { on: !state.crosshair.on, point: null } })),
  setCrosshairPoint: (point) => set((state) => ({ crosshair: { ...state.crosshair, point } })),
  selectCandidate: (selectedCandidateId) => set({ selectedCandidateId }),
  cancel() {
    const { tool, pending, checkTool, maximised, extentDraft } = get();
    if (extentDraft !== null) set({ extentDraft: null });
    else if (tool !== null) set({ tool: null });
    else if (pending !== null) set({ pending: null });
    else if (checkTool !== null) set({ checkTool: null });
    else if (maximised !== null) set({ maximised: null });
    else return false;
    return true;
  },
}));
