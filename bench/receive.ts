// The DICOM listener's receive rate and memory, beside dcmtk's own storescp
// receiving the same 2,000-file study from the same storescu on the same
// machine in the same run: files/s and MB/s of the whole send (every C-STORE
// acknowledged), and the listener's peak resident memory while the study
// arrives against the study's size (what holding it whole would cost).
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startDicomListener } from '../main/network/listener';
import { freePort } from '../test/helpers/free-port';
import { makeLargeFolder } from './large-folder';
import { compare, emit, round } from './report';

const run = promisify(execFile);
const FILES = 2000;

/** The files under a folder, at any depth, with their sizes. */
function filesUnder(folder: string): { name: string; size: number }[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).flatMap((name) => {
    const stat = statSync(join(folder, name));
    return stat.isFile() ? [{ name, size: stat.size }] : [];
  });
}

/** Seconds storescu takes to send the folder to an SCP at `port`. */
async function sendSeconds(folder: string, port: number, calledAe: string): Promise<number> {
  const start = performance.now();
  await run('storescu', ['--scan-directories', '--recurse', '--required', '--log-level', 'error', '-aet', 'BENCH', '-aec', calledAe, '127.0.0.1', String(port), folder], { maxBuffer: 16 * 1024 * 1024 });
  return (performance.now() - start) / 1000;
}

export async function benchReceive(templates: readonly string[]): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'lesiontrack-bench-receive-'));
  try {
    const study = join(work, 'study');
    makeLargeFolder(study, FILES, templates);
    const megabytes = filesUnder(study).reduce((sum, file) => sum + file.size, 0) / 1e6;

    // dcmtk's storescp writing every file to disk, as the listener does.
    const peerPort = await freePort();
    const peerOut = join(work, 'storescp');
    mkdirSync(peerOut);
    const storescp = spawn('storescp', ['--log-level', 'error', '-aet', 'PEER', '--output-directory', peerOut, String(peerPort)], { stdio: 'ignore' });
    let peerSeconds: number;
    try {
      await waitForPort(peerPort);
      peerSeconds = await sendSeconds(study, peerPort, 'PEER');
    } finally {
      storescp.kill('SIGTERM');
    }

    const port = await freePort();
    let peak = process.memoryUsage().rss;
    const before = peak;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const listener = await startDicomListener({
      config: { aeTitle: 'LESIONTRACK', port, address: '127.0.0.1', allowed: [{ aeTitle: 'BENCH', host: '127.0.0.1' }] },
      receivedRoot: join(work, 'received'),
      importBatch: async () => {},
      onEvent: () => {},
    });
    let seconds: number;
    try {
      seconds = await sendSeconds(study, port, 'LESIONTRACK');
    } finally {
      clearInterval(sampler);
      await listener.close();
    }
    // Both must have every file, or the rates compare different work.
    const count = (folder: string) => filesUnder(folder).filter((file) => !file.name.endsWith('.txt')).length;
    const [peerFiles, ourFiles] = [count(peerOut), count(join(work, 'received'))];
    if (peerFiles !== FILES || ourFiles !== FILES) throw new Error(`receive-2000: storescp kept ${peerFiles} and the listener ${ourFiles} of ${FILES} files`);
    const peer = `dcmtk storescp receiving the same ${FILES} files from storescu`;
    compare({ case: 'receive-2000', metric: 'files received per second (every C-STORE acknowledged)', unit: 'files/s', value: FILES / seconds }, peer, FILES / peerSeconds);
    compare({ case: 'receive-2000', metric: 'megabytes received per second', unit: 'MB/s', value: megabytes / seconds }, peer, megabytes / peerSeconds);
    emit({ case: 'receive-2000', metric: 'peak resident memory added while the study arrives', unit: 'MB', value: round((peak - before) / 1e6), peer: `the study's size (${FILES} files)`, peer_value: round(megabytes), ratio: round((peak - before) / 1e6 / megabytes, 3) });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    try {
      await run('echoscu', ['-aec', 'PEER', '127.0.0.1', String(port)]);
      return;
    } catch {
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    }
  }
  throw new Error(`storescp did not start on port ${port}`);
}
