// Every keyboard command of the app, in one table: the app's own, the
// reading room's and the image viewer's. It binds the keys (use-commands.ts),
// writes the help overlay and gives the buttons their tooltips. To add a
// command, add a row here and, where it needs one, an action to its screen's
// context. Pure: the end-to-end test reads this table and presses each key.
import type { Region } from '../../../shared/protocol';
import type { SubtractionWindowId } from '../reading/assisted';
import type { Command, CommandContext, Gesture } from './command';

/** What the reading room offers its commands while it is open (ReadingView builds it). */
export interface ReadingCommands {
  step(delta: number): void;
  page(direction: 1 | -1): void;
  /** Moves the comparator by whole slices against the current visit, and saves that alignment. */
  nudge(steps: number): void;
  realign(): void;
  resetView(): void;
  toggleInvert(): void;
  /** A window preset of the sequence read (shared/window-presets.ts). */
  windowPreset(preset: 'file' | 'lesions' | 'anatomy'): void;
  toggleLayout(): void;
  /** The 2D layout or the series in three planes (MPR), where it is a volume; else says why not. */
  toggleMpr(): void;
  toggleSync(key: 'slices' | 'window' | 'zoomPan'): void;
  go(step: 'region' | 'participant' | 'visit', direction: 1 | -1): void;
  /** Selects the next (or previous) lesion of the region and brings every pane to it. */
  goToLesion(direction: 1 | -1): void;
  startTool(tool: 'new' | 'existing'): void;
  /** Puts down what is in hand: the measuring tool, else a maximised pane. */
  cancel(): void;
  toggleCine(): void;
  cineRate(direction: 1 | -1): void;
  toggleMarks(): void;
  /** Takes a check tool (or puts it down, when it is the one in hand). */
  takeCheckTool(tool: 'length' | 'ellipse' | 'probe'): void;
  toggleMaximised(): void;
  /** Shows the comparator resampled into the current grid (once its subtraction is ready), or its own images. */
  toggleAligned(): void;
  /** Shows or hides the subtraction's colours over the current pane. */
  toggleSubtraction(): void;
  /** Shows the subtraction in one of its windows (shared with the overlay's colours). */
  subtractionWindow(window: SubtractionWindowId): void;
  /** The overlay's next opacity. */
  subtractionOpacity(): void;
  toggleCrosshair(): void;
  /** Selects the next (or previous) unreviewed candidate and brings every pane to it. */
  goToCandidate(direction: 1 | -1): void;
  /** Confirms the selected candidate as a lesion (recorded as if drawn) or dismisses it. */
  reviewCandidate(decision: 'confirm' | 'dismiss'): void;
  /** Cord: click labelled vertebral bodies for the series' ruler; optic: trace a nerve; either: click a lesion's two ends. */
  startExtent(kind: 'ruler' | 'trace' | 'ends'): void;
  /** Saves the ruler or trace being clicked. */
  saveExtent(): void;
  close(): void;
  /** The region read: which extent commands apply. */
  region: Region;
  hasExtentDraft: boolean;
  hasComparator: boolean;
  /** Some candidate of the read is unreviewed. */
  hasUnreviewed: boolean;
  hasCandidateSelection: boolean;
  hasSelection: boolean;
  hasLesions: boolean;
  canCancel: boolean;
}

/** What the image viewer offers while a series is open. */
export interface ViewerCommands {
  step(delta: number): void;
  page(direction: 1 | -1): void;
  resetView(): void;
  toggleInvert(): void;
}

export type AppCommandContext = CommandContext<ReadingCommands, ViewerCommands>;
export type AppCommand = Command<AppCommandContext>;

/** A command of one screen, written with that screen's own context. */
interface ScreenCommand<Screen> {
  id: string;
  keys: readonly string[];
  label: string;
  when?: (screen: Screen) => boolean;
  run: (screen: Screen) => void;
}

