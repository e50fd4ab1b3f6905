// `npm run bench`: one JSON object per line, {case, metric, unit, value,
// peer, peer_value, ratio}, each figure beside a peer or a floor measured in
// the same run on the same files, so results compare across commits and machines.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readInstanceHeader } from '../main/dicom/header';
import { importFolder, listFiles } from '../main/dicom/importer';
import { openDatabase } from '../main/store/database';

interface Result {
  case: string;
  metric: string;
  unit: string;
  value: number;
  peer?: string;
  peer_value?: number;
  ratio?: number;
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtureFolder = join(root, 'test', 'fixtures', 'dicom');
const PYTHON_WITH_PYDICOM = '/usr/bin/python3';

function emit(result: Result): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Best of several rounds: the least disturbed by whatever else the machine is doing. */
function filesPerSecond(files: readonly string[], rounds: number, work: (file: string) => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round += 1) {
    const start = performance.now();
    for (const file of files) work(file);
    best = Math.min(best, performance.now() - start);
  }
  return files.length / (best / 1000);
}

function readBytes(file: string, length: number, scratch: Buffer): void {
  const fd = openSync(file, 'r');
  try {
    let done = 0;
    while (done < length) {
      const got = readSync(fd, scratch, done, length - done, done);
      if (got === 0) break;
      done += got;
    }
  } finally {
    closeSync(fd);
  }
}

function pydicomFilesPerSecond(files: readonly string[], rounds: number): number | null {
  const script = `
import sys, time, pydicom
files = sys.stdin.read().split('\\0')
best = None
for _ in range(${rounds}):
    start = time.perf_counter()
    for f in files:
        try:
            pydicom.dcmread(f, stop_before_pixels=True, force=True)
        except Exception:
            pass
    elapsed = time.perf_counter() - start
    best = elapsed if best is None else min(best, elapsed)
print(len(files) / best)
`;
  const run = spawnSync(PYTHON_WITH_PYDICOM, ['-c', script], { input: files.join('\0'), encoding: 'utf8' });
  if (run.status !== 0) return null;
  const value = Number.parseFloat(run.stdout.trim());
  return Number.isFinite(value) ? value : null;
}

async function benchIndexing(caseName: string, folder: string, rounds: number): Promise<void> {
  const { files } = listFiles(folder);
  // Warm the page cache so every contender reads from memory.
  const bytesRead = new Map(files.map((file) => [file, readInstanceHeader(file).bytesRead]));
  const ours = filesPerSecond(files, rounds, (file) => readInstanceHeader(file));
  const scratch = Buffer.allocUnsafe(Math.max(...bytesRead.values(), 1));
  const raw = filesPerSecond(files, rounds, (file) => readBytes(file, bytesRead.get(file) ?? 0, scratch));
  emit({ case: caseName, metric: 'header indexing', unit: 'files/s', value: round(ours), peer: 'raw read of the same byte ranges', peer_value: round(raw), ratio: round(ours / raw, 3) });
  const pydicom = pydicomFilesPerSecond(files, rounds);
  if (pydicom !== null) {
    emit({ case: caseName, metric: 'header indexing', unit: 'files/s', value: round(ours), peer: 'pydicom dcmread(stop_before_pixels=True)', peer_value: round(pydicom), ratio: round(ours / pydicom, 3) });
  } else {
    process.stderr.write(`pydicom not available at ${PYTHON_WITH_PYDICOM} (Debian package python3-pydicom): peer skipped\n`);
  }

  const scratchFolder = mkdtempSync(join(tmpdir(), 'lesiontrack-bench-'));
  try {
    const db = openDatabase(join(scratchFolder, 'bench.sqlite'));
    const summary = await importFolder(db, folder, { actor: 'bench' });
    db.close();
    emit({ case: caseName, metric: 'import into a new store', unit: 'files/s', value: round(summary.filesSeen / (summary.elapsedMs / 1000)), peer: 'header indexing alone', peer_value: round(ours), ratio: round(summary.filesSeen / (summary.elapsedMs / 1000) / ours, 3) });
  } finally {
    rmSync(scratchFolder, { recursive: true, force: true });
  }
}

await benchIndexing('index-fixtures', fixtureFolder, 20);
