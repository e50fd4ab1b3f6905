// Beside the panes: the charter in force, the counts as they stand, the
// participant's counts over visits, the sign-off, and the lesions of this
// region with what was seen of each at each visit. Each lesion row keeps its
// own form (override, reason, merge), so nothing typed for one lesion shows
// on another. Every change goes to main at once (one transaction with its
// audit entry); a signed read's controls are disabled, saying why.
import { useState } from 'react';
import { type CountsReport, type LesionChange, LesionStatusSchema, type LesionView, type MeasuredExtent, type ReadReadiness, type ReaderView, type SignatureView, type VertebralLevel } from '../../../shared/contract';
import { type Region, VERTEBRAL_LEVELS } from '../../../shared/protocol';
import { detailsMissing, type RegionDetails } from '../../../shared/region-details';
import { client } from '../api';
import { command } from '../commands/command-table';
import { commandTitle } from '../commands/command';
import type { ReadKey } from '../queries';
import { findingWords, suggestionWord } from './lesion-labels';
import { changeLesions } from './reading-queries';
import { SignOff } from './SignOff';
import { type PendingMeasurement, type Tool, useReading } from './reading-store';

type Status = (typeof LesionStatusSchema.options)[number];
/** A reader overrides the counting status; resolved, not evaluable and merged are findings, each recorded by its own button. */
const OVERRIDE_STATUSES = LesionStatusSchema.options.filter((status) => status !== 'merged' && status !== 'resolved' && status !== 'not_evaluable');

/** What the panel asks of the reading room. */
export interface LesionPanelActions {
  /** Selects a lesion and brings the panes to it. */
  jumpTo(lesionId: number): void;
  /** Takes a measuring tool, unless the read is signed. */
  startTool(tool: Tool): void;
  /** Saves a measurement that waited for its region details; `thenEnds`: then the reader clicks its ends, which give its extent. */
  save(pending: PendingMeasurement, thenEnds?: boolean): void;
  /** Goes to the next unreviewed candidate (from the sign-off's question). */
  nextCandidate(): void;
}

interface Props {
  /** Who is reading; null until someone is chosen, and marking waits for that. */
  reader: ReaderView | null;
  read: ReadKey;
  visits: readonly { code: string; label: string }[];
  lesions: readonly LesionView[];
  counts: CountsReport | null;
  /** The signature in force for this read, if any. */
  signature: SignatureView | null;
  readiness: ReadReadiness | null;
  /** Set when the read is signed: why every editing control is disabled, and how to unlock. */
  lockedBy: string | null;
  /** The read's candidates nobody has confirmed or dismissed yet: the sign-off asks before signing over them. */
  unreviewed: number;
  actions: LesionPanelActions;
}

