// The reading charter: which visit each read is compared with, the smallest
// lesion that counts, and when a lesion is enlarging. Counts are derived under
// the charter in force, so main refuses a change while any read is signed
// under the old one, and every change needs a reason for the audit trail.
import { useState } from 'react';
import type { CharterSettings } from '../../../shared/counting';
import { client } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { SaveButton, saveBlockers, WhyNot } from '../components/WhyNot';
import { charterProblems } from '../../../shared/validation';
import { useAction } from '../use-loaded';
import { SettingPanel } from './SettingPanel';

const loadCharter = () => client.charter({});

export function CharterPanel() {
  return <SettingPanel load={loadCharter} what="The charter" editor={(charter, reload) => <CharterEditor charter={charter} reload={reload} />} />;
}

function CharterEditor({ charter, reload }: { charter: CharterSettings; reload: () => void }) {
  const [draft, setDraft] = useState<CharterSettings>(charter);
  const [reason, setReason] = useState('');
  // A refusal is shown here, beside the button, where the reader is looking.
  const { act, actionError: refusal } = useAction(reload);

  const changed = JSON.stringify(draft) !== JSON.stringify(charter);
  const set = (change: Partial<CharterSettings>) => setDraft({ ...draft, ...change });
  const number = (value: string) => (value === '' ? Number.NaN : Number(value));
  const problems = charterProblems(draft);
  const blockers = saveBlockers({ changed, problems, reasonNeeded: reason.trim() === '' });

  return (
    <section className="panel charter" aria-labelledby="charter-title" data-testid="charter-editor">
      <h2 id="charter-title">Reading charter</h2>
      <p className="muted">The rules every count is derived by. Signed reads keep the charter they were signed under; change it only before reading starts, or unlock the signed reads first.</p>
      <div className="charter-fields">
        <label className="field">
          Charter version
          <input data-testid="charter-id" spellCheck={false} maxLength={64} value={draft.id} onChange={(event) => set({ id: event.target.value })} />
        </label>
        <fieldset className="field">
          <legend>New and enlarging are judged against</legend>
          <label>
            <input type="radio" name="comparator" data-testid="charter-previous" checked={draft.comparator === 'previous'} onChange={() => set({ comparator: 'previous' })} /> the previous scan
          </label>
          <label>
            <input type="radio" name="comparator" data-testid="charter-baseline" checked={draft.comparator === 'baseline'} onChange={() => set({ comparator: 'baseline' })} /> the baseline scan
          </label>
        </fieldset>
        <label className="field">
          Smallest new lesion that counts (mm)
          <input className="narrow" type="number" min={0} max={50} step={0.5} data-testid="charter-minimum" value={draft.minimumSizeMm} onChange={(event) => set({ minimumSizeMm: number(event.target.value) })} />
        </label>
        <label className="field">
          Enlarging: grows by at least (%)
          <input className="narrow" type="number" min={0} max={1000} step={5} data-testid="charter-relative" value={Math.round(draft.enlargingRelative * 1000) / 10} onChange={(event) => set({ enlargingRelative: number(event.target.value) / 100 })} />
        </label>
        <label className="field">
          <select aria-label="Both or either" data-testid="charter-rule" value={draft.enlargingRule} onChange={(event) => set({ enlargingRule: event.target.value as CharterSettings['enlargingRule'] })}>
            <option value="both">and</option>
            <option value="either">or</option>
          </select>
          by at least (mm)
          <input className="narrow" type="number" min={0} max={50} step={0.5} data-testid="charter-absolute" value={draft.enlargingAbsoluteMm} onChange={(event) => set({ enlargingAbsoluteMm: number(event.target.value) })} />
        </label>
      </div>
      <div className="inline-form">
        <input className="reason" aria-label="Reason for the charter change" data-testid="charter-reason" placeholder="Reason for the change (required; kept in the audit trail)" value={reason} onChange={(event) => setReason(event.target.value)} />
        <SaveButton testId="save-charter" blockers={blockers} onSave={() => void act(() => client.saveCharter({ charter: { ...draft, id: draft.id.trim() }, reason: reason.trim() }))}>
          Save charter
        </SaveButton>
        <button type="button" disabled={!changed} onClick={() => setDraft(charter)}>
          Undo changes
        </button>
      </div>
      {changed && <WhyNot reasons={blockers} />}
      {refusal && <ErrorNotice title="Charter not saved" message={refusal} />}
    </section>
  );
}
