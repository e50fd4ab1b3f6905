// Killing the app at any moment loses nothing it acknowledged: a child process
// records lesions in a loop and is killed with SIGKILL at random moments; after
// each kill, every acknowledged lesion is in the store and SQLite is intact.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { verifyAudit } from '../../../main/store/audit';
import { openDatabase } from '../../../main/store/database';
import { openWorkstation } from '../../../main/workstation';
import { projectRoot, tempFolder } from '../../helpers/fixtures';
import { seededRandom } from '../../helpers/mutate';

const KILLS = 12;

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

describe('crash safety', () => {
  it(`keeps every acknowledged write through ${KILLS} SIGKILLs at random moments`, async () => {
    const folder = tempFolder();
    const script = await buildWriter();
    const dbPath = join(folder, 'store.sqlite');
    const setup = openWorkstation({ dbPath, actor: 'setup', rendererDir: folder });
    const participant = await setup.dispatch('saveParticipant', { subjectCode: '001', baselineDate: '2024-01-01' });
    setup.close();
    if (!participant.ok) throw new Error('setup failed');
    const participantId = (participant.value as { id: number }).id;
    const random = seededRandom(99);
    const acknowledged: number[] = [];
    for (let kill = 0; kill < KILLS; kill += 1) {
      acknowledged.push(...(await runUntilKilled(script, dbPath, participantId, 300 + Math.floor(random() * 700))));
      const raw = new Database(dbPath);
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = new Set(raw.prepare('SELECT id FROM lesions').pluck().all() as number[]);
      raw.close();
      const lost = acknowledged.filter((id) => !stored.has(id));
      expect(lost, `after kill ${kill + 1}`).toEqual([]);
    }
    expect(acknowledged.length).toBeGreaterThan(KILLS);
    const db = openDatabase(dbPath);
    expect(verifyAudit(db).ok).toBe(true);
    db.close();
  }, 120_000);
});
