// Trial setup: participants with their baseline dates, the mapping from DICOM
// PatientID to participant, the visit schedule and classification rules that
// the suggestions come from, and the reading charter (every change is
// audited in main).
import { type FormEvent, useState } from 'react';
import type { TrialSetup } from '../../../shared/contract';
import { client } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { useAction, useLoaded } from '../use-loaded';
import { CharterPanel } from './CharterEditor';
import { ProtocolEditor } from './ProtocolEditor';
import { QualificationRulePanel } from './QualificationRulePanel';
import { LayoutDefaultsPanel } from './LayoutDefaultsPanel';
import { ReadingDesignPanel } from './ReadingDesignPanel';
import { SessionSettingsPanel } from './SessionSettingsPanel';
import { baselineDateProblem, localDay } from '../../../shared/validation';
import { WhyNot } from '../components/WhyNot';

const loadSetup = () => client.trialSetup({});

export function TrialSetupView() {
  const { data: setup, error, reload } = useLoaded(loadSetup);
  const { act, actionError } = useAction(reload);

  if (error) return <ErrorNotice title="The trial setup could not be read" message={error} />;
  if (!setup) return <p className="muted page-pad">Loading the trial setup…</p>;
  return (
    <div className="setup page-pad" data-testid="trial-setup">
      {actionError && <ErrorNotice title="Not saved" message={actionError} />}
      <div className="setup-columns">
        <ParticipantsPanel setup={setup} act={act} />
        <PatientsPanel setup={setup} act={act} />
      </div>
      <ProtocolEditor key={JSON.stringify([setup.schedule, setup.rules])} setup={setup} act={act} />
      <CharterPanel />
      <QualificationRulePanel />
      <ReadingDesignPanel />
      <LayoutDefaultsPanel />
      <SessionSettingsPanel />
    </div>
  );
}

type Act = (action: () => Promise<unknown>) => Promise<void>;

function ParticipantsPanel({ setup, act }: { setup: TrialSetup; act: Act }) {
  const [subjectCode, setSubjectCode] = useState('');
  const [baselineDate, setBaselineDate] = useState('');
  const dateProblem = baselineDate === '' ? null : baselineDateProblem(baselineDate, localDay(new Date()));
  const blockers = [
    ...(subjectCode.trim() === '' ? ['Give the subject code.'] : []),
    ...(baselineDate === '' ? ['Give the baseline date (week 0).'] : dateProblem ? [dateProblem] : []),
  ];

  function add(event: FormEvent) {
    event.preventDefault();
    void act(() => client.saveParticipant({ subjectCode: subjectCode.trim(), baselineDate })).then(() => {
      setSubjectCode('');
      setBaselineDate('');
    });
  }

  return (
    <section className="panel" aria-labelledby="participants-title">
      <h2 id="participants-title">Participants</h2>
      <table className="plain-table" data-testid="participants">
        <thead>
          <tr>
            <th>Subject</th>
            <th>Baseline (week 0)</th>
          </tr>
        </thead>
        <tbody>
          {setup.participants.map((participant) => (
            <tr key={participant.id} data-testid="participant-row">
              <td>{participant.subjectCode}</td>
              <td>
                <input
                  type="date"
                  aria-label={`Baseline date of ${participant.subjectCode}`}
                  defaultValue={participant.baselineDate}
                  onBlur={(event) => {
                    if (event.target.value && event.target.value !== participant.baselineDate) {
                      void act(() => client.saveParticipant({ id: participant.id, subjectCode: participant.subjectCode, baselineDate: event.target.value }));
                    }
                  }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="inline-form" onSubmit={add}>
        <input data-testid="new-subject" aria-label="Subject code" placeholder="Subject, e.g. 001" value={subjectCode} onChange={(event) => setSubjectCode(event.target.value)} />
        <input data-testid="new-baseline" aria-label="Baseline date" type="date" value={baselineDate} onChange={(event) => setBaselineDate(event.target.value)} />
        <button type="submit" className="primary" data-testid="add-participant" disabled={blockers.length > 0} title={blockers.join(' ') || undefined}>
          Add
        </button>
      </form>
      {(subjectCode !== '' || baselineDate !== '') && <WhyNot reasons={blockers} />}
    </section>
  );
}

function PatientsPanel({ setup, act }: { setup: TrialSetup; act: Act }) {
  return (
    <section className="panel" aria-labelledby="patients-title">
      <h2 id="patients-title">DICOM patients</h2>
      <p className="muted">Map each PatientID found in the imported studies to a participant. Studies of an unmapped patient wait for review.</p>
      {setup.patients.length === 0 ? (
        <p className="muted">No studies imported yet.</p>
      ) : (
        <table className="plain-table" data-testid="patients">
          <thead>
            <tr>
              <th>PatientID</th>
              <th>Studies</th>
              <th>Participant</th>
            </tr>
          </thead>
          <tbody>
            {setup.patients.map((patient) => (
              <tr key={patient.id} data-testid="patient-row">
                <td>{patient.patientId || '(empty)'}</td>
                <td>{patient.studyCount}</td>
                <td>
                  <select
                    aria-label={`Participant for PatientID ${patient.patientId}`}
                    data-testid="patient-link"
                    value={patient.participantId ?? ''}
                    onChange={(event) => void act(() => client.linkPatient({ patientRef: patient.id, participantId: event.target.value === '' ? null : Number(event.target.value) }))}
                  >
                    <option value="">not mapped</option>
                    {setup.participants.map((participant) => (
                      <option key={participant.id} value={participant.id}>
                        {participant.subjectCode}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
