// What the worklist shows of each read beyond its images: its status, what
// stands before its signature, who changed it last and when, and its count.
// One worklist load reads every signature at once and evaluates each
// participant once, in the track this session reads, with the series the
// worklist placed already: no query per read.
import type { ReadKey, ReadReadiness } from '../../shared/contract';
import type { ParticipantReport } from '../lesions/lesions';
import { actorName } from '../../shared/actor';
import type { ReadsProgress, Scans } from '../trial/organisation';
import { type Signatures, readId, readStatusOf } from './signatures';
import type { TrackedRead } from './tracks';

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
      };
    };
  };
}
