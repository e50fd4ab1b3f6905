// The whole store check, at start-up and in `lesiontrack audit verify`:
// SQLite's structure, the audit chain, every reading row against the digest
// the chain vouches for, and every signed read rebuilt from the live tables
// against what its reader signed.
import { createLesions } from '../lesions/lesions';
import { ServiceError } from '../services/dispatch';
import type { Db } from '../store/database';
import { checkStore } from '../store/integrity';
import { createOrganisation } from '../trial/organisation';
import { createSignatures } from './signatures';
import { createSignedReads } from './signed-reads';

const CHECKER = () => 'lesiontrack:store-check';

/** Rebuilds what each signed read covers; nothing here writes. */
export function signedReadProblems(db: Db): string[] {
  const signatures = createSignatures(db);
  const organisation = createOrganisation(db, CHECKER);
  const changesNothing = () => {
    throw new ServiceError('conflict', 'The store check changes nothing.');
  };
  // The check reads every track itself (signed-reads.ts asks for each signature's own): it sees no session's track.
  const lesions = createLesions(db, CHECKER, organisation.scannedVisits, { view: () => null, change: changesNothing }, changesNothing);
  return createSignedReads(db, signatures, lesions.report).problems();
}

/** Every problem found, in plain sentences naming table and key (no patient data); empty when the store is sound. */
export function storeProblems(db: Db): string[] {
  const health = checkStore(db);
  // Rows that differ from the trail still let the signed reads be rebuilt, and named.
  return health.readable ? [...health.problems, ...signedReadProblems(db)] : health.problems;
}
