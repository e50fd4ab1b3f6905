// Signed means signed: what each signature covers is rebuilt from the live
// tables and compared with what was signed. Every change runs inside
// `holdSignedReads`, which rolls it back and names the reads it would have
// changed; the store check finds the same difference when the tables were
// edited outside the app.
import { createHash } from 'node:crypto';
import type { Track } from '../../shared/contract';
import type { ParticipantReport } from '../lesions/lesions';
import { ServiceError } from '../services/dispatch';
import type { Db } from '../store/database';
import { canonicalJson } from '../../shared/canonical-json';
import { callContent, callTermsOf, contentVersion, readContent } from './read-content';
import { readName, type SignatureRow, type Signatures } from './signatures';

/** Whose signed reads a change may touch: some participants', or everyone's (a charter or schedule change). */
export type Scope = readonly number[] | 'all';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Whether the one making a change may be told of a signed read (reads/tracks.ts): another reader's read is only counted. */
export type MayNameRead = (read: { participantId: number; track: Track }) => boolean;

export function createSignedReads(db: Db, signatures: Signatures, report: (participantId: number, track: Track) => ParticipantReport) {
  /** Signatures in force whose content, rebuilt now, differs from what was signed. */
  function changed(scope: Scope): SignatureRow[] {
    const rows = scope === 'all' ? signatures.activeSignatures() : scope.flatMap((participantId) => signatures.activeSignatures(participantId));
    const reports = new Map<string, ParticipantReport>();
    const reportOf = (participantId: number, track: Track) => {
      const of = `${participantId}/${track}`;
      if (!reports.has(of)) reports.set(of, report(participantId, track));
      return reports.get(of)!;
    };
    return rows.filter((row) => {
      const key = { participantId: row.participant_ref, visitCode: row.visit_code, region: row.region, track: row.track };
      // An adjudicator's call covers both readers' reads of it (read-content.ts), each rebuilt from its own track.
      const rebuilt =
        row.track === 'final'
          ? callContent({ reader1: reportOf(row.participant_ref, 'reader1'), reader2: reportOf(row.participant_ref, 'reader2') }, key, callTermsOf(row.content))
          : readContent(reportOf(row.participant_ref, row.track), key, contentVersion(JSON.parse(row.content)));
      return canonicalJson(rebuilt) !== row.content;
    });
  }

  return {
    /**
     * Runs a change in one transaction and keeps it only if every signed read
     * in scope still holds exactly what was signed; otherwise rolls it back and
     * names the reads to unlock first.
     */
    holdSignedReads<T>(change: () => T, scopeOf: (result: T) => Scope, mayName: MayNameRead): T {
      return db.transaction(() => {
        const result = change();
        const broken = changed(scopeOf(result));
        if (broken.length > 0) {
          const hidden = broken.filter((row) => !mayName({ participantId: row.participant_ref, track: row.track })).length;
          const names = [
            ...broken.filter((row) => mayName({ participantId: row.participant_ref, track: row.track })).map((row) => `${readName(row)} (signed by ${row.reader_name})`),
            ...(hidden > 0 ? [`${hidden} signed read${hidden === 1 ? '' : 's'} of another reader`] : []),
          ];
          throw new ServiceError(
            'conflict',
            `This would change ${broken.length === 1 ? 'a signed read' : `${broken.length} signed reads`}: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''}. Unlock ${broken.length === 1 ? 'it' : 'them'}, with a reason, first.`,
          );
        }
        return result;
      })();
    },

    /** For the store check: every signature whose stored content or live data no longer match, in words. */
    problems(): string[] {
      const problems = signatures
        .everySignature()
        .filter((row) => sha256(row.content) !== row.content_sha256)
        .map((row) => `signatures row ${row.id} (${readName(row)}): its content does not match its hash`);
      for (const row of changed('all')) problems.push(`signatures row ${row.id} (${readName(row)}): the lesions and counts in the store differ from what was signed`);
      return problems;
    },
  };
}

export type SignedReads = ReturnType<typeof createSignedReads>;
