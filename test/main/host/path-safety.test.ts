// No request makes main read or list a path outside what the user chose:
// the renderer's own files by URL (no "..", encodings or symbolic links out
// of it), instances by database id only, and imports that do not follow
// symbolic links out of the chosen folder.
import { copyFileSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkstation } from '../../../main/workstation';
import { geSeries, tempFolder } from '../../helpers/fixtures';

const SECRET = 'secret outside the renderer folder';

function setup() {
  const folder = tempFolder();
  const rendererDir = join(folder, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>LesionTrack</title>');
  writeFileSync(join(folder, 'secret.txt'), SECRET);
  symlinkSync(join(folder, 'secret.txt'), join(rendererDir, 'assets', 'leak.js'));
  symlinkSync(folder, join(rendererDir, 'up'));
  const workstation = openWorkstation({ dbPath: join(folder, 'store.sqlite'), actor: 'paths', rendererDir });
  return { folder, workstation };
}

describe('path safety', () => {
  it('serves nothing outside the renderer folder, however the path is written', async () => {
    const { workstation } = setup();
    const paths = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/../../secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/%5c..%5csecret.txt',
      '/..%5csecret.txt',
      '//etc/passwd',
      '/%00index.html',
      '/index.html%00.js',
      '/assets/leak.js',
      '/up/secret.txt',
      '/instances/../secret.txt',
      '/instances/1.5',
      '/instances/-1',
      '/instances/1e3',
      '/instances/0x10',
      '/instances/1',
      `/instances/${'0'.repeat(32)}/1`,
      `/instances/${'0'.repeat(32)}/../secret.txt`,
    ];
    for (const path of paths) {
      const response = await workstation.handleAppRequest(new Request(`app://lesiontrack${path}`));
      const text = await response.text();
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(text, path).not.toContain(SECRET);
    }
    expect((await workstation.handleAppRequest(new Request('app://lesiontrack/index.html'))).status).toBe(200);
    // The URL parser folds "%2e%2e" into ".." before main sees it: this is the app's own page, nothing else.
    const folded = await workstation.handleAppRequest(new Request('app://lesiontrack/instances/%2e%2e'));
    expect(await folded.text()).toContain('<title>LesionTrack</title>');
    workstation.close();
  });

  it('imports only what lies in the chosen folder: symbolic links out of it are listed, not followed', async () => {
    const { folder, workstation } = setup();
    const chosen = join(folder, 'chosen');
    const outside = join(folder, 'outside');
    mkdirSync(chosen);
    mkdirSync(outside);
    const files = readdirSync(geSeries).sort();
    for (const name of files.slice(0, 5)) copyFileSync(join(geSeries, name), join(chosen, name));
    for (const name of files.slice(5)) copyFileSync(join(geSeries, name), join(outside, name));
    symlinkSync(outside, join(chosen, 'link-to-folder'));
    symlinkSync(join(outside, files[5]!), join(chosen, 'link-to-file.dcm'));
    symlinkSync(chosen, join(chosen, 'loop'));
    const answer = (await workstation.dispatch('importFolder', { folder: chosen })) as { ok: boolean; value: { instancesAdded: number; rejected: { path: string; reason: string }[] } };
    expect(answer.ok).toBe(true);
    expect(answer.value.instancesAdded).toBe(5);
    expect(answer.value.rejected.filter((item) => item.reason === 'symbolic link, not followed').map((item) => item.path).sort()).toEqual(['link-to-file.dcm', 'link-to-folder', 'loop']);
    workstation.close();
  });
});