export function LesionPanel({ reader, read, visits, lesions, counts, signature, readiness, lockedBy, unreviewed, actions }: Props) {
  const tool = useReading((state) => state.tool);
  const confirmation = useReading((state) => state.confirmation);
  const selectedLesionId = useReading((state) => state.selectedLesionId);
  const { cancelTool, select } = useReading.getState();
  const participant = counts?.participants[0] ?? null;
  const cell = participant?.cells.find((item) => item.visitCode === read.visitCode && item.region === read.region) ?? null;
  const charter = counts?.charter;
  // Every editing control: disabled on a signed read, saying who signed it and how to unlock.
  const editable = { disabled: lockedBy !== null, title: lockedBy ?? undefined };

  return (
    <aside className="lesion-panel" data-testid="lesion-panel">
      {!reader && (
        <p className="reader-hint" role="status" data-testid="reader-hint">
          Choose who is reading (top right) before marking: every mark records its reader.
        </p>
      )}
      {charter && (
        <p className="muted charter-line" data-testid="charter">
          Charter {charter.id}: comparator {charter.comparator === 'previous' ? 'previous scan' : 'baseline'}; lesions from {charter.minimumSizeMm} mm; enlarging when the longest diameter grows by {Math.round(charter.enlargingRelative * 100)}%{' '}
          {charter.enlargingRule === 'both' ? 'and' : 'or'} {charter.enlargingAbsoluteMm} mm.
        </p>
      )}
      <section className="counts-box" data-testid="counts">
        <div className="count">
          <strong data-testid="count-new">{cell?.new ?? 0}</strong> new
        </div>
        <div className="count">
          <strong data-testid="count-enlarging">{cell?.enlarging ?? 0}</strong> enlarging
        </div>
        <div className="count">
          <strong data-testid="count-new-or-enlarging">{cell?.newOrEnlarging ?? 0}</strong> new or enlarging
        </div>
        <div className="count endpoint">
          <strong data-testid="count-endpoint">{participant?.endpointTotal ?? 0}</strong> endpoint (all regions)
        </div>
      </section>
      {participant && <CountsChart cells={participant.cells} visits={visits} />}
      <SignOff key={`${read.participantId}-${read.visitCode}-${read.region}`} read={read} signature={signature} readiness={readiness} unreviewed={unreviewed} onJump={actions.jumpTo} onReviewCandidates={actions.nextCandidate} />

      <div className="inline-form">
        <button type="button" className="primary" data-testid="new-lesion" disabled={tool !== null || editable.disabled} onClick={() => actions.startTool('new')} title={editable.title ?? commandTitle(command('lesion-new'))}>
          New lesion
        </button>
        {tool && (
          <>
            <span className="warn-text" role="status" data-testid="measuring">
              Drag across the longest diameter in the {read.visitCode} pane.
            </span>
            <button type="button" onClick={cancelTool} title={commandTitle(command('cancel'))}>
              Cancel
            </button>
          </>
        )}
      </div>
      <PendingDetails region={read.region} onSave={actions.save} />

      {confirmation && (
        <p className="confirmation" role="status" data-testid="confirmation">
          {confirmation}
        </p>
      )}
      <ul className="lesion-list" data-testid="lesions">
        {lesions.length === 0 && <li className="muted">No lesions marked in this region yet.</li>}
        {lesions.map((lesion) => (
          <LesionRow
            key={lesion.id}
            lesion={lesion}
            others={lesions.filter((other) => other.id !== lesion.id)}
            read={read}
            selected={lesion.id === selectedLesionId}
            measuring={tool !== null}
            editable={editable}
            onSelect={() => (lesion.id === selectedLesionId ? select(null) : actions.jumpTo(lesion.id))}
            startTool={actions.startTool}
          />
        ))}
      </ul>
    </aside>
  );
}

