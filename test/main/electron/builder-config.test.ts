// electron-builder.yml checked by electron-builder's own JSON schema and
// against what the shell needs at run time, since packaging cannot run here.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv from 'ajv';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../helpers/fixtures';

const require = createRequire(import.meta.url);
const schema = require('app-builder-lib/scheme.json') as object;
const config = yaml.load(readFileSync(join(projectRoot, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
  files: string[];
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
  directories: { buildResources: string };
};
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe('electron-builder.yml', () => {
  it("validates against electron-builder's schema", () => {
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it('would be caught by the schema if misspelt', () => {
    expect(validate({ ...config, asarUnpak: ['x'] })).toBe(false);
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } })).toBe(false);
  });

  it('builds AppImage and deb, NSIS, and dmg for x64 and arm64', () => {
    expect(config.linux).toMatchObject({ target: ['AppImage', 'deb'] });
    expect(config.win).toMatchObject({ target: [{ target: 'nsis', arch: ['x64'] }] });
    expect(config.mac).toMatchObject({ target: [{ target: 'dmg', arch: ['x64', 'arm64'] }] });
    expect(config.fileAssociations).toEqual([]);
    expect(config.publish).toBeNull();
  });

  it('sets the release fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs what the shell loads and unpacks the native module and the workers', () => {
    const packageJson = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { main: string };
    expect(packageJson.main).toBe('dist/shell/main.cjs');
    for (const folder of ['dist/shell/**', 'dist/main/**', 'dist/renderer/**']) expect(config.files).toContain(folder);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/better-sqlite3/**', 'dist/main/header-worker.js', 'dist/main/demo-worker.js', 'dist/main/alignment-worker.js']));
    // The files the shell refers to by path exist after the build.
    for (const built of ['dist/shell/main.cjs', 'dist/shell/preload.cjs', 'dist/main/header-worker.js', 'dist/main/demo-worker.js', 'dist/main/alignment-worker.js', 'dist/renderer/index.html']) {
      expect(existsSync(join(projectRoot, built)), built).toBe(true);
    }
    expect(existsSync(join(projectRoot, config.directories.buildResources, 'icon.png'))).toBe(true);
  });
});
