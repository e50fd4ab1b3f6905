// What an import amounted to. The CLI turns it into its exit code and the
// import screen into its headline, so both judge an import the same way.
import type { ImportSummary } from './contract';

export type ImportOutcome =
  /** The folder held no files at all. */
  | 'no-files'
  /** Files were seen, but none became or matched a stored instance: all rejected, conflicting or not instances. */
  | 'nothing-stored'
  /** Nothing new, because every instance found was already in the store: a repeated import, not a failure. */
  | 'already-stored'
  | 'imported';

export function importOutcome(summary: ImportSummary): ImportOutcome {
  if (summary.filesSeen === 0) return 'no-files';
  if (summary.instancesAdded > 0) return 'imported';
  return summary.duplicatesSkipped > 0 ? 'already-stored' : 'nothing-stored';
}

/** True when the folder's instances are not in the store after the import: the CLI exits 1, the screen warns. */
export function storedNothing(outcome: ImportOutcome): boolean {
  return outcome === 'no-files' || outcome === 'nothing-stored';
}
