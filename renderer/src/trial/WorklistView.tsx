// The participant x visit x region grid: where each read stands (its state,
// who changed it last and when, its new-or-enlarging count), filtered by
// state and reader, with the next read to open. A present cell opens its
// read; a cell whose images wait for a placement opens the review.
import { useMemo, useState } from 'react';
import type { ReadState, Worklist } from '../../../shared/contract';
import { ReadStateSchema } from '../../../shared/contract';
import { REGIONS, type Region } from '../../../shared/protocol';
import { type ReadFilter, matchesFilter, nextBlindedRead, nextRead } from '../../../shared/read-state';
import { ErrorNotice } from '../components/ErrorNotice';
import { errorMessage, plural } from '../format';
import { useWorklist } from '../reading/reading-queries';
import type { ReadingTarget } from '../reading/reading-store';
import { READ_STATE, READ_STATUS_LABEL, REGION_LABEL, REGION_SHORT } from './labels';

type Row = Worklist['rows'][number];
type Cell = Row['cells'][number];

const TRACK_NAME: Readonly<Record<string, string>> = { reader1: 'Reader 1', reader2: 'Reader 2' };
const TRACK_SHORT: Readonly<Record<string, string>> = { reader1: 'R1', reader2: 'R2' };

/** An ISO time as the cell shows it, short and in UTC: "11-30 17:05". */
const shortTime = (iso: string) => `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;

function cellTitle(row: Row, visitLabel: string, cell: Cell): string {
  const status = cell.readStatus === 'amended' || cell.readStatus === 'unlocked' ? ` (${READ_STATUS_LABEL[cell.readStatus]})` : '';
  return [
    `${row.subjectCode} ${visitLabel} ${REGION_LABEL[cell.region]}: ${READ_STATE[cell.readState].label}${status}`,
    ...(cell.reader && cell.changedAt ? [`Last changed by ${cell.reader} at ${cell.changedAt.replace('T', ' ').slice(0, 16)} UTC`] : []),
    ...(cell.reader && cell.newOrEnlarging !== null ? [`New or enlarging: ${cell.newOrEnlarging}`] : []),
    ...(cell.tracks ?? []).map((track) => `${TRACK_NAME[track.track]}: ${track.reader ?? 'not taken'}, ${track.signed ? 'signed' : 'not signed'}`),
    ...cell.problems,
    ...cell.series.map((series) => `${series.description} (${series.sequence})`),
  ].join('\n');
}

export function WorklistView({ onRead, onReview, blinded }: { onRead: (target: ReadingTarget) => void; onReview: () => void; blinded: boolean }) {
  const { data: worklist, error } = useWorklist();
  if (blinded && worklist) return <BlindedWorklist worklist={worklist} onRead={onRead} />;
  return <WorklistGrid worklist={worklist} error={error} onRead={onRead} onReview={onReview} />;
}

/**
 * A blinded reader's worklist: their reads one at a time in the seeded random order main gives, never as a grid
 * of visits (which would say which visit each read is).
 */
function BlindedWorklist({ worklist, onRead }: { worklist: Worklist; onRead: (target: ReadingTarget) => void }) {
  const next = nextBlindedRead(worklist);
  const reads = worklist.readOrder ?? [];
  const signed = reads.filter((read) => worklist.rows.find((row) => row.participantId === read.participantId)?.cells.find((cell) => cell.visitCode === read.visitCode && cell.region === read.region)?.readState === 'signed').length;
  const subject = (participantId: number) => worklist.rows.find((row) => row.participantId === participantId)?.subjectCode ?? '';
  return (
    <div className="worklist page-pad blinded-worklist" data-testid="worklist" data-blinded="true">
      <h2>Blinded reading</h2>
      <p className="muted">
        Your reads come one at a time, in an order of their own across participants and scans. {signed} of {plural(reads.length, 'read')} signed.
      </p>
      <button type="button" className="primary" data-testid="next-read" disabled={next === null} onClick={() => next && onRead({ participantId: next.participantId, region: next.region as Region, visitCode: next.visitCode })}>
        {next ? `Next read: ${subject(next.participantId)} ${REGION_LABEL[next.region as Region]}` : 'Every read is signed'}
      </button>
    </div>
  );
}

function WorklistGrid({ worklist, error, onRead, onReview }: { worklist: Worklist | undefined; error: Error | null; onRead: (target: ReadingTarget) => void; onReview: () => void }) {
  const [filter, setFilter] = useState<ReadFilter>({ state: null, reader: null });
  const readers = useMemo(() => [...new Set(worklist?.rows.flatMap((row) => row.cells.flatMap((cell) => (cell.reader ? [cell.reader] : []))))].sort(), [worklist]);
  if (error) return <ErrorNotice title="The worklist could not be read" message={errorMessage(error)} />;
  if (!worklist) return <p className="muted page-pad">Loading the worklist…</p>;
  if (worklist.rows.length === 0) {
    return (
      <div className="page-pad empty-page" data-testid="worklist-empty">
        <h2>No participants yet</h2>
        <p className="muted">Add participants and map their DICOM patient IDs under Trial setup, or open the demo trial to see the workflow.</p>
      </div>
    );
  }
  const tally = new Map<ReadState, number>();
  for (const cell of worklist.rows.flatMap((row) => row.cells)) tally.set(cell.readState, (tally.get(cell.readState) ?? 0) + 1);
  const rows = worklist.rows.filter((row) => row.cells.some((cell) => matchesFilter(cell, filter)));
  const next = nextRead(rows, filter);
  const visitLabel = (code: string) => worklist.visits.find((visit) => visit.code === code)?.label ?? code;
  const open = (row: Row, cell: Cell) => onRead({ participantId: row.participantId, region: cell.region, visitCode: cell.visitCode });
  return (
    <div className="worklist page-pad" data-testid="worklist">
      <div className="worklist-bar">
        <label>
          State{' '}
          <select data-testid="worklist-filter-state" value={filter.state ?? ''} onChange={(event) => setFilter({ ...filter, state: event.target.value === '' ? null : ReadStateSchema.parse(event.target.value) })}>
            <option value="">every state</option>
            {ReadStateSchema.options.map((state) => (
              <option key={state} value={state}>
                {READ_STATE[state].label} ({tally.get(state) ?? 0})
              </option>
            ))}
          </select>
        </label>
        <label>
          Reader{' '}
          <select data-testid="worklist-filter-reader" value={filter.reader ?? ''} onChange={(event) => setFilter({ ...filter, reader: event.target.value === '' ? null : event.target.value })}>
            <option value="">every reader</option>
            {readers.map((reader) => (
              <option key={reader} value={reader}>
                {reader}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="primary"
          data-testid="next-read"
          disabled={next === null}
          title={next ? `Open ${next.row.subjectCode} ${visitLabel(next.cell.visitCode)} ${REGION_LABEL[next.cell.region]} (${READ_STATE[next.cell.readState].label})` : 'Every read shown is signed or has no images'}
          onClick={() => next && open(next.row, next.cell)}
        >
          Next read
        </button>
        <span className="muted" data-testid="worklist-shown">
          {rows.length === worklist.rows.length ? plural(rows.length, 'participant') : `${rows.length} of ${plural(worklist.rows.length, 'participant')}`}
        </span>
      </div>
      <div className="worklist-scroll">
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
            {rows.map((row) => (
              <tr key={row.participantId} data-testid="worklist-row" data-subject={row.subjectCode}>
                <th scope="row">{row.subjectCode}</th>
                {row.cells.map((cell) => (
                  <WorklistCell key={`${cell.visitCode}-${cell.region}`} cell={cell} title={cellTitle(row, visitLabel(cell.visitCode), cell)} dim={!matchesFilter(cell, filter)} onOpen={() => (cell.status === 'present' ? open(row, cell) : onReview())} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="legend muted" data-testid="worklist-legend">
        {ReadStateSchema.options.map((state) => (
          <li key={state}>
            <span className={`state-mark state-${state}`}>{READ_STATE[state].mark}</span> {READ_STATE[state].label}: {READ_STATE[state].meaning}
          </li>
        ))}
        <li>+n new or enlarging at that visit · B brain, S spinal cord, O optic nerves · times in UTC</li>
      </ul>
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

/** One read: a button when there is something to open (its images, or the placement to decide). */
function WorklistCell({ cell, title, dim, onOpen }: { cell: Cell; title: string; dim: boolean; onOpen: () => void }) {
  const state = READ_STATE[cell.readState];
  const attributes = { 'data-testid': 'worklist-cell', 'data-status': cell.status, 'data-read-state': cell.readState, 'data-reader': cell.reader ?? '', 'data-count': cell.newOrEnlarging ?? '' };
  const className = `cell state-${cell.readState}${dim ? ' cell-dim' : ''}`;
  if (cell.status === 'missing') {
    return (
      <td {...attributes} className={className} title={title}>
        <span aria-label={title}>{state.mark}</span>
      </td>
    );
  }
  return (
    <td {...attributes} className={className}>
      <button type="button" className="cell-button" onClick={onOpen} title={title} aria-label={title}>
        <span className="cell-line">
          <span className="state-mark">{state.mark}</span>
          {cell.reader && cell.newOrEnlarging !== null && <span className="cell-count">+{cell.newOrEnlarging}</span>}
        </span>
        {cell.tracks && (
          <span className="cell-tracks" data-testid="cell-tracks">
            {cell.tracks.map((track) => (
              <span key={track.track} data-track={track.track} data-signed={track.signed ? 'true' : 'false'}>
                {TRACK_SHORT[track.track]} {track.signed ? '✓' : '…'}
              </span>
            ))}
          </span>
        )}
        {cell.reader && cell.changedAt && (
          <span className="cell-meta">
            {cell.reader}
            <br />
            {shortTime(cell.changedAt)}
          </span>
        )}
      </button>
    </td>
  );
}