/** Reading-room commands apply while the reading room is open, and not behind the help. */
function inReading({ when, run, ...command }: ScreenCommand<ReadingCommands>): AppCommand {
  return { ...command, scope: 'reading', when: (context) => context.reading !== null && !context.app.helpOpen && (when?.(context.reading) ?? true), run: (context) => run(context.reading!) };
}

function inViewer({ when, run, ...command }: ScreenCommand<ViewerCommands>): AppCommand {
  return { ...command, scope: 'viewer', when: (context) => context.viewer !== null && !context.app.helpOpen && (when?.(context.viewer) ?? true), run: (context) => run(context.viewer!) };
}

export const COMMANDS: readonly AppCommand[] = [
  { id: 'help', scope: 'app', keys: ['?'], label: 'show or hide this help', run: (context) => context.app.toggleHelp() },
  { id: 'close-help', scope: 'app', keys: ['Escape'], label: 'close this help', when: (context) => context.app.helpOpen, run: (context) => context.app.toggleHelp() },

  inReading({ id: 'slice-next', keys: ['ArrowDown'], label: 'next slice, all panes together', run: (room) => room.step(1) }),
  inReading({ id: 'slice-previous', keys: ['ArrowUp'], label: 'previous slice, all panes together', run: (room) => room.step(-1) }),
  inReading({ id: 'page-next', keys: ['PageDown'], label: 'a tenth of the stack forward', run: (room) => room.page(1) }),
  inReading({ id: 'page-previous', keys: ['PageUp'], label: 'a tenth of the stack back', run: (room) => room.page(-1) }),
  inReading({ id: 'nudge-down', keys: ['Shift+ArrowDown'], label: 'move the comparator one slice down against the current visit (saved)', when: (room) => room.hasComparator, run: (room) => room.nudge(1) }),
  inReading({ id: 'nudge-up', keys: ['Shift+ArrowUp'], label: 'move the comparator one slice up against the current visit (saved)', when: (room) => room.hasComparator, run: (room) => room.nudge(-1) }),
  inReading({ id: 'realign', keys: ['a'], label: 'align the comparator automatically again', when: (room) => room.hasComparator, run: (room) => room.realign() }),
  inReading({ id: 'window-file', keys: ['1'], label: 'window from the file', run: (room) => room.windowPreset('file') }),
  inReading({ id: 'window-lesions', keys: ['2'], label: 'lesion window of the sequence read (FLAIR, T2 or STIR)', run: (room) => room.windowPreset('lesions') }),
  inReading({ id: 'window-anatomy', keys: ['3'], label: 'anatomy window: wide', run: (room) => room.windowPreset('anatomy') }),
  inReading({ id: 'reset-view', keys: ['r'], label: 'reset view and window', run: (room) => room.resetView() }),
  inReading({ id: 'invert', keys: ['i'], label: 'invert', run: (room) => room.toggleInvert() }),
  inReading({ id: 'layout', keys: ['l'], label: 'two panes or all visits (from three planes: back to 2D as it was)', run: (room) => room.toggleLayout() }),
  inReading({ id: 'mpr', keys: ['Shift+m'], label: 'three planes (MPR: axial, sagittal, coronal, the comparator below) or the 2D layout', run: (room) => room.toggleMpr() }),
  inReading({ id: 'sync-slices', keys: ['s'], label: 'sync slices on or off', run: (room) => room.toggleSync('slices') }),
  inReading({ id: 'sync-window', keys: ['w'], label: 'sync window on or off', run: (room) => room.toggleSync('window') }),
  inReading({ id: 'sync-zoom-pan', keys: ['z'], label: 'sync zoom and pan on or off', run: (room) => room.toggleSync('zoomPan') }),
  inReading({ id: 'region-next', keys: [']'], label: 'next region', run: (room) => room.go('region', 1) }),
  inReading({ id: 'region-previous', keys: ['['], label: 'previous region', run: (room) => room.go('region', -1) }),
  inReading({ id: 'participant-next', keys: ['}'], label: 'next participant', run: (room) => room.go('participant', 1) }),
  inReading({ id: 'participant-previous', keys: ['{'], label: 'previous participant', run: (room) => room.go('participant', -1) }),
  inReading({ id: 'visit-next', keys: ['.'], label: 'next visit', run: (room) => room.go('visit', 1) }),
  inReading({ id: 'visit-previous', keys: [','], label: 'previous visit', run: (room) => room.go('visit', -1) }),
  inReading({ id: 'lesion-next', keys: ['j'], label: 'next lesion: every pane goes to it', when: (room) => room.hasLesions, run: (room) => room.goToLesion(1) }),
  inReading({ id: 'lesion-previous', keys: ['k'], label: 'previous lesion: every pane goes to it', when: (room) => room.hasLesions, run: (room) => room.goToLesion(-1) }),
  inReading({ id: 'lesion-new', keys: ['n'], label: 'new lesion: then drag across its longest diameter', run: (room) => room.startTool('new') }),
  inReading({ id: 'lesion-measure', keys: ['m'], label: 'measure the selected lesion at this visit', when: (room) => room.hasSelection, run: (room) => room.startTool('existing') }),
  inReading({ id: 'cancel', keys: ['Escape'], label: 'put down the tool in hand, else restore a maximised pane', when: (room) => room.canCancel, run: (room) => room.cancel() }),
  inReading({ id: 'cine', keys: ['c'], label: 'cine: play or pause, all panes together', run: (room) => room.toggleCine() }),
  inReading({ id: 'cine-faster', keys: ['='], label: 'cine faster', run: (room) => room.cineRate(1) }),
  inReading({ id: 'cine-slower', keys: ['-'], label: 'cine slower', run: (room) => room.cineRate(-1) }),
  inReading({ id: 'check-length', keys: ['d'], label: 'length: a distance for your own check, not counted', run: (room) => room.takeCheckTool('length') }),
  inReading({ id: 'check-ellipse', keys: ['e'], label: 'ellipse: area, mean and SD for your own check, not counted', run: (room) => room.takeCheckTool('ellipse') }),
  inReading({ id: 'check-probe', keys: ['p'], label: 'probe: the value at a point, not counted', run: (room) => room.takeCheckTool('probe') }),
  inReading({ id: 'marks', keys: ['h'], label: 'hide or show all marks', run: (room) => room.toggleMarks() }),
  inReading({ id: 'maximise', keys: ['f'], label: 'maximise or restore the pane being read (in three planes, the view under the pointer)', run: (room) => room.toggleMaximised() }),
  inReading({ id: 'aligned-view', keys: ['v'], label: 'comparator aligned (resampled into the current grid) or as acquired', when: (room) => room.hasComparator, run: (room) => room.toggleAligned() }),
  inReading({ id: 'subtraction', keys: ['o'], label: 'subtraction overlay on the current pane: increases orange, decreases blue', when: (room) => room.hasComparator, run: (room) => room.toggleSubtraction() }),
  inReading({ id: 'subtraction-subtle', keys: ['4'], label: 'subtraction window: subtle (full colour at 3 × its noise)', when: (room) => room.hasComparator, run: (room) => room.subtractionWindow('subtle') }),
  inReading({ id: 'subtraction-standard', keys: ['5'], label: 'subtraction window: standard (6 × noise)', when: (room) => room.hasComparator, run: (room) => room.subtractionWindow('standard') }),
  inReading({ id: 'subtraction-strong', keys: ['6'], label: 'subtraction window: strong (12 × noise)', when: (room) => room.hasComparator, run: (room) => room.subtractionWindow('strong') }),
  inReading({ id: 'subtraction-opacity', keys: ['Shift+o'], label: 'subtraction overlay more opaque (25, 50, 75, 100%, round again)', when: (room) => room.hasComparator, run: (room) => room.subtractionOpacity() }),
  inReading({ id: 'crosshair', keys: ['+'], label: 'linked cursor: a cross at the same anatomy on every pane, following the pointer', run: (room) => room.toggleCrosshair() }),
  inReading({ id: 'candidate-next', keys: ['u'], label: 'next unreviewed candidate: every pane goes to it', when: (room) => room.hasUnreviewed, run: (room) => room.goToCandidate(1) }),
  inReading({ id: 'candidate-previous', keys: ['Shift+u'], label: 'previous unreviewed candidate', when: (room) => room.hasUnreviewed, run: (room) => room.goToCandidate(-1) }),
  inReading({ id: 'candidate-confirm', keys: ['y'], label: 'confirm the candidate: a lesion, recorded as if drawn', when: (room) => room.hasCandidateSelection, run: (room) => room.reviewCandidate('confirm') }),
  inReading({ id: 'candidate-dismiss', keys: ['x'], label: 'dismiss the candidate: not a lesion, never counted', when: (room) => room.hasCandidateSelection, run: (room) => room.reviewCandidate('dismiss') }),
  inReading({ id: 'extent-ruler', keys: ['b'], label: 'vertebral ruler (cord): click the centres of labelled vertebral bodies, Enter to save', when: (room) => room.region === 'spinal_cord', run: (room) => room.startExtent('ruler') }),
  inReading({ id: 'extent-trace', keys: ['t'], label: 'trace an optic nerve: click it from the globe to the chiasm, Enter to save', when: (room) => room.region === 'optic_nerve', run: (room) => room.startExtent('trace') }),
  inReading({ id: 'extent-ends', keys: ['g'], label: "a lesion's ends: cord upper and lower end, optic start and end along the nerve (the selected lesion, else a new one)", when: (room) => room.region !== 'brain', run: (room) => room.startExtent('ends') }),
  inReading({ id: 'extent-save', keys: ['Enter'], label: 'save the ruler or trace being clicked', when: (room) => room.hasExtentDraft, run: (room) => room.saveExtent() }),
  inReading({ id: 'close-reading', keys: ['Backspace'], label: 'back to the worklist', run: (room) => room.close() }),

  inViewer({ id: 'viewer-slice-next', keys: ['ArrowDown'], label: 'next slice', run: (view) => view.step(1) }),
  inViewer({ id: 'viewer-slice-previous', keys: ['ArrowUp'], label: 'previous slice', run: (view) => view.step(-1) }),
  inViewer({ id: 'viewer-page-next', keys: ['PageDown'], label: 'a tenth of the stack forward', run: (view) => view.page(1) }),
  inViewer({ id: 'viewer-page-previous', keys: ['PageUp'], label: 'a tenth of the stack back', run: (view) => view.page(-1) }),
  inViewer({ id: 'viewer-reset', keys: ['r'], label: 'reset view and window', run: (view) => view.resetView() }),
  inViewer({ id: 'viewer-invert', keys: ['i'], label: 'invert', run: (view) => view.toggleInvert() }),
];

export const GESTURES: readonly Gesture[] = [
  { scope: 'reading', how: 'Wheel', label: 'previous / next slice, all panes together' },
  { scope: 'reading', how: 'Left / middle / right drag', label: 'window-level / pan / zoom' },
  { scope: 'reading', how: 'Ctrl+wheel', label: 'zoom about the cursor' },
  { scope: 'reading', how: 'Double-click', label: 'maximise or restore a pane' },
  { scope: 'viewer', how: 'Wheel', label: 'previous / next slice' },
  { scope: 'viewer', how: 'Left / middle / right drag', label: 'window-level / pan / zoom' },
];

/** A command of the table by id, for a button's tooltip. */
export function command(id: string): AppCommand {
  const found = COMMANDS.find((item) => item.id === id);
  if (!found) throw new Error(`No command "${id}" in the command table.`);
  return found;
}
