// Exports for the trial database, as `lesiontrack export` writes them: each
// file is built in main and saved by the browser (or Electron's save dialog).
// Subject codes only; see docs/EXPORTS.md.
import { useState } from 'react';
import { client } from '../api';
import { errorMessage } from '../format';

const FORMATS = [
  { format: 'counts-csv', label: 'Counts (CSV)' },
  { format: 'sdtm', label: 'SDTM TU / TR' },
  { format: 'redcap', label: 'REDCap import' },
  { format: 'odm', label: 'ODM-XML 1.3.2' },
] as const;

function save(name: string, mediaType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mediaType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportPanel() {
  const [signedOnly, setSignedOnly] = useState(true);
  const [status, setStatus] = useState<string | null>(null);

  async function run(format: (typeof FORMATS)[number]['format']) {
    try {
      const { files } = await client.exportFiles({ format, signedOnly });
      for (const file of files) save(file.name, file.mediaType, file.content);
      setStatus(`Saved ${files.map((file) => file.name).join(', ')}`);
    } catch (failure) {
      setStatus(`Not exported: ${errorMessage(failure)}`);
    }
  }

  return (
    <section className="panel export-panel" aria-labelledby="export-title" data-testid="exports">
      <h2 id="export-title">Exports for the trial database</h2>
      <div className="inline-form">
        <label>
          <input type="checkbox" checked={signedOnly} onChange={(event) => setSignedOnly(event.target.checked)} /> signed reads only
        </label>
        {FORMATS.map((item) => (
          <button key={item.format} type="button" data-testid={`export-${item.format}`} onClick={() => void run(item.format)}>
            {item.label}
          </button>
        ))}
      </div>
      {status && (
        <p className="muted" role="status" data-testid="export-status">
          {status}
        </p>
      )}
    </section>
  );
}
