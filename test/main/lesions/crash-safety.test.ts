// Killing the app at any moment loses nothing it acknowledged: a child process
// records lesions in a loop and is killed with SIGKILL at random moments; after
// each kill, every acknowledged lesion is in the store and SQLite is intact.
// The bench runs the same with a hundred kills.
import { describe, expect, it } from 'vitest';
import { crashRun } from '../../helpers/crash-run';
import { tempFolder } from '../../helpers/fixtures';

const KILLS = 12;

describe('crash safety', () => {
  it(`keeps every acknowledged write through ${KILLS} SIGKILLs at random moments`, async () => {
    const run = await crashRun(tempFolder(), KILLS);
    expect(run.integrity).toEqual(Array.from({ length: KILLS }, () => 'ok'));
    expect(run.lost).toEqual(Array.from({ length: KILLS }, () => []));
    expect(run.acknowledged).toBeGreaterThan(KILLS);
    expect(run.auditIntact).toBe(true);
  });
});
