// Beside the lesion panel for a cord or optic read: what extents are
// measured with here, and the clicks of one being made. The cord series'
// vertebral ruler (or what is missing: the ruler, and how to set it); each
// optic nerve's trace at this visit; while a ruler, trace or lesion's ends
// are being clicked, what the next click is and the buttons that save or
// drop them. Main measures; this panel only gathers the clicks.
import type { LesionView, NerveTrace, VertebralRuler } from '../../../shared/contract';
import { rulerProblem } from '../../../shared/cord-levels';
import { traceProblem } from '../../../shared/optic-extent';
import { VERTEBRAL_LEVELS, type Region, type VertebralLevel } from '../../../shared/protocol';
import { commandTitle } from '../commands/command';
import { command } from '../commands/command-table';
import { type ExtentDraft, useReading } from './reading-store';

const SIDES = ['right', 'left'] as const;

/** A ruler's span in words: "C2–T1, 2 bodies". */
export const rulerWords = (ruler: Pick<VertebralRuler, 'anchors'>) =>
  `${ruler.anchors[0]?.level ?? '?'}–${ruler.anchors.at(-1)?.level ?? '?'}, ${ruler.anchors.length} ${ruler.anchors.length === 1 ? 'body' : 'bodies'}`;

export const NO_RULER = 'No vertebral ruler on this series yet: press B and click the centres of two or more labelled vertebral bodies (e.g. C2 and T1); the levels of every lesion follow from it.';
export const noTrace = (side: 'left' | 'right') => `The ${side} optic nerve is not traced at this visit: press T and click it from the back of the globe to the chiasm.`;

export function ExtentPanel({
  region,
  ruler,
  traces,
  draft,
  lockedBy,
  lesions,
  onSave,
}: {
  region: Region;
  /** The region's lesions: the ends clicked belong to one of them, or to a new one. */
  lesions: readonly Pick<LesionView, 'id' | 'label'>[];
  ruler: VertebralRuler | null;
  traces: readonly NerveTrace[];
  draft: ExtentDraft | null;
  lockedBy: string | null;
  /** Saves the ruler or trace being clicked. */
  onSave: () => void;
}) {
  const store = useReading.getState();
  if (region === 'brain') return null;
  const start = (next: ExtentDraft) => (lockedBy ? store.say(lockedBy) : store.setExtentDraft(next));
  const problem = draft?.kind === 'ruler' ? rulerProblem(draft.anchors) : draft?.kind === 'trace' ? traceProblem(draft.points) : null;
  return (
    <section className="extent-panel" data-testid="extent-panel">
      <h3>{region === 'spinal_cord' ? 'Levels from the image' : 'Extent along the nerve'}</h3>
      {region === 'spinal_cord' && (
        <p className="muted" data-testid="ruler-status" data-set={ruler ? 'true' : 'false'}>
          {ruler ? `Vertebral ruler: ${rulerWords(ruler)}.` : NO_RULER}
        </p>
      )}
      {region === 'optic_nerve' &&
        SIDES.map((side) => {
          const trace = traces.find((item) => item.side === side);
          return (
            <p key={side} className="muted" data-testid={`trace-status-${side}`} data-set={trace ? 'true' : 'false'}>
              {trace ? `The ${side} nerve is traced: ${trace.points.length} points, ${trace.lengthMm.toFixed(1)} mm globe to chiasm.` : noTrace(side)}
            </p>
          );
        })}
      {draft === null && (
        <div className="inline-form">
          {region === 'spinal_cord' ? (
            <button type="button" data-testid="start-ruler" title={commandTitle(command('extent-ruler'))} onClick={() => start({ kind: 'ruler', nextLevel: 'C2', anchors: [] })}>
              {ruler ? 'Set the ruler again' : 'Set the ruler'}
            </button>
          ) : (
            <button type="button" data-testid="start-trace" title={commandTitle(command('extent-trace'))} onClick={() => start({ kind: 'trace', side: traces.some((item) => item.side === 'right') ? 'left' : 'right', points: [] })}>
              Trace a nerve
            </button>
          )}
          <button type="button" data-testid="start-ends" title={commandTitle(command('extent-ends'))} onClick={() => start({ kind: 'ends', lesionId: useReading.getState().selectedLesionId, ends: [] })}>
            {region === 'spinal_cord' ? 'Click a lesion\'s ends' : 'Click a lesion\'s stretch'}
          </button>
        </div>
      )}
      {draft?.kind === 'ruler' && (
        <div className="extent-draft-form" data-testid="ruler-draft" data-anchors={draft.anchors.length}>
          <label>
            Next click: the centre of{' '}
            <select aria-label="next vertebral body" data-testid="ruler-level" value={draft.nextLevel} onChange={(event) => store.setExtentDraft({ ...draft, nextLevel: event.target.value as VertebralLevel })}>
              {VERTEBRAL_LEVELS.map((level) => (
                <option key={level} value={level}>
                  {level}
                </option>
              ))}
            </select>
          </label>
          <p className="muted">{draft.anchors.length === 0 ? 'No body clicked yet.' : `Clicked: ${draft.anchors.map((anchor) => anchor.level).join(', ')}.`}</p>
          {draft.anchors.length > 1 && problem && <p className="problem">{problem}</p>}
          <DraftButtons disabled={problem !== null} onSave={onSave} what="ruler" />
        </div>
      )}
      {draft?.kind === 'trace' && (
        <div className="extent-draft-form" data-testid="trace-draft" data-points={draft.points.length}>
          <label>
            Nerve:{' '}
            <select aria-label="nerve side" data-testid="trace-side" value={draft.side} onChange={(event) => store.setExtentDraft({ ...draft, side: event.target.value as 'left' | 'right' })}>
              {SIDES.map((side) => (
                <option key={side} value={side}>
                  {side}
                </option>
              ))}
            </select>
          </label>
          <p className="muted">Click the nerve on each slice from the back of the globe to the orbital apex, then the centre of the chiasm ({draft.points.length} clicked).</p>
          {draft.points.length > 1 && problem && <p className="problem">{problem}</p>}
          <DraftButtons disabled={problem !== null} onSave={onSave} what="trace" />
        </div>
      )}
      {draft?.kind === 'ends' && (
        <div className="extent-draft-form" data-testid="ends-draft" data-ends={draft.ends.length}>
          <label>
            Ends of{' '}
            <select aria-label="lesion the ends belong to" data-testid="ends-lesion" value={draft.lesionId ?? ''} onChange={(event) => store.setExtentDraft({ ...draft, lesionId: event.target.value === '' ? null : Number(event.target.value), ends: [] })}>
              <option value="">a new lesion</option>
              {lesions.map((lesion) => (
                <option key={lesion.id} value={lesion.id}>
                  {lesion.label}
                </option>
              ))}
            </select>
          </label>
          <p className="muted">
            {region === 'spinal_cord' ? (draft.ends.length === 0 ? 'Click the upper end of the lesion.' : 'Now its lower end.') : draft.ends.length === 0 ? 'Click where the lesion begins along the nerve.' : 'Now where it ends.'} Esc to stop.
          </p>
        </div>
      )}
    </section>
  );
}

function DraftButtons({ disabled, onSave, what }: { disabled: boolean; onSave: () => void; what: string }) {
  return (
    <div className="inline-form">
      <button type="button" data-testid={`save-${what}`} disabled={disabled} title={commandTitle(command('extent-save'))} onClick={onSave}>
        Save {what}
      </button>
      <button type="button" onClick={() => useReading.getState().setExtentDraft(null)}>
        Cancel
      </button>
    </div>
  );
}
