// Each imported study's participant and visit, and each series' region and
// sequence: suggested by the rules, confirmed or overridden by a reader.
// Nothing ambiguous is placed silently; those rows come first.
import { useState } from 'react';
import { type Sequence, SequenceSchema, type StudyAssignment } from '../../../shared/contract';
import { REGIONS, unscheduledVisitCode } from '../../../shared/protocol';
import { client } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatStudyDate, plural } from '../format';
import { useAction, useLoaded } from '../use-loaded';
import { REGION_LABEL } from './labels';

const EXCLUDED = 'excluded';
const NOT_READ = 'none';

const loadAll = () => Promise.all([client.listAssignments({}), client.trialSetup({})]);

export function AssignmentsView() {
  const { data, error, reload } = useLoaded(loadAll);
  const [reason, setReason] = useState('');
  const [onlyReview, setOnlyReview] = useState(true);
  const { act, actionError } = useAction(reload);

  if (error) return <ErrorNotice title="The assignments could not be read" message={error} />;
  if (!data) return <p className="muted page-pad">Loading assignments…</p>;
  const [studies, setup] = data;
  const needingReview = studies.filter((study) => study.needsReview || study.series.some((series) => series.needsReview));
  const shown = onlyReview && needingReview.length > 0 ? needingReview : studies;
  const why = reason.trim() || undefined;

  return (
    <div className="assignments page-pad" data-testid="assignments">
      <div className="inline-form">
        <label>
          <input type="checkbox" checked={onlyReview} onChange={(event) => setOnlyReview(event.target.checked)} /> Only what needs a decision ({needingReview.length} of{' '}
          {plural(studies.length, 'study', 'studies')})
        </label>
        <input className="reason" aria-label="Reason for overrides" placeholder="Reason for overrides (kept in the audit trail)" value={reason} onChange={(event) => setReason(event.target.value)} />
      </div>
      {actionError && <ErrorNotice title="Not saved" message={actionError} />}
      {shown.length === 0 && <p className="muted">No studies imported yet.</p>}
      {shown.map((study) => (
        <StudyCard key={study.studyId} study={study} visitCodes={setup.schedule.visits.map((visit) => visit.code)} reason={why} act={act} />
      ))}
    </div>
  );
}

function StudyCard({ study, visitCodes, reason, act }: { study: StudyAssignment; visitCodes: string[]; reason: string | undefined; act: (action: () => Promise<unknown>) => Promise<void> }) {
  const visitValue = study.visitCode ?? (study.visitSource === 'none' ? '' : EXCLUDED);
  const unscheduled = unscheduledVisitCode(study.studyDate);
  return (
    <section className={`panel study-card${study.needsReview ? ' needs-review' : ''}`} data-testid="study-assignment">
      <header className="study-head">
        <strong>{study.subjectCode ?? `PatientID ${study.patientId || '(empty)'}`}</strong>
        <span>{formatStudyDate(study.studyDate)}</span>
        <span className="muted">{study.description}</span>
        <select
          aria-label="Visit"
          value={visitValue}
          disabled={study.participantId === null}
          onChange={(event) => void act(() => client.assignStudy({ studyId: study.studyId, visitCode: event.target.value === EXCLUDED ? null : event.target.value, reason }))}
        >
          {visitValue === '' && <option value="">no visit</option>}
          {visitCodes.map((code) => (
            <option key={code} value={code}>
              {code}
            </option>
          ))}
          <option value={unscheduled}>unscheduled ({formatStudyDate(study.studyDate)})</option>
          <option value={EXCLUDED}>not read (excluded)</option>
        </select>
        <span className={`source source-${study.visitSource}`}>{study.visitSource}</span>
        {study.visitSource === 'suggested' && study.visitCode !== null && (
          <button type="button" onClick={() => void act(() => client.assignStudy({ studyId: study.studyId, visitCode: study.visitCode, reason }))}>
            Confirm visit
          </button>
        )}
      </header>
      <p className={study.needsReview ? 'warn-text' : 'muted'}>{study.visitNote}</p>
      <table className="plain-table">
        <tbody>
          {study.series.map((series) => (
            <tr key={series.seriesId} className={series.needsReview ? 'needs-review' : ''} data-testid="series-assignment">
              <td>{series.seriesNumber ?? ''}</td>
              <td>{series.description || '(no description)'}</td>
              <td className="muted">
                {series.modality} {series.orientation ?? ''} · {plural(series.sliceCount, 'slice')}
              </td>
              <td>
                <select
                  aria-label={`Region of ${series.description}`}
                  value={series.region ?? NOT_READ}
                  onChange={(event) => void act(() => client.assignSeries({ seriesId: series.seriesId, region: event.target.value === NOT_READ ? null : (event.target.value as (typeof REGIONS)[number]), sequence: series.sequence, reason }))}
                >
                  {REGIONS.map((region) => (
                    <option key={region} value={region}>
                      {REGION_LABEL[region]}
                    </option>
                  ))}
                  <option value={NOT_READ}>not a reading series</option>
                </select>
              </td>
              <td>
                <select
                  aria-label={`Sequence of ${series.description}`}
                  value={series.sequence}
                  onChange={(event) => void act(() => client.assignSeries({ seriesId: series.seriesId, region: series.region, sequence: event.target.value as Sequence, reason }))}
                >
                  {SequenceSchema.options.map((sequence) => (
                    <option key={sequence}>{sequence}</option>
                  ))}
                </select>
              </td>
              <td className={`source source-${series.source}`}>{series.source}</td>
              <td className={series.needsReview ? 'warn-text' : 'muted'}>{series.note}</td>
              <td>
                {series.source === 'suggested' && (
                  <button type="button" onClick={() => void act(() => client.assignSeries({ seriesId: series.seriesId, region: series.region, sequence: series.sequence, reason }))}>
                    Confirm
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
