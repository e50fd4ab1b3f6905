// The participant x visit x region grid: which series are present, missing
// or waiting for a decision, and how far each read has come. A present cell
// opens its series.
import { REGIONS } from '../../../shared/protocol';
import { client } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { plural } from '../format';
import { useLoaded } from '../use-loaded';
import type { ReadingTarget } from '../reading/reading-store';
import { READ_STATUS_LABEL, REGION_LABEL, REGION_SHORT } from './labels';

const loadWorklist = () => client.worklist({});

export function WorklistView({ onRead, onReview }: { onRead: (target: ReadingTarget) => void; onReview: () => void }) {
  const { data: worklist, error } = useLoaded(loadWorklist);
  if (error) return <ErrorNotice title="The worklist could not be read" message={error} />;
  if (!worklist) return <p className="muted page-pad">Loading the worklist…</p>;
  if (worklist.rows.length === 0) {
    return (
      <div className="page-pad empty-page" data-testid="worklist-empty">
        <h2>No participants yet</h2>
        <p className="muted">Add participants and map their DICOM patient IDs under Trial setup, or open the demo trial to see the workflow.</p>
      </div>
    );
  }
  return (
    <div className="worklist page-pad" data-testid="worklist">
      <table className="grid-table">
        <thead>
          <tr>
            <th rowSpan={2}>Participant</th>
            {worklist.visits.map((visit) => (
              <th key={visit.code} colSpan={REGIONS.length} className="visit-head">
                {visit.label}
              </th>
            ))}
          </tr>
          <tr>
            {worklist.visits.flatMap((visit) =>
              REGIONS.map((region) => (
                <th key={`${visit.code}-${region}`} className="region-head" title={REGION_LABEL[region]}>
                  {REGION_SHORT[region]}
                </th>
              )),
            )}
          </tr>
        </thead>
        <tbody>
          {worklist.rows.map((row) => (
            <tr key={row.participantId} data-testid="worklist-row" data-subject={row.subjectCode}>
              <th scope="row">{row.subjectCode}</th>
              {worklist.visits.flatMap((visit) =>
                REGIONS.map((region) => {
                  const cell = row.cells.find((item) => item.visitCode === visit.code && item.region === region);
                  const status = cell?.status ?? 'missing';
                  const first = cell?.series[0];
                  const title = `${row.subjectCode} ${visit.label} ${REGION_LABEL[region]}: ${status}${cell ? `, read ${READ_STATUS_LABEL[cell.readStatus]}` : ''}${
                    cell?.series.length ? `\n${cell.series.map((series) => `${series.description} (${series.sequence})`).join('\n')}` : ''
                  }`;
                  return (
                    <td key={`${visit.code}-${region}`} className={`cell cell-${status} read-${cell?.readStatus ?? 'not_started'}`} data-testid="worklist-cell" data-status={status} title={title}>
                      {status === 'present' && first ? (
                        <button type="button" className="cell-button" onClick={() => onRead({ participantId: row.participantId, region, visitCode: visit.code })} aria-label={title}>
                          {cell!.readStatus === 'signed' ? '✓' : '●'}
                        </button>
                      ) : status === 'review' ? (
                        <button type="button" className="cell-button" onClick={onReview} aria-label={title}>
                          ?
                        </button>
                      ) : (
                        <span aria-label={title}>–</span>
                      )}
                    </td>
                  );
                }),
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="legend muted">
        ● series present · ✓ read signed · ? needs a decision · – missing. B brain, S spinal cord, O optic nerves.
      </p>
      {worklist.review.length > 0 && (
        <section className="panel review-panel" data-testid="worklist-review">
          <h2>Waiting for a decision</h2>
          <p className="muted">{plural(worklist.review.length, 'study or series', 'studies or series')} could not be placed without a reader.</p>
          <ul>
            {worklist.review.slice(0, 50).map((item) => (
              <li key={`${item.studyId}-${item.seriesId ?? 'study'}`}>{item.what}</li>
            ))}
          </ul>
          <button type="button" className="primary" onClick={onReview}>
            Review assignments
          </button>
        </section>
      )}
    </div>
  );
}
