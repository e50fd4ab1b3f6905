// Killing the app at any moment loses nothing it acknowledged: a child process
// records lesions in a loop and is killed with SIGKILL at random moments after
// its first acknowledged write; after each kill, every acknowledged lesion is
// in the store and SQLite is intact. The bench runs the same with a hundred kills.
import { describe, expect, it } from 'vitest';
import { crashRun } from '../../helpers/crash-run';
import { tempFolder } from '../../helpers/fixtures';

// Each writer may take seconds to start on a loaded machine: the e2e project's time limit (vitest.config.ts) allows for it.
const KILLS = 12;

describe('crash safety', () => {
  it(`keeps every acknowledged write through ${KILLS} SIGKILLs at random moments`, async () => {
    const run = await crashRun(tempFolder(), KILLS);
    // Each kill tests something only if it came after a write, and some must have hit a write in flight.
    expect(run.killsAfterAWrite).toBe(KILLS);
    expect(run.killsMidWrite).toBeGreaterThan(0);
    expect(run.acknowledged).toBeGreaterThanOrEqual(KILLS);
    expect(run.integrity).toEqual(Array.from({ length: KILLS }, () => 'ok'));
    expect(run.lost).toEqual(Array.from({ length: KILLS }, () => []));
    expect(run.auditIntact).toBe(true);
  });
});
