// Reader sessions: how long a chosen reader may be idle before their secret
// is asked again (21 CFR Part 11 session controls). A trial setting, changed
// with a reason that goes into the audit trail.
import { useState } from 'react';
import type { SessionSettings } from '../../../shared/contract';
import { client } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { SaveButton, saveBlockers, WhyNot } from '../components/WhyNot';
import { useAction } from '../use-loaded';
import { SettingPanel } from './SettingPanel';

const loadSettings = () => client.sessionSettings({});

export function SessionSettingsPanel() {
  return <SettingPanel load={loadSettings} what="The session settings" editor={(settings, reload) => <SessionSettingsEditor settings={settings} reload={reload} />} />;
}

function SessionSettingsEditor({ settings, reload }: { settings: SessionSettings; reload: () => void }) {
  const [minutes, setMinutes] = useState(String(settings.idleMinutes));
  const [reason, setReason] = useState('');
  const { act, actionError } = useAction(reload);
  const value = Number(minutes);
  const problems = Number.isInteger(value) && value >= 1 && value <= 240 ? [] : ['The idle limit must be a whole number of minutes from 1 to 240.'];
  const blockers = saveBlockers({ changed: value !== settings.idleMinutes, problems, reasonNeeded: reason.trim() === '' });
  return (
    <section className="panel" aria-labelledby="session-title" data-testid="session-settings">
      <h2 id="session-title">Reader sessions</h2>
      <p className="muted">After this long without using the workstation, a reader gives their secret again before any change.</p>
      <div className="inline-form">
        <label className="field">
          Idle limit (minutes)
          <input className="narrow" type="number" min={1} max={240} data-testid="idle-minutes" value={minutes} onChange={(event) => setMinutes(event.target.value)} />
        </label>
        <input className="reason" aria-label="Reason for the change" data-testid="idle-reason" placeholder="Reason for the change (required; kept in the audit trail)" value={reason} onChange={(event) => setReason(event.target.value)} />
        <SaveButton testId="save-idle" blockers={blockers} onSave={() => void act(() => client.saveSessionSettings({ settings: { idleMinutes: value }, reason: reason.trim() }))}>
          Save
        </SaveButton>
      </div>
      {value !== settings.idleMinutes && <WhyNot reasons={blockers} />}
      {actionError && <ErrorNotice title="Not saved" message={actionError} />}
    </section>
  );
}
