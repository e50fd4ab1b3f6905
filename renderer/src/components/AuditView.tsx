// The audit trail for an auditor: newest first, filtered by participant,
// by who acted and by date, with the hash chain checked on every load.
import { useEffect, useState } from 'react';
import type { AuditTrail, Participant } from '../../../shared/contract';
import { client } from '../api';
import { errorMessage } from '../format';
import { ErrorNotice } from './ErrorNotice';
import { ExportPanel } from './ExportPanel';

function summary(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = JSON.stringify(value);
  return text.length > 140 ? `${text.slice(0, 140)}…` : text;
}

export function AuditView() {
  const [participants, setParticipants] = useState<Participant[]>([]);
  const [filter, setFilter] = useState<{ participantId?: number; actor?: string; from?: string; to?: string }>({});
  const [trail, setTrail] = useState<AuditTrail | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    client
      .trialSetup({})
      .then((setup) => setParticipants(setup.participants))
      .catch(() => setParticipants([]));
  }, []);
  useEffect(() => {
    client
      .auditTrail({ ...filter, limit: 1000 })
      .then((value) => {
        setTrail(value);
        setError(null);
      })
      .catch((failure: unknown) => setError(errorMessage(failure)));
  }, [filter]);

  const set = (change: Partial<typeof filter>) =>
    setFilter((value) => Object.fromEntries(Object.entries({ ...value, ...change }).filter(([, item]) => item !== undefined && item !== '')) as typeof filter);

  return (
    <div className="audit page-pad" data-testid="audit">
      <ExportPanel />
      <div className="inline-form">
        <select aria-label="Participant" value={filter.participantId ?? ''} onChange={(event) => set({ participantId: event.target.value ? Number(event.target.value) : undefined })}>
          <option value="">all participants</option>
          {participants.map((participant) => (
            <option key={participant.id} value={participant.id}>
              {participant.subjectCode}
            </option>
          ))}
        </select>
        <select aria-label="Who" value={filter.actor ?? ''} onChange={(event) => set({ actor: event.target.value || undefined })}>
          <option value="">everyone</option>
          {trail?.actors.map((actor) => (
            <option key={actor} value={actor}>
              {actor}
            </option>
          ))}
        </select>
        <label>
          from <input type="date" aria-label="From" value={filter.from ?? ''} onChange={(event) => set({ from: event.target.value || undefined })} />
        </label>
        <label>
          to <input type="date" aria-label="To" value={filter.to ?? ''} onChange={(event) => set({ to: event.target.value || undefined })} />
        </label>
        {trail && (
          <span className={trail.chain.ok ? 'chain-ok' : 'warn-text'} data-testid="chain">
            {trail.chain.ok ? `Hash chain intact: ${trail.chain.entries} entries` : `Hash chain BROKEN at entry ${trail.chain.firstBrokenSeq}: ${trail.chain.problem}`}
          </span>
        )}
      </div>
      {error && <ErrorNotice title="The audit trail could not be read" message={error} />}
      {trail && (
        <table className="plain-table audit-table">
          <thead>
            <tr>
              <th>#</th>
              <th>When (UTC)</th>
              <th>Who</th>
              <th>What</th>
              <th>Before</th>
              <th>After</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {trail.entries.map((entry) => (
              <tr key={entry.seq} data-testid="audit-entry" data-action={entry.action}>
                <td>{entry.seq}</td>
                <td>{entry.at.replace('T', ' ').slice(0, 19)}</td>
                <td>{entry.actor}</td>
                <td>
                  {entry.action} <span className="muted">{entry.entityId ?? ''}</span>
                </td>
                <td className="muted json">{summary(entry.oldValue)}</td>
                <td className="json">{summary(entry.newValue)}</td>
                <td>{entry.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
