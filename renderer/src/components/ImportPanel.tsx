// Import a folder of DICOM files: the platform's folder dialog where the host
// has one (Electron), otherwise a typed path (the browser host).
import { type FormEvent, useState } from 'react';
import type { ImportJob, ImportSummary } from '../../../shared/contract';
import { client, runsInDesktopShell } from '../api';
import { errorMessage, plural } from '../format';
import { ErrorNotice } from './ErrorNotice';
import { ImportSummaryView } from './ImportSummaryView';

type ImportState =
  | { kind: 'idle' }
  | { kind: 'busy'; job: ImportJob | null; folder: string }
  | { kind: 'done'; summary: ImportSummary }
  | { kind: 'cancelled'; job: ImportJob }
  | { kind: 'failed'; message: string };

const POLL_MS = 200;

export function ImportPanel({ onImported }: { onImported: () => void }) {
  const [folder, setFolder] = useState('');
  const [state, setState] = useState<ImportState>({ kind: 'idle' });
  const [dialogMissing, setDialogMissing] = useState(!runsInDesktopShell);
  const busy = state.kind === 'busy';

  // The import runs as a job in main; the panel follows it and can cancel it.
  async function runImport(chosen: string) {
    setState({ kind: 'busy', job: null, folder: chosen });
    try {
      let job = await client.startImport({ folder: chosen });
      while (job.state === 'running') {
        setState({ kind: 'busy', job, folder: chosen });
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        job = await client.importStatus({ jobId: job.jobId });
      }
      if (job.state === 'done' && job.summary) setState({ kind: 'done', summary: job.summary });
      else if (job.state === 'cancelled') setState({ kind: 'cancelled', job });
      else setState({ kind: 'failed', message: job.error ?? 'The import failed.' });
    } catch (error) {
      setState({ kind: 'failed', message: errorMessage(error) });
    } finally {
      onImported();
    }
  }

  async function cancel(job: ImportJob) {
    try {
      await client.cancelImport({ jobId: job.jobId });
    } catch (error) {
      setState({ kind: 'failed', message: errorMessage(error) });
    }
  }

  async function chooseWithDialog() {
    try {
      const choice = await client.chooseFolder({});
      if (!choice.supported) {
        setDialogMissing(true);
        return;
      }
      if (choice.folder !== null) {
        setFolder(choice.folder);
        await runImport(choice.folder);
      }
    } catch (error) {
      setState({ kind: 'failed', message: errorMessage(error) });
    }
  }

  function submitTypedPath(event: FormEvent) {
    event.preventDefault();
    const chosen = folder.trim();
    if (chosen && !busy) void runImport(chosen);
  }

  return (
    <section className="panel import-panel" aria-busy={busy} aria-labelledby="import-title">
      <h2 id="import-title">Import</h2>
      {!dialogMissing && (
        <button type="button" className="primary" data-testid="choose-folder" disabled={busy} onClick={() => void chooseWithDialog()}>
          Choose folder…
        </button>
      )}
      {dialogMissing && (
        <form className="import-form" onSubmit={submitTypedPath}>
          <label htmlFor="import-path">Folder to import</label>
          <div className="import-row">
            <input
              id="import-path"
              data-testid="import-path"
              type="text"
              spellCheck={false}
              autoComplete="off"
              placeholder="/media/cdrom or C:\Scans\001"
              value={folder}
              disabled={busy}
              onChange={(event) => setFolder(event.target.value)}
            />
            <button type="submit" className="primary" data-testid="import-button" disabled={busy || folder.trim() === ''}>
              Import
            </button>
          </div>
        </form>
      )}
      {state.kind === 'busy' && <ImportProgress folder={state.folder} job={state.job} onCancel={(job) => void cancel(job)} />}
      {state.kind === 'cancelled' && (
        <p className="notice" role="status" data-testid="import-cancelled">
          Import cancelled after {plural(state.job.filesDone, 'file')}. What was read before the cancel is kept; import the folder again to finish it.
        </p>
      )}
      {state.kind === 'failed' && <ErrorNotice title="Import failed" message={state.message} />}
      {state.kind === 'done' && <ImportSummaryView summary={state.summary} onDismiss={() => setState({ kind: 'idle' })} />}
    </section>
  );
}

function ImportProgress({ folder, job, onCancel }: { folder: string; job: ImportJob | null; onCancel: (job: ImportJob) => void }) {
  const total = job?.filesTotal ?? 0;
  const done = job?.filesDone ?? 0;
  return (
    <div className="import-progress" role="status" data-testid="import-progress">
      <p className="busy">
        <span className="spinner" aria-hidden="true" />
        {total > 0 ? `${done.toLocaleString('en')} of ${total.toLocaleString('en')} files` : `Looking for files in ${folder}…`}
      </p>
      <progress max={Math.max(total, 1)} value={done} aria-label="Files read" />
      {job?.currentFolder && <p className="muted current-folder">in {job.currentFolder}</p>}
      <p className="muted">Headers only; pixel data is read when a series is viewed.</p>
      <button type="button" data-testid="import-cancel" disabled={job === null} onClick={() => job && onCancel(job)}>
        Cancel import
      </button>
    </div>
  );
}
