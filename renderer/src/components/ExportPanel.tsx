// Exports for the trial database, as `lesiontrack export` writes them: each
// file is built in main and saved by the browser (or Electron's save dialog).
// Formats that write a folder of files (DICOM SR) are saved as one zip.
// Subject codes only; see docs/EXPORTS.md.
import { zipSync } from 'fflate';
import { useState } from 'react';
import { type ExportFormat, ExportFormatSchema, type ExportReads, ExportReadsSchema, type RedcapMapping } from '../../../shared/contract';
import { client } from '../api';
import { errorMessage } from '../format';

// Shown in the contract's order; a format or choice of reads without words here does not compile.
const FORMAT_LABELS: Readonly<Record<ExportFormat, string>> = {
  'counts-csv': 'Counts (CSV)',
  sdtm: 'SDTM TU / TR',
  redcap: 'REDCap import',
  odm: 'ODM-XML 1.3.2',
  'dicom-sr': 'DICOM SR (TID 1500)',
};

const READS_LABELS: Readonly<Record<ExportReads, string>> = {
  signed: 'Signed reads only',
  all: 'All reads (refused while any is unsigned)',
  preliminary: 'Preliminary: unsigned reads too, in files marked PRELIMINARY',
};

interface SavedFile {
  name: string;
  mediaType: string;
  bytes: Uint8Array<ArrayBuffer>;
}

function download(file: SavedFile): void {
  const url = URL.createObjectURL(new Blob([file.bytes], { type: file.mediaType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function bytesOf(file: { encoding: 'utf8' | 'base64'; content: string }): Uint8Array<ArrayBuffer> {
  if (file.encoding === 'utf8') return new TextEncoder().encode(file.content);
  return Uint8Array.from(atob(file.content), (character) => character.charCodeAt(0));
}

/** One download per file, or one zip (named after the folder) when the export is a folder. */
function toDownloads(files: readonly { name: string; mediaType: string; encoding: 'utf8' | 'base64'; content: string }[]): SavedFile[] {
  const folder = files[0]?.name.includes('/') ? files[0].name.split('/')[0]! : null;
  if (folder === null) return files.map((file) => ({ name: file.name, mediaType: file.mediaType, bytes: bytesOf(file) }));
  const zipped = zipSync(Object.fromEntries(files.map((file) => [file.name, bytesOf(file)])), { level: 6 });
  return [{ name: `${folder}.zip`, mediaType: 'application/zip', bytes: new Uint8Array(zipped) }];
}

export function ExportPanel() {
  const [reads, setReads] = useState<ExportReads>('signed');
  const [mapping, setMapping] = useState<{ name: string; value: RedcapMapping } | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  async function run(format: ExportFormat) {
    try {
      setStatus('Exporting…');
      const { files } = await client.exportFiles({ format, reads, ...(format === 'redcap' && mapping ? { redcapMapping: mapping.value } : {}) });
      if (files.length === 0) {
        setStatus('Nothing to export: no read matches.');
        return;
      }
      const saved = toDownloads(files);
      for (const file of saved) download(file);
      setStatus(`Saved ${saved.map((file) => file.name).join(', ')}${saved.length === 1 && files.length > 1 ? ` (${files.length} files)` : ''}`);
    } catch (failure) {
      setStatus(`Not exported: ${errorMessage(failure)}`);
    }
  }

  async function chooseMapping(file: File | undefined) {
    if (!file) return;
    try {
      setMapping({ name: file.name, value: JSON.parse(await file.text()) as RedcapMapping });
      setStatus(null);
    } catch (failure) {
      setMapping(null);
      setStatus(`The mapping file ${file.name} is not JSON: ${errorMessage(failure)}`);
    }
  }

  return (
    <section className="panel export-panel" aria-labelledby="export-title" data-testid="exports">
      <h2 id="export-title">Exports for the trial database</h2>
      <fieldset className="export-reads">
        <legend>Reads</legend>
        {ExportReadsSchema.options.map((choice) => (
          <label key={choice}>
            <input type="radio" name="export-reads" value={choice} data-testid={`export-reads-${choice}`} checked={reads === choice} onChange={() => setReads(choice)} /> {READS_LABELS[choice]}
          </label>
        ))}
      </fieldset>
      <div className="inline-form">
        <label>
          REDCap mapping (JSON, optional){' '}
          <input type="file" accept=".json,application/json" data-testid="redcap-mapping" onChange={(event) => void chooseMapping(event.target.files?.[0])} />
        </label>
        {mapping && (
          <button type="button" onClick={() => setMapping(null)}>
            Use default REDCap names
          </button>
        )}
      </div>
      <div className="inline-form">
        {ExportFormatSchema.options.map((format) => (
          <button key={format} type="button" data-testid={`export-${format}`} onClick={() => void run(format)}>
            {FORMAT_LABELS[format]}
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
