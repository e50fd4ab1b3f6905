// Kill-at-random runs of the crash writer, shared by the crash-safety test
// (a dozen kills) and the bench (a hundred): after each SIGKILL, every write
// the writer acknowledged must be in the store and SQLite must be intact.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { verifyAudit } from '../../main/store/audit';
import { openDatabase } from '../../main/store/database';
import { openWorkstation } from '../../main/workstation';
import { seededRandom } from './mutate';
import { projectRoot } from './paths';

/** Bundled inside the project so that the child resolves the project's packages. */
async function buildWriter(): Promise<string> {
  const outfile = join(projectRoot, 'node_modules', '.cache', 'lesiontrack', 'crash-writer.mjs');
  await build({ entryPoints: [join(projectRoot, 'test', 'helpers', 'crash-writer.ts')], bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', outfile, logLevel: 'silent' });
  return outfile;
}

function runUntilKilled(script: string, dbPath: string, participantId: number, afterMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [script, dbPath, String(participantId), '0'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged: number[] = [];
    let pending = '';
    let errors = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) acknowledged.push(Number(line));
    });
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`writer ended on its own: ${errors}`));
      else resolve(acknowledged);
    });
  });
}

export interface CrashRun {
  kills: number;
  acknowledged: number;
  /** Acknowledged writes missing after a kill, per kill. */
  lost: number[][];
  /** integrity_check after each kill. */
  integrity: string[];
  auditIntact: boolean;
}

export async function crashRun(folder: string, kills: number, seed = 99): Promise<CrashRun> {
  const script = await buildWriter();
  const dbPath = join(folder, 'store.sqlite');
  const setup = openWorkstation({ dbPath, actor: 'setup', rendererDir: folder });
  const participant = await setup.dispatch('saveParticipant', { subjectCode: '001', baselineDate: '2024-01-01' });
  setup.close();
  if (!participant.ok) throw new Error('setup failed');
  const participantId = (participant.value as { id: number }).id;
  const random = seededRandom(seed);
  const acknowledged: number[] = [];
  const lost: number[][] = [];
  const integrity: string[] = [];
  for (let kill = 0; kill < kills; kill += 1) {
    acknowledged.push(...(await runUntilKilled(script, dbPath, participantId, 300 + Math.floor(random() * 700))));
    const raw = new Database(dbPath);
    integrity.push(String(raw.pragma('integrity_check', { simple: true })));
    const stored = new Set(raw.prepare('SELECT id FROM lesions').pluck().all() as number[]);
    raw.close();
    lost.push(acknowledged.filter((id) => !stored.has(id)));
  }
  const db = openDatabase(dbPath);
  const auditIntact = verifyAudit(db).ok;
  db.close();
  return { kills, acknowledged: acknowledged.length, lost, integrity, auditIntact };
}
