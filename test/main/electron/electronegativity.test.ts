// Electronegativity over the shell's source and its built JavaScript, each
// beside the built page (where the meta Content-Security-Policy lives).
// The one finding accepted is listed below with its reason.
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronegativity } from '../../helpers/electronegativity';
import { projectRoot, tempFolder } from '../../helpers/fixtures';

const electronVersion = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { devDependencies: { electron: string } }).devDependencies.electron;

/** The tool reads .js/.ts/.html only: the built CommonJS files are copied as .js. */
function scanFolder(files: { from: string; as: string }[]): string {
  const folder = tempFolder('lesiontrack-egy-');
  for (const file of files) {
    mkdirSync(join(folder, file.as, '..'), { recursive: true });
    copyFileSync(file.from, join(folder, file.as));
  }
  return folder;
}

/**
 * csp-evaluator (inside electronegativity) marks script-src 'self' as maybe
 * weak, for sites that host JSONP, Angular templates or user uploads on their
 * origin. The app's origin serves only the built bundle; DICOM bytes leave as
 * application/dicom with nosniff, which no browser runs as script.
 */
const ACCEPTED = [{ id: 'CSP_GLOBAL_CHECK', file: 'page/index.html', description: 'One or more CSP directives detected seems to be vulnerable' }];
const unaccepted = (findings: { id: string; file: string; description: string }[]) =>
  findings.filter((finding) => !ACCEPTED.some((accepted) => accepted.id === finding.id && accepted.file === finding.file && accepted.description === finding.description));

const builtPage = { from: join(projectRoot, 'dist', 'renderer', 'index.html'), as: 'page/index.html' };

describe('electronegativity', () => {
  it('finds nothing in the shell source', async () => {
    const sources = readdirSync(join(projectRoot, 'main', 'electron')).map((name) => ({ from: join(projectRoot, 'main', 'electron', name), as: `source/${name}` }));
    expect(sources.length).toBeGreaterThanOrEqual(5);
    const result = await electronegativity(scanFolder([...sources, builtPage]), electronVersion);
    expect(result.checks).toBeGreaterThan(30);
    expect(result.errors).toEqual([]);
    expect(unaccepted(result.findings)).toEqual([]);
  });

  it('finds nothing in the built shell', async () => {
    const built = ['main.cjs', 'preload.cjs'].map((name) => ({ from: join(projectRoot, 'dist', 'shell', name), as: `built/${name.replace('.cjs', '.js')}` }));
    const result = await electronegativity(scanFolder([...built, builtPage]), electronVersion);
    expect(result.errors).toEqual([]);
    expect(unaccepted(result.findings)).toEqual([]);
  });

  it('does find an insecure window, so a clean result means something', async () => {
    const folder = tempFolder('lesiontrack-egy-');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(folder, 'bad.js'), "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n");
    const ids = (await electronegativity(folder, electronVersion)).findings.map((finding) => finding.id);
    expect(ids).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'CSP_GLOBAL_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK']));
  });
});
