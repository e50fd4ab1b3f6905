// Runs Doyensec's electronegativity programmatically, offline. Its CLI does
// not start with the commander version npm installs beside it, and the tool
// fetches translations and Electron's release list from GitHub: both are
// replaced here by an immediate failure, which it handles by using its
// bundled English texts. The release check (AvailableSecurityFixesGlobalCheck)
// is skipped: it needs the internet, and the Electron version is pinned in
// package.json and upgraded deliberately.
import { createRequire } from 'node:module';

export interface Finding {
  id: string;
  file: string;
  line: number;
  description: string;
}

const require = createRequire(import.meta.url);
const runnerPath = require.resolve('@doyensec/electronegativity/dist/runner.js');

function blockNetwork(): void {
  const gotPath = createRequire(runnerPath).resolve('got');
  const refuse = () => Promise.reject(new Error('LesionTrack tests run offline.'));
  const offlineGot = Object.assign(refuse, { head: refuse, get: refuse });
  require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offlineGot } as unknown as NodeJS.Module;
}

export async function electronegativity(input: string, electronVersion: string): Promise<{ checks: number; errors: string[]; findings: Finding[] }> {
  blockNetwork();
  const run = require(runnerPath) as (options: object, forCli: boolean) => Promise<{
    globalChecks: number;
    atomicChecks: number;
    errors: { file: string; message: string }[];
    issues: { id: string; file: string; location: { line: number }; description: string }[];
  }>;
  const silenced = console.log;
  console.log = () => {}; // it prints its fallback notices to stdout
  try {
    const result = await run(
      { input, customScan: [], excludeFromScan: ['AvailableSecurityFixesGlobalCheck'], isRelative: true, electronVersionOverride: electronVersion },
      false,
    );
    return {
      checks: result.globalChecks + result.atomicChecks,
      errors: result.errors.map((error) => `${error.file}: ${error.message}`),
      findings: result.issues.map((issue) => ({ id: issue.id, file: issue.file, line: issue.location.line, description: issue.description })),
    };
  } finally {
    console.log = silenced;
  }
}
