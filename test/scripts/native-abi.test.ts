// The native SQLite module is checked by loading it in the runtime about to
// use it, and its ABI is reported from that runtime, not from a tool's message.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/fixtures';

const script = join(projectRoot, 'scripts', 'native-abi.mjs');

describe('scripts/native-abi.mjs', () => {
  it("loads better-sqlite3 in Node and prints Node's ABI", () => {
    const run = spawnSync(process.execPath, [script, 'node'], { cwd: projectRoot, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(process.versions.modules);
  });

  // Where Electron was downloaded this would build for it (a minute, and headers from the internet).
  it.skipIf(existsSync(join(projectRoot, 'node_modules', 'electron', 'path.txt')))('says plainly that there is no Electron to build for where its binary was not downloaded', () => {
    const run = spawnSync(process.execPath, [script, 'electron'], { cwd: projectRoot, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Electron binary is not installed/);
  });
});
