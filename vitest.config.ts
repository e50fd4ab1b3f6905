// Two projects with limits that match their work on a loaded 2-core machine:
// `unit` (pure code, the store, the CLI on fixtures) and `e2e` (headless
// Chromium, and the tests that generate a demo trial or kill processes),
// whose tests wait for images to decode, alignments to run and trials to be
// written. A limit is there to stop a hang, never to time the product:
// speed belongs in `npm run bench`.
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Tests that generate a synthetic trial (the demo, test/helpers/trial-store.ts), drive child
 * processes or start servers (Orthanc, dcmtk): minutes, not seconds, on a loaded machine. A new test that generates one belongs here.
 */
const SLOW_NODE_TESTS = [
  'test/main/cli/qualification-demo.test.ts',
  'test/main/network/*.test.ts',
  'test/main/demo/**/*.test.ts',
  'test/main/derived/derived.test.ts',
  'test/main/exports/exports.test.ts',
  'test/main/lesions/*.test.ts',
  'test/main/reading/*.test.ts',
  'test/main/reads/{blinding,signed-reads,signoff,tracks}.test.ts',
  'test/main/services/session.test.ts',
  'test/main/store/tamper.test.ts',
  'test/main/trial/worklist.test.ts',
];

export default defineConfig({
  test: {
    environment: 'node',
    // Native SQLite and Chromium: separate processes keep a crash in one file from hiding others.
    pool: 'forks',
    // Vitest's default on 2 cores is one file at a time, yet an end-to-end test spends most
    // of its time waiting on Chromium or a worker thread: two files share the machine.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // A condition that needs an image fetched and decoded takes seconds under load, not the default 1 s,
    // and over 20 s on a machine loaded eight times over (seen while other jobs shared it).
    expect: { poll: { timeout: 60_000, interval: 50 } },
    coverage: {
      provider: 'v8',
      include: ['shared/**/*.ts', 'main/**/*.ts'],
      reporter: ['text-summary', 'text'],
      reportsDirectory: 'coverage',
    },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', ...SLOW_NODE_TESTS], testTimeout: 60_000, hookTimeout: 120_000 },
      },
      {
        extends: true,
        // At least the sum of the longest waits inside one test (several 60 s waits for decoding and alignment).
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts', ...SLOW_NODE_TESTS], testTimeout: 600_000, hookTimeout: 600_000 },
      },
    ],
  },
});
