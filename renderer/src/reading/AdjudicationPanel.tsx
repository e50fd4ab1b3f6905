// Beside the panes, for the adjudicator of a double read, in place of the
// lesion panel: whose marks are which colour, and for the read shown both
// readers' counts, their counted lesions paired by position (the pairing the
// adjudication rule makes, shared/adjudication.ts), those left without a
// partner, and on a read the readers differ on, the call: its form, or the
// call as signed. Selecting a lesion brings the panes to it. The readers'
// marks are read-only here: the adjudicator marks nothing.
import { countedLesions, pairCountedLesions } from '../../../shared/adjudication';
import type { LesionView, ParticipantAdjudication } from '../../../shared/contract';
import { CallForm, SignedCallNote } from '../components/CallForm';
import { ErrorNotice } from '../components/ErrorNotice';
import { errorMessage } from '../format';
import type { ReadKey } from '../queries';
import { REGION_LABEL } from '../trial/labels';
import { READER_TAG, type ReaderTrack, readerLabel } from './lesion-labels';
import { adjudicationCalled } from './reading-queries';
import { useReading } from './reading-store';

const READER_TRACKS = Object.keys(READER_TAG) as ReaderTrack[];
const READER_WORDS: Readonly<Record<ReaderTrack, string>> = { reader1: 'Reader 1', reader2: 'Reader 2' };

interface Props {
  read: ReadKey;
  /** Where the participant's double read stands; null while it is asked for. */
  standing: ParticipantAdjudication | null;
  error: unknown;
  /** Both readers' lesions of the region shown (none before both have signed). */
  lesions: readonly LesionView[];
  onJump: (lesionId: number) => void;
}

export function AdjudicationPanel({ read, standing, error, lesions, onJump }: Props) {
  const readerOf = (track: ReaderTrack) => standing?.tracks.find((item) => item.track === track);
  return (
    <aside className="lesion-panel adjudication-panel" data-testid="adjudication-panel">
      <div className="reader-legend" data-testid="reader-legend">
        {READER_TRACKS.map((track) => (
          <span key={track} className={`reader-key ${track}`} data-reader={track}>
            {READER_TAG[track]}: {READER_WORDS[track]}
            {readerOf(track)?.reader ? ` (${readerOf(track)!.reader})` : ''}
          </span>
        ))}
      </div>
      <p className="muted">Both readers&apos; marks as they signed them, read-only: you mark nothing.</p>
      {error ? (
        <ErrorNotice title="The double read could not be read" message={errorMessage(error)} />
      ) : !standing ? (
        <p className="muted">Opening…</p>
      ) : standing.disagreements === null ? (
        <p className="reader-hint" role="status" data-testid="adjudication-state">
          Nothing to adjudicate yet: {standing.subjectCode} is adjudicated once both readers have signed every read (
          {standing.tracks.map((track) => `${READER_WORDS[track.track as ReaderTrack]}: ${track.signedReads} of ${track.reads} signed`).join('; ')}). Their marks show here from then.
        </p>
      ) : (
        <ReadComparison read={read} standing={standing} disagreements={standing.disagreements} lesions={lesions} onJump={onJump} />
      )}
    </aside>
  );
}

/** The read shown, both tracks signed: where the participant stands, the two readers' counted lesions side by side, and the call. */
function ReadComparison({ read, standing, disagreements, lesions, onJump }: Omit<Props, 'standing' | 'error'> & { standing: ParticipantAdjudication; disagreements: NonNullable<ParticipantAdjudication['disagreements']> }) {
  const selectedLesionId = useReading((state) => state.selectedLesionId);
  const counted = { reader1: countedLesions(lesions.filter((lesion) => lesion.track === 'reader1'), read), reader2: countedLesions(lesions.filter((lesion) => lesion.track === 'reader2'), read) };
  const pairing = pairCountedLesions(counted.reader1, counted.reader2, standing.toleranceMm);
  const disagreement = disagreements.find((item) => item.visitCode === read.visitCode && item.region === read.region) ?? null;
  const open = disagreements.filter((item) => item.call === null);

  /** A reader's lesion, by its label: selecting it brings the panes to it. */
  const lesionButton = (track: ReaderTrack, label: string) => {
    const lesion = lesions.find((item) => item.track === track && item.label === label);
    return (
      <button
        type="button"
        className={`reader-lesion ${track}${lesion && lesion.id === selectedLesionId ? ' selected' : ''}`}
        data-testid="reader-lesion"
        data-reader={track}
        data-label={label}
        disabled={!lesion}
        onClick={() => lesion && onJump(lesion.id)}
      >
        {readerLabel(track, label)}
      </button>
    );
  };
  const unpaired = (track: ReaderTrack, labels: readonly string[]) => (
    <li data-testid={`only-${track}`}>
      Only {READER_WORDS[track].toLowerCase()}: {labels.length === 0 ? <span className="muted">none</span> : labels.map((label) => <span key={label}>{lesionButton(track, label)} </span>)}
    </li>
  );

  return (
    <>
      <p data-testid="adjudication-state">
        {standing.state === 'agreed'
          ? `The readers of ${standing.subjectCode} agree under the trial's rule: nothing to adjudicate.`
          : open.length === 0
            ? `Every read the readers of ${standing.subjectCode} differ on is called: the values are final.`
            : `${standing.subjectCode} waits for your call on ${open.map((item) => `${item.visitCode} ${REGION_LABEL[item.region].toLowerCase()}`).join(', ')}.`}
      </p>
      <section className="read-comparison" data-testid="read-comparison" aria-label={`${read.visitCode} ${REGION_LABEL[read.region]}: the two reads`}>
        <h3>
          {read.visitCode} · {REGION_LABEL[read.region]}: new or enlarging lesions
        </h3>
        <div className="counts-box" data-testid="reader-counts">
          {READER_TRACKS.map((track) => (
            <div key={track} className={`count reader-key ${track}`} data-reader={track}>
              <strong data-testid={`count-${track}`}>{counted[track].length}</strong> {READER_WORDS[track].toLowerCase()}&apos;s count
            </div>
          ))}
        </div>
        <p className="muted" data-testid="tolerance">
          Counted lesions paired within {standing.toleranceMm} mm of each other:
        </p>
        <ul className="bare-list pairing" data-testid="pairing">
          {pairing.pairs.length === 0 && <li className="muted">No pairs.</li>}
          {pairing.pairs.map((pair) => (
            <li key={pair.first} data-testid="pair" data-first={pair.first} data-second={pair.second}>
              {lesionButton('reader1', pair.first)} ↔ {lesionButton('reader2', pair.second)} <span className="muted">{pair.distanceMm.toFixed(1)} mm apart</span>
            </li>
          ))}
          {unpaired('reader1', pairing.onlyFirst)}
          {unpaired('reader2', pairing.onlySecond)}
        </ul>
        {disagreement === null ? (
          <p data-testid="read-agreed">The readers agree on this read: nothing to call.</p>
        ) : disagreement.call ? (
          <SignedCallNote call={disagreement.call} />
        ) : standing.state === 'agreed' ? (
          <p data-testid="read-agreed">The readers differ here within the trial&apos;s rule: the lower count is final, nothing to call.</p>
        ) : (
          <>
            <p className="warn-text">The readers differ: {disagreement.why}.</p>
            <CallForm key={`${read.visitCode}-${read.region}`} read={read} counts={{ reader1: disagreement.reader1, reader2: disagreement.reader2 }} onCalled={() => void adjudicationCalled(read.participantId)} />
          </>
        )}
      </section>
    </>
  );
}