/** One lesion: its history, and when selected, what can be recorded of it at this visit. Its form is its own. */
function LesionRow({
  lesion,
  others,
  read,
  selected,
  measuring,
  editable,
  onSelect,
  startTool,
}: {
  lesion: LesionView;
  others: readonly LesionView[];
  read: ReadKey;
  selected: boolean;
  measuring: boolean;
  editable: { disabled: boolean; title: string | undefined };
  onSelect: () => void;
  startTool: (tool: Tool) => void;
}) {
  const [overrideStatus, setOverrideStatus] = useState<Status | ''>('');
  const [reason, setReason] = useState('');
  const [mergeInto, setMergeInto] = useState('');
  const here = lesion.observations.find((item) => item.visitCode === read.visitCode) ?? null;
  const visitCode = read.visitCode;
  const change = (request: () => Promise<LesionChange>) => changeLesions(read, request);

  return (
    <li className={selected ? 'lesion selected' : 'lesion'} data-testid="lesion" data-label={lesion.label} data-status={here?.finalStatus ?? ''}>
      <button type="button" className="lesion-head" onClick={onSelect}>
        <strong>{lesion.label}</strong>
        {lesion.side && <span className="muted">{lesion.side}</span>}
        {lesion.splitFrom && (
          <span className="muted" data-testid="split-from">
            split from {lesion.splitFrom.label} at {lesion.splitFrom.atVisit}
          </span>
        )}
        {lesion.mergedFrom.length > 0 && (
          <span className="muted" data-testid="merged-from">
            merged from {lesion.mergedFrom.map((item) => `${item.label} (${item.atVisit})`).join(', ')}
          </span>
        )}
        <span className="visit-chips">
          {lesion.observations.map((observation) => (
            <span key={observation.visitCode} className={`chip status-${observation.finalStatus ?? 'none'}${observation.visitCode === visitCode ? ' here' : ''}`} title={observation.suggestion?.why ?? ''}>
              {[observation.visitCode, ...findingWords(observation)].join(' ')}
            </span>
          ))}
        </span>
      </button>
      {selected && (
        <fieldset className="bare" data-testid="lesion-actions" {...editable}>
          <div className="lesion-actions">
            {here?.suggestion && (
              <p className="muted" data-testid="suggestion">
                Suggested at {visitCode}: {suggestionWord(here.suggestion)} ({here.suggestion.why}){here.override ? `; overridden to ${here.override.status}: ${here.override.reason}` : ''}
              </p>
            )}
            {here?.levels && (
              <p className="muted" data-testid="lesion-levels">
                {here.levels.upper}–{here.levels.lower}, {here.levels.segments ?? '?'} segment{here.levels.segments === 1 ? '' : 's'}{here.levels.longitudinallyExtensive ? ', LETM' : ''}
                {here.extent ? `; ${measuredWords(here.extent)}` : '; typed from the list'}
              </p>
            )}
            {here?.opticExtent && (
              <p className="muted" data-testid="lesion-optic-extent">
                {here.opticExtent.beyondHalfLength ? 'over half the nerve' : 'half the nerve or less'}, {here.opticExtent.involvesChiasm ? 'reaches the chiasm' : 'short of the chiasm'}
                {here.extent ? `; ${measuredWords(here.extent)}` : '; ticked by hand'}
              </p>
            )}
            <div className="inline-form">
              <button type="button" data-testid="measure-selected" disabled={measuring} onClick={() => startTool('existing')} title={editable.title ?? commandTitle(command('lesion-measure'))}>
                {here ? `Measure again at ${visitCode}` : `Same lesion: measure at ${visitCode}`}
              </button>
              <button type="button" onClick={() => void change(() => client.recordObservation({ lesionId: lesion.id, visitCode, finding: { kind: 'resolved' } }))}>
                Resolved
              </button>
              <button type="button" onClick={() => void change(() => client.recordObservation({ lesionId: lesion.id, visitCode, finding: { kind: 'not_evaluable' } }))}>
                Not evaluable
              </button>
            </div>
            {others.length > 0 && (
              <div className="inline-form">
                <select aria-label="Merged into" value={mergeInto} onChange={(event) => setMergeInto(event.target.value)}>
                  <option value="">merged into…</option>
                  {others.map((other) => (
                    <option key={other.id} value={other.id}>
                      {other.label}
                    </option>
                  ))}
                </select>
                <button type="button" disabled={mergeInto === ''} onClick={() => void change(() => client.recordObservation({ lesionId: lesion.id, visitCode, finding: { kind: 'merged', intoLesionId: Number(mergeInto) } }))}>
                  Record merge at {visitCode}
                </button>
                <button type="button" disabled={measuring} onClick={() => startTool('split')} title="Measure the part that split off">
                  Split off a new lesion
                </button>
              </div>
            )}
            {here && (
              <div className="inline-form">
                <select aria-label="Status override" value={overrideStatus} onChange={(event) => setOverrideStatus(event.target.value as Status | '')}>
                  <option value="">keep the suggestion</option>
                  {OVERRIDE_STATUSES.map((status) => (
                    <option key={status} value={status}>
                      {status}
                    </option>
                  ))}
                </select>
                <input className="reason" aria-label="Reason for the override" data-testid="override-reason" placeholder="Reason (required to override)" value={reason} onChange={(event) => setReason(event.target.value)} />
                <button
                  type="button"
                  disabled={overrideStatus !== '' && reason.trim() === ''}
                  onClick={() => void change(() => client.overrideStatus({ lesionId: lesion.id, visitCode, status: overrideStatus === '' ? null : overrideStatus, ...(reason.trim() ? { reason: reason.trim() } : {}) }))}
                >
                  {overrideStatus === '' ? 'Accept the suggestion' : 'Override'}
                </button>
              </div>
            )}
          </div>
        </fieldset>
      )}
    </li>
  );
}

