// Why a form cannot be saved yet, in sentences beside its button: the same
// sentences the button's tooltip gives, so a disabled button never leaves
// the user guessing.
import type { ReactNode } from 'react';
import { ErrorNotice } from './ErrorNotice';

/** A form's save button: disabled while anything blocks it, its tooltip saying what. */
export function SaveButton({ testId, blockers, onSave, children }: { testId: string; blockers: readonly string[]; onSave: () => void; children: ReactNode }) {
  return (
    <button type="button" className="primary" data-testid={testId} disabled={blockers.length > 0} title={blockers.join(' ') || undefined} onClick={onSave}>
      {children}
    </button>
  );
}

export function WhyNot({ reasons }: { reasons: readonly string[] }) {
  if (reasons.length === 0) return null;
  return (
    <ul className="problems" data-testid="why-not" role="status">
      {reasons.map((reason) => (
        <li key={reason}>{reason}</li>
      ))}
    </ul>
  );
}

/** The reasons a save button is disabled: nothing changed, the rules' problems, a missing reason. */
export function saveBlockers({ changed, problems, reasonNeeded }: { changed: boolean; problems: readonly string[]; reasonNeeded: boolean }): string[] {
  if (!changed) return ['Nothing has changed yet.'];
  return [...problems, ...(reasonNeeded ? ['Give a reason for the change: it goes into the audit trail.'] : [])];
}

/** The foot of a trial setting's form: the reason for the change, Save, why it cannot be saved yet, and main's refusal. */
export function ReasonAndSave({ name, reason, onReason, blockers, changed, onSave, refusal }: {
  /** Names the test ids: `${name}-reason`, `save-${name}`. */
  name: string;
  reason: string;
  onReason: (reason: string) => void;
  blockers: readonly string[];
  changed: boolean;
  onSave: () => void;
  refusal: string | null;
}) {
  return (
    <>
      <div className="inline-form">
        <input className="reason" aria-label="Reason for the change" data-testid={`${name}-reason`} placeholder="Reason for the change (required; kept in the audit trail)" value={reason} onChange={(event) => onReason(event.target.value)} />
        <SaveButton testId={`save-${name}`} blockers={blockers} onSave={onSave}>
          Save
        </SaveButton>
      </div>
      {changed && <WhyNot reasons={blockers} />}
      {refusal && <ErrorNotice title="Not saved" message={refusal} />}
    </>
  );
}
