// Beside the panes: the charter in force, the counts as they stand, the
// participant's counts over visits, and the lesions of this region with
// what was seen of each at each visit. Every action here goes to main at
// once (one transaction with its audit entry).
import { useState } from 'react';
import type { CountsReport, LesionView, ReaderView, ReadReadiness, SignatureView } from '../../../shared/contract';
import { type Region, VERTEBRAL_LEVELS } from '../../../shared/protocol';
import { READ_LABEL } from './lesion-labels';

export type CordLevel = (typeof VERTEBRAL_LEVELS)[number];

export interface RegionDetails {
  levels: { upper: CordLevel; lower: CordLevel } | null;
  side: 'left' | 'right' | 'chiasm' | null;
  opticExtent: { beyondHalfLength: boolean; involvesChiasm: boolean };
}

export const NO_DETAILS: RegionDetails = { levels: null, side: null, opticExtent: { beyondHalfLength: false, involvesChiasm: false } };

const STATUSES = ['new', 'enlarging', 'stable', 'shrinking', 'resolved', 'not_evaluable'] as const;

interface Props {
  /** Who is reading; null until someone is chosen, and marking waits for that. */
  reader: ReaderView | null;
  region: Region;
  visitCode: string;
  visits: readonly { code: string; label: string }[];
  lesions: readonly LesionView[];
  counts: CountsReport | null;
  selectedId: number | null;
  measuring: 'new' | 'existing' | 'split' | null;
  details: RegionDetails;
  onDetails: (details: RegionDetails) => void;
  onSelect: (lesionId: number | null) => void;
  onNewLesion: () => void;
  onMeasureSelected: () => void;
  onCancelMeasure: () => void;
  onFinding: (lesionId: number, kind: 'resolved' | 'not_evaluable') => void;
  /** This lesion has merged into another one at this visit. */
  onMerge: (lesionId: number, intoLesionId: number) => void;
  /** Measure a new lesion that split off this one at this visit. */
  onSplit: () => void;
  onOverride: (lesionId: number, status: (typeof STATUSES)[number] | null, reason: string) => void;
  /** The signature in force for this participant, visit and region, if any. */
  signature: SignatureView | null;
  /** Set when the read is signed: why every editing control is disabled, and how to unlock. */
  lockedBy: string | null;
  /** What stands between this read and its signature. */
  readiness: ReadReadiness | null;
  /** Selects a lesion and brings the panes to it. */
  onJump: (lesionId: number) => void;
  onSign: (secret: string) => void;
  onUnlock: (secret: string, reason: string) => void;
}

