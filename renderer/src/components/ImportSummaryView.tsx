// What an import did: a sentence, the counts, then every file that was not imported and why.
import type { ImportSummary, RejectedFile } from '../../../shared/contract';
import { type ImportOutcome, importOutcome, storedNothing } from '../../../shared/import-outcome';
import { formatDuration, plural } from '../format';

function headline(outcome: ImportOutcome, summary: ImportSummary): string {
  switch (outcome) {
    case 'no-files':
      return 'No DICOM files found in this folder.';
    case 'nothing-stored':
      return `Nothing was imported: none of the ${plural(summary.filesSeen, 'file')} in this folder could be stored. The reasons are listed below.`;
    case 'already-stored':
      return 'Nothing new: every instance in this folder is already in the store.';
    case 'imported':
      return `Imported ${plural(summary.instancesAdded, 'instance')}.`;
  }
}

function FileList({ title, files, testId, hint }: { title: string; files: readonly RejectedFile[]; testId: string; hint: string }) {
  if (files.length === 0) return null;
  return (
    <section className="file-list">
      <h3>
        {title} <span className="count">{files.length}</span>
      </h3>
      <p className="hint">{hint}</p>
      <ul>
        {files.map((file, index) => (
          <li key={`${index}:${file.path}`} data-testid={testId}>
            <span className="file-path">{file.path}</span>
            <span className="file-reason">{file.reason}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ImportSummaryView({ summary, onDismiss }: { summary: ImportSummary; onDismiss: () => void }) {
  const outcome = importOutcome(summary);
  return (
    <div className="import-summary" data-testid="import-summary" aria-live="polite">
      <div className="import-summary-head">
        <p className="import-folder" title={summary.folder}>
          {summary.folder}
        </p>
        <button type="button" className="quiet" onClick={onDismiss} aria-label="Dismiss the import summary">
          Dismiss
        </button>
      </div>
      <p className={storedNothing(outcome) ? 'notice' : 'import-outcome'} data-testid="import-outcome">
        {headline(outcome, summary)}
      </p>
      {outcome !== 'no-files' && (
        <dl className="import-counts">
          <div>
            <dt>Files seen</dt>
            <dd>{summary.filesSeen.toLocaleString('en')}</dd>
          </div>
          <div>
            <dt>Instances added</dt>
            <dd>{summary.instancesAdded.toLocaleString('en')}</dd>
          </div>
          <div>
            <dt>Duplicates skipped</dt>
            <dd>{summary.duplicatesSkipped.toLocaleString('en')}</dd>
          </div>
          <div>
            <dt>Series touched</dt>
            <dd>{summary.seriesTouched.toLocaleString('en')}</dd>
          </div>
          <div>
            <dt>Rejected</dt>
            <dd className={summary.rejected.length > 0 ? 'attention' : undefined}>{summary.rejected.length.toLocaleString('en')}</dd>
          </div>
          <div>
            <dt>Elapsed</dt>
            <dd>{formatDuration(summary.elapsedMs)}</dd>
          </div>
        </dl>
      )}
      <FileList title="Rejected files" files={summary.rejected} testId="rejected-file" hint={`${plural(summary.rejected.length, 'file')} not imported:`} />
      <FileList
        title="Conflicts"
        files={summary.conflicts}
        testId="conflict-file"
        hint="Same SOP Instance UID as an instance already stored, but different content: not imported."
      />
      <FileList title="Skipped" files={summary.skipped} testId="skipped-file" hint="Valid files that hold no image instance." />
    </div>
  );
}
