// Reader tracks: whose reading a request reaches. In a single-read trial
// every participant has one track (single). In a double-read trial each
// participant has two independent ones, each taken by one reader at their
// first change, and a final one that the adjudicator fills. The track is
// never sent by a reader: main works it out from who is acting, so a reader
// cannot ask for the other reader's track through any request.
import { type ReadKey, type ReadingDesign, ReadingDesignSchema, type Track } from '../../shared/contract';
import { type Region } from '../../shared/protocol';
import { ServiceError } from '../services/dispatch';
import type { Session } from '../services/session';
import { appendAudit } from '../store/audit';
import type { Db } from '../store/database';
import { readSetting } from '../store/settings';

export const SINGLE_READ: ReadingDesign = { design: 'single' };

/** The stored design as the contract reads it: a double design stored before blinding existed is blinded, its default. */
export const readReadingDesign = (db: Db): ReadingDesign => ReadingDesignSchema.parse(readSetting(db, 'reading_design', SINGLE_READ));

/** A read of one track: what a signature and a read's status belong to. */
export interface TrackedRead extends ReadKey {
  track: Track;
}

/** The two independent tracks of a double read, in the order readers take them. */
export const READER_TRACKS = ['reader1', 'reader2'] as const satisfies readonly Track[];

/** The reads (visit x region) of a participant that have images: the reads each track must sign. */
export type ReadsWithImages = (participantId: number) => readonly { visitCode: string; region: Region }[];

