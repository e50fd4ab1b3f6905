// What the worklist shows of each read beyond its images: its status, what
// stands before its signature, who changed it last and when, and its count.
// One worklist load reads every signature at once and evaluates each
// participant once, in the track this session reads, with the series the
// worklist placed already: no query per read.
import type { ReadKey, ReadReadiness } from '../../shared/contract';
import type { ParticipantReport } from '../lesions/lesions';
import { actorName } from '../../shared/actor';
import type { ReadsProgress, Scans } from '../trial/organisation';
import type { Adjudication } from './adjudication';
import { type SignatureEvent, type Signatures, readId, readStatusOf } from './signatures';
import { READER_TRACKS, type TrackedRead, type Tracks } from './tracks';

interface Change {
  at: string;
  by: string;
}

export function readsProgress(
  signatures: Signatures,
  report: (participantId: number, scans: Scans) => ParticipantReport,
  readiness: (read: ReadKey, participant: ParticipantReport, isSigned: (read: TrackedRead) => boolean) => ReadReadiness,
): ReadsProgress {
  const events = signatures.eventsByRead();
  const isSigned = (read: TrackedRead) => (events.get(readId(read)) ?? []).some((row) => row.superseded_at === null);
  return (participantId, scans) => {
    const participant = report(participantId, scans);
    // A reader's track not taken yet: nothing signed, nothing recorded.
    const { track } = participant;
    return (read: ReadKey) => {
      const history = track === null ? [] : (events.get(readId({ ...read, track })) ?? []);
      const observations = participant.views.filter((view) => view.region === read.region).flatMap((view) => view.observations.filter((item) => item.visitCode === read.visitCode));
      const status = readStatusOf(history, observations.length > 0);
      // The last observation recorded, signature given or unlock: a status override keeps its observation's time.
      const changes: Change[] = [
        ...observations.map((item) => ({ at: item.recordedAt, by: actorName(item.recordedBy) })),
        ...history.flatMap((row) => [{ at: row.signed_at, by: row.reader_name }, ...(row.superseded_at ? [{ at: row.superseded_at, by: actorName(row.superseded_by ?? '') }] : [])]),
      ];
      const last = changes.reduce<Change | null>((latest, change) => (latest === null || change.at > latest.at ? change : latest), null);
      const signed = status === 'signed' || status === 'amended';
      return {
        status,
        problems: signed ? [] : readiness(read, participant, isSigned).problems,
        reader: last?.by ?? null,
        changedAt: last?.at ?? null,
        newOrEnlarging: participant.cells.find((cell) => cell.visitCode === read.visitCode && cell.region === read.region)?.newOrEnlarging ?? null,
        tracks: null,
      };
    };
  };
}

/**
 * A double read as a data manager or adjudicator follows it on the worklist: each reader track's progress
 * (who took it, whether it has signed the read), never its content; once the participant's values are final,
 * the read is signed with its final count, by the adjudicator's call or the reader who signed last.
 */
export function doubleReadsProgress(signatures: Signatures, adjudication: Adjudication, tracks: Tracks): ReadsProgress {
  const events = signatures.eventsByRead();
  const inForce = (read: TrackedRead) => (events.get(readId(read)) ?? []).find((row) => row.superseded_at === null) ?? null;
  return (participantId) => {
    const standing = adjudication.standing(participantId);
    const finalCells = adjudication.finalCells(participantId, standing);
    const taken = tracks.takenBy(participantId);
    const subject = tracks.subjectOf(participantId);
    return (read: ReadKey) => {
      const signedBy = READER_TRACKS.map((track) => inForce({ ...read, track }));
      const progress = READER_TRACKS.map((track, index) => ({ track, reader: taken.find((row) => row.track === track)?.reader ?? null, signed: signedBy[index] !== null }));
      const final = finalCells?.find((cell) => cell.visitCode === read.visitCode && cell.region === read.region);
      if (final) {
        const by = [inForce({ ...read, track: 'final' }), ...signedBy].filter((row): row is SignatureEvent => row !== null).sort((a, b) => (a.signed_at < b.signed_at ? 1 : -1))[0];
        return { status: 'signed', problems: [], reader: by?.reader_name ?? null, changedAt: by?.signed_at ?? null, newOrEnlarging: final.newOrEnlarging, tracks: progress };
      }
      const signedHere = progress.filter((item) => item.signed).length;
      const problem: ReadReadiness['problems'][number] =
        standing.state === 'needs_adjudication'
          ? { kind: 'awaiting_adjudication', lesionId: null, message: `Both readers have signed ${subject}: the adjudicator decides where they differ.` }
          : { kind: 'awaiting_readers', lesionId: null, message: signedHere === 2 ? `Both readers have signed this read; other reads of ${subject} wait for them.` : `${signedHere} of 2 readers ${signedHere === 1 ? 'has' : 'have'} signed this read.` };
      return { status: taken.length > 0 || signedHere > 0 ? 'in_progress' : 'not_started', problems: [problem], reader: null, changedAt: null, newOrEnlarging: null, tracks: progress };
    };
  };
}
