// The visit schedule and the rules behind every suggestion, shown and
// editable: a reader can see why a series was called "spinal cord" and
// change the rule, with a reason that goes into the audit trail.
import { useState } from 'react';
import type { TrialSetup } from '../../../shared/contract';
import { scheduleProblems } from '../../../shared/validation';
import { client } from '../api';
import { SaveButton, saveBlockers, WhyNot } from '../components/WhyNot';
import { REGION_LABEL } from './labels';

type Schedule = TrialSetup['schedule'];
type Rules = TrialSetup['rules'];

export function ProtocolEditor({ setup, act }: { setup: TrialSetup; act: (action: () => Promise<unknown>) => Promise<void> }) {
  const [schedule, setSchedule] = useState<Schedule>(setup.schedule);
  const [rules, setRules] = useState<Rules>(setup.rules);
  const [reason, setReason] = useState('');
  const changed = JSON.stringify([schedule, rules]) !== JSON.stringify([setup.schedule, setup.rules]);
  // The schedule's rules as the user types; a reason is asked by the audit trail but not required here.
  const blockers = saveBlockers({ changed, problems: scheduleProblems(schedule), reasonNeeded: false });

  const setVisit = (index: number, change: Partial<Schedule['visits'][number]>) =>
    setSchedule({ ...schedule, visits: schedule.visits.map((visit, at) => (at === index ? { ...visit, ...change } : visit)) });
  const setRegionPattern = (index: number, pattern: string) => setRules({ ...rules, regions: rules.regions.map((rule, at) => (at === index ? { ...rule, pattern } : rule)) });
  const setSequencePattern = (index: number, pattern: string) => setRules({ ...rules, sequences: rules.sequences.map((rule, at) => (at === index ? { ...rule, pattern } : rule)) });

  return (
    <section className="panel protocol" aria-labelledby="protocol-title" data-testid="protocol">
      <h2 id="protocol-title">Visit schedule and assignment rules</h2>
      <div className="setup-columns">
        <div>
          <h3>Visits</h3>
          <table className="plain-table">
            <thead>
              <tr>
                <th>Code</th>
                <th>Label</th>
                <th>Week</th>
                <th>In endpoint</th>
              </tr>
            </thead>
            <tbody>
              {schedule.visits.map((visit, index) => (
                <tr key={visit.code}>
                  <td>{visit.code}</td>
                  <td>
                    <input aria-label={`Label of ${visit.code}`} value={visit.label} onChange={(event) => setVisit(index, { label: event.target.value })} />
                  </td>
                  <td>
                    <input className="narrow" aria-label={`Week of ${visit.code}`} type="number" min={0} max={520} value={visit.week} onChange={(event) => setVisit(index, { week: Number(event.target.value) })} />
                  </td>
                  <td>
                    <input type="checkbox" aria-label={`${visit.code} counts in the endpoint`} checked={visit.inEndpoint} onChange={(event) => setVisit(index, { inEndpoint: event.target.checked })} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <label className="field">
            Window around each scheduled week (days)
            <input className="narrow" type="number" min={0} max={60} data-testid="tolerance" value={schedule.toleranceDays} onChange={(event) => setSchedule({ ...schedule, toleranceDays: Number(event.target.value) })} />
          </label>
          <p className="muted">A study outside every window is unscheduled and waits for a reader.</p>
        </div>
        <div>
          <h3>Regions (first match on description, protocol and body part, then orientation)</h3>
          <table className="plain-table rules">
            <tbody>
              {rules.regions.map((rule, index) => (
                <tr key={rule.id}>
                  <td>{REGION_LABEL[rule.region]}</td>
                  <td>
                    <input className="pattern" aria-label={`Pattern for ${rule.id}`} spellCheck={false} value={rule.pattern} onChange={(event) => setRegionPattern(index, event.target.value)} />
                  </td>
                  <td className="muted">{rule.orientations?.join(', ') ?? 'any plane'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Sequences</h3>
          <table className="plain-table rules">
            <tbody>
              {rules.sequences.map((rule, index) => (
                <tr key={rule.sequence}>
                  <td>{rule.sequence}</td>
                  <td>
                    <input className="pattern" aria-label={`Pattern for ${rule.sequence}`} spellCheck={false} value={rule.pattern} onChange={(event) => setSequencePattern(index, event.target.value)} />
                  </td>
                </tr>
              ))}
              <tr>
                <td>Ignore</td>
                <td>
                  <input className="pattern" aria-label="Pattern of series to ignore" spellCheck={false} value={rules.ignorePattern} onChange={(event) => setRules({ ...rules, ignorePattern: event.target.value })} />
                </td>
              </tr>
            </tbody>
          </table>
        </div>
      </div>
      <div className="inline-form">
        <input className="reason" aria-label="Reason for the change" placeholder="Reason for the change (kept in the audit trail)" value={reason} onChange={(event) => setReason(event.target.value)} />
        <SaveButton testId="save-protocol" blockers={blockers} onSave={() => void act(() => client.saveProtocol({ schedule, rules, reason: reason.trim() || undefined }))}>
          Save schedule and rules
        </SaveButton>
        <button type="button" disabled={!changed} onClick={() => (setSchedule(setup.schedule), setRules(setup.rules))}>
          Undo changes
        </button>
      </div>
      {changed && <WhyNot reasons={blockers} />}
    </section>
  );
}
