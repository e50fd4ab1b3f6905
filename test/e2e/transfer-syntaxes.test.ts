// Every transfer syntax of the fixtures must display, not just index: one
// slice of each, given its own series, opened in the viewer and checked by
// its pixels. Decoding runs in the loader's WebAssembly workers under the
// production Content-Security-Policy.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInstanceHeader } from '../../main/dicom/header';
import { transferSyntaxes } from '../helpers/fixtures';
import { type Session, openSession, screenshotStats } from '../helpers/browser';
import { uidTemplate, withNewUids } from '../helpers/uid-rewrite';

let session: Session;
// The imported files must outlive each test: the viewer reads them when a series is opened, in later tests.
const folder = mkdtempSync(join(tmpdir(), 'lesiontrack-transfer-syntaxes-'));
const files = readdirSync(transferSyntaxes).filter((file) => {
  const read = readInstanceHeader(join(transferSyntaxes, file));
  // Deflated files compress their UIDs, so they cannot be given new ones in place; they keep their own.
  return read.kind === 'instance' && read.header.hasPixelData;
});

beforeAll(async () => {
  session = await openSession();
  await session.page.goto(session.host.url);
});

afterAll(async () => {
  await session?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('every transfer syntax displays', () => {
  it('imports one series per fixture file', async () => {
    files.forEach((file, index) => {
      const path = join(transferSyntaxes, file);
      const header = readInstanceHeader(path);
      const deflated = header.kind === 'instance' && header.header.transferSyntax === '1.2.840.10008.1.2.1.99';
      writeFileSync(join(folder, file), deflated ? uidTemplate(path).bytes : withNewUids(uidTemplate(path), 900 + index, 900 + index));
    });
    const { page } = session;
    await page.getByTestId('import-path').fill(folder);
    await page.getByTestId('import-button').click();
    await page.getByTestId('import-summary').waitFor({ timeout: 60_000 });
    await page.getByTestId('series-group').first().waitFor();
    // Unfold the localizers too: every file's series is opened below.
    for (const toggle of await page.getByTestId('localizers-toggle').all()) await toggle.click();
    await expect.poll(() => page.getByTestId('series-row').count()).toBeGreaterThanOrEqual(files.length - 1);
  });

  it.each(files)('draws %s', async (file) => {
    const { page } = session;
    const series = await session.workstation.dispatch('listSeries', {});
    if (!series.ok) throw new Error(series.error.message);
    const header = readInstanceHeader(join(transferSyntaxes, file));
    if (header.kind !== 'instance') throw new Error('not an instance');
    const uidEnd = header.header.transferSyntax === '1.2.840.10008.1.2.1.99' ? header.header.seriesUid : null;
    const match = (series.value as { seriesUid: string; id: number }[]).find((item) =>
      uidEnd ? item.seriesUid === uidEnd : item.seriesUid.endsWith(String(900 + files.indexOf(file)).padStart(5, '0')),
    );
    expect(match, `series of ${file}`).toBeDefined();
    await page.locator(`[data-testid="series-row"][data-series-uid="${match!.seriesUid}"]`).click();
    const viewport = page.getByTestId('viewport');
    await expect.poll(() => viewport.getAttribute('data-rendered')).toBe('true');
    const shot = () => screenshotStats(page, `e2e-transfer-syntax-${file.replace(/\W+/g, '-')}`, '[data-testid="viewport"]');
    await expect.poll(async () => (await shot()).standardDeviation, { message: `${file} looks blank` }).toBeGreaterThan(10);
  });

  it('ran without page errors, CSP violations or requests leaving 127.0.0.1', () => {
    expect(session.problems).toEqual([]);
  });
});
