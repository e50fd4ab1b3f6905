import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { readInstanceHeader } from '../../../main/dicom/header';
import { createHeaderPool } from '../../../main/dicom/header-pool';
import { listFiles } from '../../../main/dicom/importer';
import { fixtures, projectRoot, tempFolder } from '../../helpers/fixtures';

const builtWorker = join(projectRoot, 'dist', 'main', 'header-worker.js');

/** A stand-in worker that misbehaves on request, to prove the pool's limits with real threads. */
function misbehavingWorker(): string {
  const file = join(tempFolder(), 'worker.mjs');
  writeFileSync(
    file,
    `import { parentPort } from 'node:worker_threads';
     parentPort.on('message', (path) => {
       if (path.endsWith('hang')) for (;;) {}
       if (path.endsWith('balloon')) { const keep = []; for (;;) keep.push(new Array(1e6).fill(path)); }
       if (path.endsWith('throw')) throw new Error('boom');
       parentPort.postMessage({ kind: 'rejected', reason: 'read ' + path, bytesRead: 0 });
     });
     parentPort.postMessage('ready');`,
  );
  return file;
}

describe('the header worker pool', () => {
  it('gives exactly what the same-thread reader gives, for every fixture file', async () => {
    expect(existsSync(builtWorker)).toBe(true);
    const pool = createHeaderPool({ workerFile: builtWorker, size: 2 });
    const { files } = listFiles(fixtures);
    const pooled = await Promise.all(files.map((file) => pool.read(file)));
    await pool.close();
    expect(pooled).toEqual(files.map((file) => readInstanceHeader(file)));
  });

  it('rejects a file that makes the parser loop, restarts the worker, and goes on with the rest', async () => {
    // Each file's clock starts when its worker is up (a new thread after the hang too), so a loaded machine meets 3 s.
    const pool = createHeaderPool({ workerFile: misbehavingWorker(), size: 1, timeoutMs: 3000 });
    const reads = await Promise.all(['a', 'b-hang', 'c', 'd'].map((path) => pool.read(path)));
    await pool.close();
    expect(reads.map((read) => (read.kind === 'rejected' ? read.reason : read.kind))).toEqual(['read a', 'took longer than 3 s to parse', 'read c', 'read d']);
  });

  it('starts a file\'s clock only when its worker is up, however slowly the thread starts', async () => {
    const slowStart = join(tempFolder(), 'slow-start.mjs');
    writeFileSync(
      slowStart,
      `import { parentPort } from 'node:worker_threads';
       const until = Date.now() + 4000;
       while (Date.now() < until) {}
       parentPort.on('message', (path) => parentPort.postMessage({ kind: 'rejected', reason: 'read ' + path, bytesRead: 0 }));
       parentPort.postMessage('ready');`,
    );
    const pool = createHeaderPool({ workerFile: slowStart, size: 1, timeoutMs: 2000 });
    const reads = await Promise.all(['a', 'b'].map((path) => pool.read(path)));
    await pool.close();
    expect(reads.map((read) => (read.kind === 'rejected' ? read.reason : read.kind))).toEqual(['read a', 'read b']);
  });

  it('keeps a process that only awaits its files alive while its worker is still starting', async () => {
    // Vitest's own handles keep this process alive whatever the pool does: the caller has to be a process of its own.
    const folder = tempFolder();
    const slowStart = join(folder, 'slow-start.mjs');
    writeFileSync(
      slowStart,
      `import { parentPort } from 'node:worker_threads';
       const until = Date.now() + 500;
       while (Date.now() < until) {}
       parentPort.on('message', (path) => parentPort.postMessage({ kind: 'rejected', reason: 'read ' + path, bytesRead: 0 }));
       parentPort.postMessage('ready');`,
    );
    const caller = join(folder, 'caller.mjs');
    await build({
      stdin: {
        contents: `import { createHeaderPool } from './main/dicom/header-pool';
          const pool = createHeaderPool({ workerFile: process.argv[2], size: 1 });
          const read = await pool.read('a');
          await pool.close();
          console.log(read.kind === 'rejected' ? read.reason : read.kind);`,
        resolveDir: projectRoot,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      outfile: caller,
      // dicom-parser, bundled in, still calls require.
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      logLevel: 'silent',
    });
    const run = spawnSync(process.execPath, [caller, slowStart], { encoding: 'utf8' });
    // Node exits with 13 when the event loop empties under an unsettled top-level await.
    expect({ status: run.status, stdout: run.stdout.trim() }).toEqual({ status: 0, stdout: 'read a' });
  });

  it('rejects a file that exhausts the memory cap or crashes the worker, and goes on', async () => {
    const pool = createHeaderPool({ workerFile: misbehavingWorker(), size: 1, memoryMb: 32, timeoutMs: 20_000 });
    const reads = await Promise.all(['a', 'x-balloon', 'y-throw', 'b'].map((path) => pool.read(path)));
    await pool.close();
    expect(reads.map((read) => (read.kind === 'rejected' ? read.reason : read.kind))).toEqual([
      'read a',
      'could not be parsed within the memory limit',
      'the header reader failed on this file',
      'read b',
    ]);
  });

  it('refuses work after it is closed', async () => {
    const pool = createHeaderPool({ workerFile: misbehavingWorker(), size: 1 });
    await pool.close();
    await expect(pool.read('a')).rejects.toThrow(/closed/);
  });
});
