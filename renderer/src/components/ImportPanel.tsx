// Import a folder of DICOM files: the platform's folder dialog where the host
// has one (Electron), otherwise a typed path (the browser host).
import { type FormEvent, useState } from 'react';
import type { ImportSummary } from '../../../shared/contract';
import { client, runsInDesktopShell } from '../api';
import { errorMessage } from '../format';
import { ErrorNotice } from './ErrorNotice';
import { ImportSummaryView } from './ImportSummaryView';

type ImportState = { kind: 'idle' } | { kind: 'busy'; folder: string } | { kind: 'done'; summary: ImportSummary } | { kind: 'failed'; message: string };

export function ImportPanel({ onImported }: { onImported: () => void }) {
  const [folder, setFolder] = useState('');
  const [state, setState] = useState<ImportState>({ kind: 'idle' });
  const [dialogMissing, setDialogMissing] = useState(!runsInDesktopShell);
  const busy = state.kind === 'busy';

  async function runImport(chosen: string) {
    setState({ kind: 'busy', folder: chosen });
    try {
      const summary = await client.importFolder({ folder: chosen });
      setState({ kind: 'done', summary });
    } catch (error) {
      setState({ kind: 'failed', message: errorMessage(error) });
    } finally {
      onImported();
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
      {state.kind === 'busy' && (
        <p className="busy" role="status">
          <span className="spinner" aria-hidden="true" />
          Importing {state.folder}… headers only; pixel data is read when viewed.
        </p>
      )}
      {state.kind === 'failed' && <ErrorNotice title="Import failed" message={state.message} />}
      {state.kind === 'done' && <ImportSummaryView summary={state.summary} onDismiss={() => setState({ kind: 'idle' })} />}
    </section>
  );
}
