import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Native SQLite and Chromium: separate processes keep a crash in one file from hiding others.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    coverage: {
      provider: 'v8',
      include: ['shared/**/*.ts', 'main/**/*.ts'],
      reporter: ['text-summary', 'text'],
      reportsDirectory: 'coverage',
    },
  },
});