/** Right after a cord or optic drag: what the measurement records besides its diameter, pre-filled where known, saved with it. */
function PendingDetails({ region, onSave }: { region: Region; onSave: LesionPanelActions['save'] }) {
  const pending = useReading((state) => state.pending);
  const { setPendingDetails, dropPending } = useReading.getState();
  if (!pending) return null;
  const { details } = pending;
  const set = (change: Partial<RegionDetails>) => setPendingDetails({ ...details, ...change });
  const newLesion = pending.tool !== 'existing';
  const missing = detailsMissing(region, details, newLesion);
  const extent = (key: keyof RegionDetails['opticExtent'], label: string) => (
    <label>
      <input type="checkbox" checked={details.opticExtent[key]} onChange={(event) => set({ opticExtent: { ...details.opticExtent, [key]: event.target.checked } })} /> {label}
    </label>
  );
  return (
    <section className="pending-details" data-testid="pending-details" aria-label="Details of this measurement">
      <p>
        <strong>{pending.measurement.lengthMm.toFixed(1)} mm</strong> drawn. {region === 'spinal_cord' ? 'Where along the cord does it reach?' : 'Which nerve, and how far along it?'}
      </p>
      {region === 'spinal_cord' && (
        <div className="inline-form">
          {(['upper', 'lower'] as const).map((end) => (
            <select
              key={end}
              aria-label={`${end} vertebral level`}
              value={details.levels?.[end] ?? ''}
              disabled={details.levels === null}
              onChange={(event) => set({ levels: { ...(details.levels ?? { upper: null, lower: null }), [end]: (event.target.value || null) as VertebralLevel | null } })}
            >
              <option value="">{end} level…</option>
              {VERTEBRAL_LEVELS.map((level) => (
                <option key={level}>{level}</option>
              ))}
            </select>
          ))}
          <label>
            <input type="checkbox" checked={details.levels === null} onChange={(event) => set({ levels: event.target.checked ? null : { upper: null, lower: null } })} /> levels cannot be told
          </label>
          {details.levels && (
            <input
              className="reason"
              aria-label="Why the levels are typed"
              data-testid="typed-levels-reason"
              placeholder="Why typed, not clicked (required)"
              value={details.extentReason}
              onChange={(event) => set({ extentReason: event.target.value })}
            />
          )}
        </div>
      )}
      {region === 'optic_nerve' && (
        <div className="inline-form">
          {newLesion ? (
            <select aria-label="Side" value={details.side ?? ''} onChange={(event) => set({ side: (event.target.value || null) as RegionDetails['side'] })}>
              <option value="">side…</option>
              <option value="right">right nerve</option>
              <option value="left">left nerve</option>
              <option value="chiasm">chiasm</option>
            </select>
          ) : (
            <span className="muted">{details.side ? `${details.side} side` : 'no side recorded'}</span>
          )}
          {extent('beyondHalfLength', 'over half the nerve')}
          {extent('involvesChiasm', 'involves the chiasm')}
        </div>
      )}
      {missing && (
        <p className="warn-text" role="status" data-testid="details-missing">
          {missing}
        </p>
      )}
      <div className="inline-form">
        <button type="button" className="primary" data-testid="save-details" disabled={missing !== null} onClick={() => onSave(pending)}>
          Save the measurement
        </button>
        <button
          type="button"
          data-testid="save-then-ends"
          disabled={newLesion && region === 'optic_nerve' && (details.side === null || details.side === 'chiasm')}
          title={`Save the diameter, then click the lesion's ${region === 'spinal_cord' ? 'upper and lower end: the ruler gives their levels' : 'start and end along the traced nerve'} (${commandTitle(command('extent-ends'))})`}
          onClick={() => onSave({ ...pending, details: { ...details, levels: null } }, true)}
        >
          Save, then click its ends
        </button>
        <button type="button" onClick={dropPending} title={commandTitle(command('cancel'))}>
          Discard
        </button>
      </div>
    </section>
  );
}

/** New or enlarging lesions per visit for this participant, all regions stacked. */
function CountsChart({ cells, visits }: { cells: CountsReport['participants'][number]['cells']; visits: readonly { code: string; label: string }[] }) {
  const totals = visits.map((visit) => ({ visit, count: cells.filter((cell) => cell.visitCode === visit.code).reduce((sum, cell) => sum + cell.newOrEnlarging, 0) }));
  const top = Math.max(1, ...totals.map((item) => item.count));
  return (
    <svg className="counts-chart" viewBox={`0 0 ${totals.length * 50} 70`} role="img" aria-label="New or enlarging lesions per visit" data-testid="counts-chart">
      {totals.map((item, index) => {
        const height = (item.count / top) * 44;
        return (
          <g key={item.visit.code}>
            <rect x={index * 50 + 12} y={52 - height} width={26} height={height} />
            <text x={index * 50 + 25} y={48 - height} textAnchor="middle">
              {item.count}
            </text>
            <text x={index * 50 + 25} y={66} textAnchor="middle" className="axis">
              {item.visit.code}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Where a lesion's extent came from, in words: measured on the image (its length or fraction), or the reader's override and why. */
function measuredWords(extent: MeasuredExtent): string {
  const measured = extent.lengthMm !== null ? `${extent.lengthMm.toFixed(1)} mm along the cord` : extent.fractionOfNerve !== null ? `${Math.round(extent.fractionOfNerve * 100)}% of the traced nerve` : '';
  const levels = extent.measuredLevels ? ` (${extent.measuredLevels.upper}–${extent.measuredLevels.lower})` : '';
  if (extent.source === 'typed') return `typed, no ends clicked: ${extent.overrideReason ?? ''}`;
  return extent.source === 'image' ? `measured on the image, ${measured}` : `typed over the image's ${measured}${levels}: ${extent.overrideReason ?? ''}`;
}
