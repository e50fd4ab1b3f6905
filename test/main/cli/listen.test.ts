// `lesiontrack listen` as a receiving station runs it: a real process from the
// built bundle, sent a series by dcmtk's storescu, stopped by SIGTERM; the
// store then holds the series as `lesiontrack import` would have put it.
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { geSeries, projectRoot, tempFolder } from '../../helpers/fixtures';
import { cli } from '../../helpers/network';
import { requireTool } from '../../helpers/tools';

const run = promisify(execFile);
const STORESCU = requireTool('storescu', 'dcmtk');

describe('lesiontrack listen', () => {
  it('receives a series from storescu, imports it when the association ends, and stops cleanly on SIGTERM', async () => {
    const db = join(tempFolder(), 'station.sqlite');
    const station = spawn(process.execPath, [join(projectRoot, 'bin', 'lesiontrack.mjs'), 'listen', '--port', '0', '--ae', 'TRIALSTATION', '--allow', 'SCANNER@127.0.0.1', '--db', db, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const reports: { kind: string; [key: string]: unknown }[] = [];
    const exited = new Promise<number | null>((resolveExit) => station.once('exit', (code) => resolveExit(code)));
    createInterface({ input: station.stdout }).on('line', (line) => reports.push(JSON.parse(line)));
    try {
      await expect.poll(() => reports.find((report) => report.kind === 'listening')).toBeTruthy();
      const port = String(reports.find((report) => report.kind === 'listening')!.port);
      await run(STORESCU, ['--log-level', 'error', '--scan-directories', '-aet', 'SCANNER', '-aec', 'TRIALSTATION', '127.0.0.1', port, geSeries]);
      await expect.poll(() => reports.find((report) => report.kind === 'imported')).toMatchObject({ added: 20, duplicates: 0, rejected: 0 });
      station.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(reports.map((report) => report.kind)).toEqual(['listening', 'association-accepted', 'association-released', 'imported', 'stopped']);
    } finally {
      station.kill('SIGKILL');
    }
    const series = JSON.parse((await cli(['series', '--db', db, '--json'])).out);
    expect(series).toEqual([expect.objectContaining({ description: 'FSE PD AXIAL OBL', instances: 20 })]);
  });

  it('refuses to start without an allowed sender, or with an AE title DICOM does not allow', async () => {
    expect(await cli(['listen', '--port', '11112'])).toMatchObject({ code: 2, err: expect.stringContaining('listen needs at least one --allow CALLING_AE[@IP]') });
    expect(await cli(['listen', '--port', '11112', '--allow', 'A_TITLE_LONGER_THAN_16'])).toMatchObject({ code: 2, err: expect.stringContaining('--allow takes an AE title of 1 to 16 characters') });
    expect(await cli(['listen', '--port', '11112', '--allow', 'SCANNER@scanner.local'])).toMatchObject({ code: 2, err: expect.stringContaining('--allow takes CALLING_AE or CALLING_AE@IP_ADDRESS, not "SCANNER@scanner.local".') });
  });
});
