// The qualification rule, set with the charter: what a reader must reach on
// a qualification set (lesion-wise sensitivity, false positives per scan)
// and how near a mark must be to a truth lesion to be it. A trial setting,
// changed with a reason that goes into the audit trail.
import { useState } from 'react';
import type { QualificationRule } from '../../../shared/contract';
import { client } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { SaveButton, saveBlockers, WhyNot } from '../components/WhyNot';
import { useAction } from '../use-loaded';
import { SettingPanel } from './SettingPanel';

const loadRule = () => client.qualificationRule({});

export function QualificationRulePanel() {
  return <SettingPanel load={loadRule} what="The qualification rule" editor={(rule, reload) => <QualificationRuleEditor rule={rule} reload={reload} />} />;
}

function problemsOf(rule: QualificationRule): string[] {
  return [
    ...(rule.minSensitivity >= 0 && rule.minSensitivity <= 1 ? [] : ['The sensitivity must be from 0 to 100%.']),
    ...(rule.maxFalsePositivesPerScan >= 0 && rule.maxFalsePositivesPerScan <= 100 ? [] : ['The false positives per scan must be from 0 to 100.']),
    ...(rule.pairingToleranceMm >= 1 && rule.pairingToleranceMm <= 50 ? [] : ['The pairing distance must be from 1 to 50 mm.']),
  ];
}

function QualificationRuleEditor({ rule, reload }: { rule: QualificationRule; reload: () => void }) {
  const [draft, setDraft] = useState(rule);
  const [reason, setReason] = useState('');
  const { act, actionError } = useAction(reload);
  const number = (value: string) => (value === '' ? Number.NaN : Number(value));
  const changed = JSON.stringify(draft) !== JSON.stringify(rule);
  const blockers = saveBlockers({ changed, problems: problemsOf(draft), reasonNeeded: reason.trim() === '' });
  return (
    <section className="panel" aria-labelledby="qualification-title" data-testid="qualification-rule">
      <h2 id="qualification-title">Reader qualification</h2>
      <p className="muted">A reader passes a qualification set by finding at least this share of its lesions with at most this many false positives per scan (one region at one visit).</p>
      <div className="inline-form">
        <label className="field">
          Sensitivity at least (%)
          <input className="narrow" type="number" min={0} max={100} step={5} data-testid="qualification-sensitivity" value={Math.round(draft.minSensitivity * 1000) / 10} onChange={(event) => setDraft({ ...draft, minSensitivity: number(event.target.value) / 100 })} />
        </label>
        <label className="field">
          False positives per scan at most
          <input className="narrow" type="number" min={0} max={100} step={0.1} data-testid="qualification-false-positives" value={draft.maxFalsePositivesPerScan} onChange={(event) => setDraft({ ...draft, maxFalsePositivesPerScan: number(event.target.value) })} />
        </label>
        <label className="field">
          A mark is the lesion within (mm)
          <input className="narrow" type="number" min={1} max={50} step={0.5} data-testid="qualification-tolerance" value={draft.pairingToleranceMm} onChange={(event) => setDraft({ ...draft, pairingToleranceMm: number(event.target.value) })} />
        </label>
        <input className="reason" aria-label="Reason for the change" data-testid="qualification-reason" placeholder="Reason for the change (required; kept in the audit trail)" value={reason} onChange={(event) => setReason(event.target.value)} />
        <SaveButton testId="save-qualification" blockers={blockers} onSave={() => void act(() => client.saveQualificationRule({ rule: draft, reason: reason.trim() }))}>
          Save
        </SaveButton>
      </div>
      {changed && <WhyNot reasons={blockers} />}
      {actionError && <ErrorNotice title="Not saved" message={actionError} />}
    </section>
  );
}