export function createTracks(
  db: Db,
  session: Session,
  dependencies: { readsWithImages: ReadsWithImages; isSigned: (read: TrackedRead) => boolean; /** Whether a participant's final values are settled (reads/adjudication.ts). */ isFinal: (participantId: number) => boolean },
) {
  const now = () => new Date().toISOString();
  const selectTaken = db.prepare<[number], { track: 'reader1' | 'reader2'; reader_ref: number; name: string }>(
    'SELECT t.track, t.reader_ref, r.name FROM reader_tracks t JOIN readers r ON r.id = t.reader_ref WHERE t.participant_ref = ? ORDER BY t.track',
  );
  const insertTaken = db.prepare('INSERT INTO reader_tracks (participant_ref, track, reader_ref, taken_at) VALUES (?, ?, ?, ?)');
  const selectSubject = db.prepare<[number], { subject_code: string }>('SELECT subject_code FROM participants WHERE id = ?');
  const selectLesionTrack = db.prepare<[number], { participant_ref: number; track: Track }>('SELECT participant_ref, track FROM lesions WHERE id = ?');

  const design = () => readReadingDesign(db);
  const taken = (participantId: number) => selectTaken.all(participantId);
  const subject = (participantId: number) => selectSubject.get(participantId)?.subject_code ?? String(participantId);

  /** A reader track whose every read with images is signed. */
  function complete(participantId: number, track: Track): boolean {
    const reads = dependencies.readsWithImages(participantId);
    return reads.length > 0 && reads.every((read) => dependencies.isSigned({ participantId, ...read, track }));
  }

  /** Both readers have signed every read of their track: only then may anyone see either track's content. */
  function bothSigned(participantId: number): boolean {
    return READER_TRACKS.every((track) => complete(participantId, track));
  }

  /** The reader's own track of this participant in a double read, or null before their first change. */
  function ownTrack(participantId: number, readerId: number): Track | null {
    return taken(participantId).find((row) => row.reader_ref === readerId)?.track ?? null;
  }

  /**
   * Whether this session may see the readers' own tracks of a participant that are not its own: the adjudicator
   * once both are signed; anyone but a reader (a data manager, or the command line with no profile chosen) once
   * the values are final.
   */
  function maySeeReaders(participantId: number): boolean {
    const role = session.reader()?.role;
    if (role === 'reader' || !bothSigned(participantId)) return false;
    return role === 'adjudicator' || dependencies.isFinal(participantId);
  }

  function maySee(participantId: number, track: Track): boolean {
    if (track === 'single' || track === 'final') return true;
    const reader = session.reader();
    if (reader?.role === 'reader') return ownTrack(participantId, reader.id) === track;
    return maySeeReaders(participantId);
  }

  /** The track a change by this session goes into; a reader takes a free track at their first change to a participant. */
  function changeTrack(participantId: number): Track {
    if (design().design === 'single') return 'single';
    const reader = session.reader();
    if (!reader) throw new ServiceError('conflict', 'Choose who is reading first (the reader button at the top right).');
    // Whether there is anything to call yet is the adjudication's to say (reads/adjudication.ts disputedRead).
    if (reader.role === 'adjudicator') return 'final';
    if (reader.role !== 'reader') throw new ServiceError('forbidden', 'Reads are marked and signed by readers and adjudicators, not by a data manager.');
    const own = ownTrack(participantId, reader.id);
    if (own) return own;
    const used = new Set(taken(participantId).map((row) => row.track));
    const free = READER_TRACKS.find((track) => !used.has(track));
    if (!free) throw new ServiceError('conflict', `Both independent reads of ${subject(participantId)} are taken by other readers.`);
    db.transaction(() => {
      insertTaken.run(participantId, free, reader.id, now());
      appendAudit(db, { actor: session.actor(), action: 'track.take', entity: 'track', entityId: `${participantId}/${free}`, newValue: { participantId, track: free, readerId: reader.id } });
    })();
    return free;
  }

  /** The participant and track an audit entry is about, where it is about one: a lesion, an observation, a read (signed, or a candidate reviewed in it) or a track taken. */
  function entryTrack({ entity, entityId }: { entity: string; entityId: string | null }): { participantId: number; track: Track } | null {
    if (entityId === null) return null;
    if (entity === 'lesion' || entity === 'observation') {
      const row = selectLesionTrack.get(Number(entityId.split('@')[0]));
      return row ? { participantId: row.participant_ref, track: row.track } : null;
    }
    const parts = entityId.split('/');
    if (entity === 'read' || entity === 'candidate') return { participantId: Number(parts[0]), track: (parts[3] as Track | undefined) ?? 'single' };
    if (entity === 'track' || entity === 'ruler' || entity === 'nerve-trace') return { participantId: Number(parts[0]), track: parts[1] as Track };
    return null;
  }

  return {
    design,
    bothSigned,
    complete,
    subjectOf: subject,
    /** Whether this session may see anything of a track. */
    maySee: ({ participantId, track }: { participantId: number; track: Track }) => maySee(participantId, track),

    /**
     * The track this session reads a participant in: single; a reader's own
     * (null before they take one); the final one for an adjudicator, a data
     * manager or nobody chosen. `asked` is an adjudicator's request for a
     * reader's track, granted only once both tracks are signed.
     */
    viewTrack(participantId: number, asked?: Track): Track | null {
      const reader = session.reader();
      if (design().design === 'single') {
        if (asked !== undefined && asked !== 'single') throw new ServiceError('invalid_request', 'This trial has one read per participant: there is no other track.');
        return 'single';
      }
      if (asked !== undefined) {
        if (asked === 'single') throw new ServiceError('invalid_request', 'This trial has double reads: ask for reader1, reader2 or final.');
        if (reader?.role === 'reader') {
          if (asked !== ownTrack(participantId, reader.id)) throw new ServiceError('forbidden', `A reader sees only their own read of ${subject(participantId)}.`);
          return asked;
        }
        if (asked !== 'final' && !maySeeReaders(participantId)) {
          throw new ServiceError('forbidden', `The readers' own reads of ${subject(participantId)} are seen by the adjudicator once both are signed, and by a data manager once the values are final.`);
        }
        return asked;
      }
      return reader?.role === 'reader' ? ownTrack(participantId, reader.id) : 'final';
    },

    changeTrack,

    /** The track a lesion change by this session goes into: an adjudicator calls reads (Double reads) and marks nothing. */
    markTrack(participantId: number): Track {
      const track = changeTrack(participantId);
      if (track === 'final') throw new ServiceError('forbidden', "An adjudicator marks no lesions: they accept reader 1's count, reader 2's or their own on each read the readers differ on.");
      return track;
    },

    /**
     * The audit trail's filter for one request: an entry about a track this session may not see is left out. Whether
     * a track may be seen is worked out once per participant and track (for a data manager it evaluates the
     * participant's double read), not once per entry.
     */
    entryFilter(): (entry: { entity: string; entityId: string | null }) => boolean {
      const seen = new Map<string, boolean>();
      return (entry) => {
        const about = entryTrack(entry);
        if (about === null) return true;
        const key = `${about.participantId}/${about.track}`;
        if (!seen.has(key)) seen.set(key, maySee(about.participantId, about.track));
        return seen.get(key)!;
      };
    },

    /** Who took each reader track of a participant: the data manager's view of progress, without content. */
    takenBy: (participantId: number) => taken(participantId).map((row) => ({ track: row.track, reader: row.name })),
  };
}

export type Tracks = ReturnType<typeof createTracks>;