export function LesionPanel(props: Props) {
  const { region, visitCode, visits, lesions, counts, selectedId, measuring, details } = props;
  const [overrideStatus, setOverrideStatus] = useState<string>('');
  const [reason, setReason] = useState('');
  const [mergeInto, setMergeInto] = useState<string>('');
  const participant = counts?.participants[0] ?? null;
  const cell = participant?.cells.find((item) => item.visitCode === visitCode && item.region === region) ?? null;
  const charter = counts?.charter;
  // Every editing control: disabled on a signed read, saying who signed it and how to unlock.
  const editable = { disabled: props.lockedBy !== null, title: props.lockedBy ?? undefined };

  return (
    <aside className="lesion-panel" data-testid="lesion-panel">
      {!props.reader && (
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
      <SignOff signature={props.signature} readiness={props.readiness} visitCode={visitCode} onSign={props.onSign} onUnlock={props.onUnlock} onJump={props.onJump} />

      <div className="inline-form">
        <button type="button" className="primary" data-testid="new-lesion" disabled={measuring !== null || editable.disabled} onClick={props.onNewLesion} title={editable.title ?? 'N'}>
          New lesion
        </button>
        {measuring && (
          <>
            <span className="warn-text" role="status" data-testid="measuring">
              Drag across the longest diameter in the {visitCode} pane.
            </span>
            <button type="button" onClick={props.onCancelMeasure}>
              Cancel
            </button>
          </>
        )}
      </div>
      <fieldset className="bare" {...editable}>
        <RegionFields region={region} details={details} onDetails={props.onDetails} />
      </fieldset>

      <ul className="lesion-list" data-testid="lesions">
        {lesions.length === 0 && <li className="muted">No lesions marked in this region yet.</li>}
        {lesions.map((lesion) => {
          const here = lesion.observations.find((item) => item.visitCode === visitCode) ?? null;
          const selected = lesion.id === selectedId;
          return (
            <li key={lesion.id} className={selected ? 'lesion selected' : 'lesion'} data-testid="lesion" data-label={lesion.label} data-status={here?.finalStatus ?? ''}>
              <button type="button" className="lesion-head" onClick={() => props.onSelect(selected ? null : lesion.id)}>
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
                      {observation.visitCode} {observation.finding.kind === 'measured' ? `${observation.finding.longestDiameterMm.toFixed(1)}` : READ_LABEL[observation.finding.kind]} {observation.finalStatus ?? ''}
                    </span>
                  ))}
                </span>
              </button>
              {selected && (
                <fieldset className="bare" data-testid="lesion-actions" {...editable}>
                  <div className="lesion-actions">
                  {here?.suggestion && (
                    <p className="muted" data-testid="suggestion">
                      Suggested at {visitCode}: {here.suggestion.status} ({here.suggestion.why}){here.override ? `; overridden to ${here.override.status}: ${here.override.reason}` : ''}
                    </p>
                  )}
                  {here?.levels && (
                    <p className="muted">
                      {here.levels.upper}–{here.levels.lower}, {here.levels.segments ?? '?'} segments{here.levels.longitudinallyExtensive ? ', LETM' : ''}
                    </p>
                  )}
                  <div className="inline-form">
                    <button type="button" data-testid="measure-selected" disabled={measuring !== null} onClick={props.onMeasureSelected} title={editable.title ?? 'M'}>
                      {here ? `Measure again at ${visitCode}` : `Same lesion: measure at ${visitCode}`}
                    </button>
                    <button type="button" onClick={() => props.onFinding(lesion.id, 'resolved')}>
                      Resolved
                    </button>
                    <button type="button" onClick={() => props.onFinding(lesion.id, 'not_evaluable')}>
                      Not evaluable
                    </button>
                  </div>
                  {lesions.length > 1 && (
                    <div className="inline-form">
                      <select aria-label="Merged into" value={mergeInto} onChange={(event) => setMergeInto(event.target.value)}>
                        <option value="">merged into…</option>
                        {lesions
                          .filter((other) => other.id !== lesion.id)
                          .map((other) => (
                            <option key={other.id} value={other.id}>
                              {other.label}
                            </option>
                          ))}
                      </select>
                      <button type="button" disabled={mergeInto === ''} onClick={() => props.onMerge(lesion.id, Number(mergeInto))}>
                        Record merge at {visitCode}
                      </button>
                      <button type="button" disabled={measuring !== null} onClick={props.onSplit} title="Measure the part that split off">
                        Split off a new lesion
                      </button>
                    </div>
                  )}
                  {here && (
                    <div className="inline-form">
                      <select aria-label="Status override" value={overrideStatus} onChange={(event) => setOverrideStatus(event.target.value)}>
                        <option value="">keep the suggestion</option>
                        {STATUSES.map((status) => (
                          <option key={status} value={status}>
                            {status}
                          </option>
                        ))}
                      </select>
                      <input className="reason" aria-label="Reason for the override" placeholder="Reason (required to override)" value={reason} onChange={(event) => setReason(event.target.value)} />
                      <button
                        type="button"
                        disabled={overrideStatus !== '' && reason.trim() === ''}
                        onClick={() => props.onOverride(lesion.id, overrideStatus === '' ? null : (overrideStatus as (typeof STATUSES)[number]), reason.trim())}
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
        })}
      </ul>
    </aside>
  );
}

function RegionFields({ region, details, onDetails }: { region: Region; details: RegionDetails; onDetails: (details: RegionDetails) => void }) {
  if (region === 'spinal_cord') {
    const levels = details.levels ?? { upper: 'C2' as CordLevel, lower: 'C2' as CordLevel };
    const pick = (end: 'upper' | 'lower', value: string) => onDetails({ ...details, levels: { ...levels, [end]: value as CordLevel } });
    return (
      <div className="inline-form region-fields">
        <label>
          <input type="checkbox" checked={details.levels !== null} onChange={(event) => onDetails({ ...details, levels: event.target.checked ? levels : null })} /> levels
        </label>
        {(['upper', 'lower'] as const).map((end) => (
          <select key={end} aria-label={`${end} vertebral level`} value={levels[end]} disabled={details.levels === null} onChange={(event) => pick(end, event.target.value)}>
            {VERTEBRAL_LEVELS.map((level) => (
              <option key={level}>{level}</option>
            ))}
          </select>
        ))}
        <span className="muted">recorded with the next measurement</span>
      </div>
    );
  }
  if (region === 'optic_nerve') {
    return (
      <div className="inline-form region-fields">
        <select aria-label="Side" value={details.side ?? ''} onChange={(event) => onDetails({ ...details, side: (event.target.value || null) as RegionDetails['side'] })}>
          <option value="">side…</option>
          <option value="right">right</option>
          <option value="left">left</option>
          <option value="chiasm">chiasm</option>
        </select>
        <label>
          <input type="checkbox" checked={details.opticExtent.beyondHalfLength} onChange={(event) => onDetails({ ...details, opticExtent: { ...details.opticExtent, beyondHalfLength: event.target.checked } })} /> over half the nerve
        </label>
        <label>
          <input type="checkbox" checked={details.opticExtent.involvesChiasm} onChange={(event) => onDetails({ ...details, opticExtent: { ...details.opticExtent, involvesChiasm: event.target.checked } })} /> involves the chiasm
        </label>
      </div>
    );
  }
  return null;
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

/** Sign-off of this read: the reader's own secret, as an electronic signature with its meaning; what must be done first, if anything. */
function SignOff({
  signature,
  readiness,
  visitCode,
  onSign,
  onUnlock,
  onJump,
}: {
  signature: SignatureView | null;
  readiness: ReadReadiness | null;
  visitCode: string;
  onSign: (secret: string) => void;
  onUnlock: (secret: string, reason: string) => void;
  onJump: (lesionId: number) => void;
}) {
  const [secret, setSecret] = useState('');
  const [reason, setReason] = useState('');
  const problems = signature ? [] : (readiness?.problems ?? []);
  const whyNot = problems.length > 0 ? `Not ready to sign: ${problems.map((problem) => problem.message).join(' ')}` : secret === '' ? 'Give your secret to sign.' : undefined;
  return (
    <section className={signature ? 'sign-off signed' : 'sign-off'} data-testid="sign-off" data-signed={signature ? 'true' : 'false'}>
      {signature ? (
        <p>
          Signed by <strong>{signature.reader}</strong> at {signature.signedAt.replace('T', ' ').slice(0, 16)} UTC: “{signature.meaning}”. Locked.
        </p>
      ) : (
        <p className="muted">This {visitCode} read is not signed. Signing locks its lesions and counts.</p>
      )}
      {problems.length > 0 && (
        <ul className="sign-problems" data-testid="sign-problems">
          {problems.map((problem) => (
            <li key={problem.message} data-testid="sign-problem" data-kind={problem.kind}>
              {problem.lesionId === null ? (
                problem.message
              ) : (
                <button type="button" className="link" data-testid="jump-to-lesion" onClick={() => onJump(problem.lesionId!)} title="Go to this lesion">
                  {problem.message}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="inline-form">
        <input type="password" aria-label="Your secret" data-testid="sign-secret" placeholder="Your secret" value={secret} onChange={(event) => setSecret(event.target.value)} />
        {signature && <input className="reason" aria-label="Reason to unlock" placeholder="Reason to unlock" value={reason} onChange={(event) => setReason(event.target.value)} />}
        {signature ? (
          <button type="button" disabled={secret === '' || reason.trim() === ''} onClick={() => (onUnlock(secret, reason.trim()), setSecret(''), setReason(''))}>
            Unlock
          </button>
        ) : (
          <button type="button" className="primary" data-testid="sign" disabled={whyNot !== undefined} title={whyNot} onClick={() => (onSign(secret), setSecret(''))}>
            Sign: I confirm this read
          </button>
        )}
      </div>
    </section>
  );
}
