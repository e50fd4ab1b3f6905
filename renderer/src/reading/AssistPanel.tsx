// Beside the lesion panel: assisted detection for the read open. Where the
// aligned subtraction stands, the switches of what the panes show of it
// (the aligned comparator, the overlay, its window and opacity, the linked
// cursor), and the read's candidates: each a suggestion, with its status,
// gone to by a click or a key, confirmed (a lesion, recorded as if drawn) or
// dismissed. None counts until the reader confirms it.
import type { CandidateView } from '../../../shared/contract';
import { commandTitle } from '../commands/command';
import { command } from '../commands/command-table';
import { CANDIDATE_STATUS_WORDS, candidateKind, OVERLAY_OPACITIES, SUBTRACTION_WINDOWS, type SubtractionWindowId } from './assisted';
import { useReading } from './reading-store';
import type { AssistedReading } from './use-assisted';

interface Props {
  assisted: AssistedReading;
  onGoTo: (candidate: CandidateView) => void;
  onReview: (candidate: CandidateView, decision: 'confirm' | 'dismiss') => void;
}

/** A switch of the panel: its state pressed or not, its tooltip the command's. */
function Switch({ id, pressed, onClick, children }: { id: string; pressed: boolean; onClick: () => void; children: string }) {
  return (
    <button type="button" data-testid={`assist-${id}`} aria-pressed={pressed} title={commandTitle(command(id))} onClick={onClick}>
      {children}
    </button>
  );
}

export function AssistPanel({ assisted, onGoTo, onReview }: Props) {
  const aligned = useReading((state) => state.aligned);
  const subtraction = useReading((state) => state.subtraction);
  const crosshair = useReading((state) => state.crosshair.on);
  const selectedId = useReading((state) => state.selectedCandidateId);
  const store = useReading.getState();
  const list = assisted.candidates;
  if (assisted.state === 'none') return null;
  const windowTitle = SUBTRACTION_WINDOWS.map((item) => commandTitle(command(`subtraction-${item.id}`))).join('; ');
  return (
    <section className="assist-panel" data-testid="assist-panel" data-subtraction={assisted.state} data-unreviewed={list?.unreviewed ?? ''}>
      <h3>Assisted detection</h3>
      <p className="muted assist-status" role="status" data-testid="assist-status">
        {assisted.state === 'pending' && 'Aligning and subtracting the comparator… the panes show the acquired images meanwhile.'}
        {assisted.state === 'failed' && `No subtraction for this read: ${assisted.failure}`}
        {assisted.state === 'ready' && (list ? `${list.candidates.length} candidate${list.candidates.length === 1 ? '' : 's'}, ${list.unreviewed} unreviewed. None counts until you confirm it.` : 'Finding the candidates…')}
      </p>
      <div className="assist-switches">
        <Switch id="aligned-view" pressed={aligned} onClick={store.toggleAligned}>
          Aligned
        </Switch>
        <Switch id="subtraction" pressed={subtraction.shown} onClick={store.toggleSubtraction}>
          Subtraction
        </Switch>
        <select aria-label="Subtraction window" data-testid="subtraction-window" value={subtraction.window} title={windowTitle} onChange={(event) => store.setSubtractionWindow(event.target.value as SubtractionWindowId)}>
          {SUBTRACTION_WINDOWS.map((item) => (
            <option key={item.id} value={item.id}>
              {item.label} ±{item.noise}σ
            </option>
          ))}
        </select>
        <input
          type="range"
          aria-label="Subtraction opacity"
          data-testid="subtraction-opacity"
          min={OVERLAY_OPACITIES[0]}
          max={1}
          step={OVERLAY_OPACITIES[0]}
          value={subtraction.opacity}
          title={commandTitle(command('subtraction-opacity'))}
          onChange={(event) => store.setSubtractionOpacity(Number(event.target.value))}
        />
        <Switch id="crosshair" pressed={crosshair} onClick={store.toggleCrosshair}>
          Cursor
        </Switch>
      </div>
      {list && list.candidates.length > 0 && (
        <ol className="candidate-list" data-testid="candidates">
          {list.candidates.map((candidate) => (
            <CandidateRow key={candidate.id} candidate={candidate} selected={candidate.id === selectedId} onGoTo={() => onGoTo(candidate)} onReview={(decision) => onReview(candidate, decision)} />
          ))}
        </ol>
      )}
    </section>
  );
}

function CandidateRow({ candidate, selected, onGoTo, onReview }: { candidate: CandidateView; selected: boolean; onGoTo: () => void; onReview: (decision: 'confirm' | 'dismiss') => void }) {
  const recorded = candidate.status === 'confirmed' || candidate.status === 'marked';
  return (
    <li className={selected ? 'candidate-item selected' : 'candidate-item'} data-testid="candidate" data-candidate={candidate.id} data-status={candidate.status} data-kind={candidate.kind} data-slice-index={candidate.sliceIndex}>
      <button type="button" className="candidate-head" onClick={onGoTo} title={commandTitle(command('candidate-next'))}>
        <strong>{candidateKind(candidate)}</strong>
        <span>{candidate.diameterMm.toFixed(1)} mm</span>
        <span className="muted">slice {candidate.sliceIndex + 1}</span>
        <span className={`chip candidate-status ${candidate.status}`}>
          {CANDIDATE_STATUS_WORDS[candidate.status]}
          {recorded && candidate.lesionLabel ? `: ${candidate.lesionLabel}` : ''}
        </span>
      </button>
      {selected && !recorded && (
        <div className="inline-form">
          <button type="button" className="primary" data-testid="candidate-confirm" title={commandTitle(command('candidate-confirm'))} onClick={() => onReview('confirm')}>
            Confirm: a lesion
          </button>
          {candidate.status === 'unreviewed' && (
            <button type="button" data-testid="candidate-dismiss" title={commandTitle(command('candidate-dismiss'))} onClick={() => onReview('dismiss')}>
              Dismiss
            </button>
          )}
        </div>
      )}
    </li>
  );
}
