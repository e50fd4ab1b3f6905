// Kill-at-random runs of the crash writer, shared by the crash-safety test
// (a dozen kills) and the bench (a hundred): each writer is killed with
// SIGKILL at a random moment after its first acknowledged write; after each
// kill, every write it acknowledged must be in the store and SQLite must be intact.
import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { verifyAudit } from '../../main/store/audit';
import { openDatabase } from '../../main/store/database';
import { openWorkstation } from '../../main/workstation';
import { seededRandom } from './mutate';
import { projectRoot } from './paths';

/**
 * The kill comes up to this long after the first acknowledged write: long
 * enough to span many writes (a few milliseconds each), so kills land at
 * every stage of one.
 */
const MAX_DELAY_AFTER_FIRST_WRITE_MS = 400;

/**
 * Bundled inside the project so that the child resolves the project's
 * packages. Written to a new file renamed into place, never written through:
 * the file already there may be starting in a run beside this one, or be a
 * hard link shared with another checkout's node_modules.
 */
async function buildWriter(): Promise<string> {
  const folder = join(projectRoot, 'node_modules', '.cache', 'lesiontrack');
  const outfile = join(folder, 'crash-writer.mjs');
  const { outputFiles } = await build({ entryPoints: [join(projectRoot, 'test', 'helpers', 'crash-writer.ts')], bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', outfile, write: false, logLevel: 'silent' });
  mkdirSync(folder, { recursive: true });
  const fresh = `${outfile}.${process.pid}`;
  writeFileSync(fresh, outputFiles[0]!.contents);
  renameSync(fresh, outfile);
  return outfile;
}

interface Kill {
  /** Lesion ids the writer acknowledged before it died. */
  acknowledged: number[];
  /** Acknowledgements the runner had received when it sent SIGKILL. */
  acknowledgedBeforeKill: number;
  /** The writer's last word was "begin": it died with a write in flight. */
  midWrite: boolean;
}

/** Starts a writer and kills it `delayMs` after its first acknowledged write, however long starting takes. */
function runUntilKilled(script: string, dbPath: string, participantId: number, delayMs: number): Promise<Kill> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, dbPath, String(participantId), '0'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged: number[] = [];
    let acknowledgedBeforeKill = 0;
    let midWrite = false;
    let pending = '';
    let errors = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const [word, value] = line.split(' ');
        if (word === 'begin') midWrite = true;
        if (word !== 'ack') continue;
        midWrite = false;
        acknowledged.push(Number(value));
        if (acknowledged.length > 1) continue;
        timer = setTimeout(() => {
          acknowledgedBeforeKill = acknowledged.length;
          child.kill('SIGKILL');
        }, delayMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    // 'close', not 'exit': by then every line the writer printed has been read.
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`writer ended on its own: ${errors}`));
      else resolve({ acknowledged, acknowledgedBeforeKill, midWrite });
    });
  });
}

export interface CrashRun {
  kills: number;
  /** Kills sent after the writer had acknowledged at least one write. */
  killsAfterAWrite: number;
  /** Kills that landed while a write was in flight (announced, not acknowledged). */
  killsMidWrite: number;
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
  let killsAfterAWrite = 0;
  let killsMidWrite = 0;
  for (let index = 0; index < kills; index += 1) {
    const kill = await runUntilKilled(script, dbPath, participantId, Math.floor(random() * MAX_DELAY_AFTER_FIRST_WRITE_MS));
    acknowledged.push(...kill.acknowledged);
    if (kill.acknowledgedBeforeKill > 0) killsAfterAWrite += 1;
    if (kill.midWrite) killsMidWrite += 1;
    const raw = new Database(dbPath);
    integrity.push(String(raw.pragma('integrity_check', { simple: true })));
    const stored = new Set(raw.prepare('SELECT id FROM lesions').pluck().all() as number[]);
    raw.close();
    lost.push(acknowledged.filter((id) => !stored.has(id)));
  }
  const db = openDatabase(dbPath);
  const auditIntact = verifyAudit(db).ok;
  db.close();
  return { kills, killsAfterAWrite, killsMidWrite, acknowledged: acknowledged.length, lost, integrity, auditIntact };
}
