// The production Content-Security-Policy is the strictest that works: the
// page runs no eval and no inline script, and only the decode workers get
// 'wasm-unsafe-eval'. Take that one source away and compressed images no
// longer decode, with the browser naming the policy.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_CSP, WORKER_CSP } from '../../shared/security-headers';
import { type Session, openSession } from '../helpers/browser';
import { transferSyntaxes } from '../helpers/fixtures';
import { uidTemplate, withNewUids } from '../helpers/uid-rewrite';

let session: Session;
const folder = mkdtempSync(join(tmpdir(), 'lesiontrack-csp-'));

beforeAll(async () => {
  session = await openSession();
  const serve = session.workstation.handleAppRequest;
  // The same app, with 'wasm-unsafe-eval' removed from the workers' policy.
  session.workstation.handleAppRequest = async (request) => {
    const response = await serve(request);
    if (response.headers.get('content-security-policy') !== WORKER_CSP) return response;
    const headers = new Headers(response.headers);
    headers.set('content-security-policy', WORKER_CSP.replace(" 'wasm-unsafe-eval'", ''));
    return new Response(response.body, { status: response.status, headers });
  };
  writeFileSync(join(folder, 'jp2k.dcm'), withNewUids(uidTemplate(join(transferSyntaxes, 'MR_small_jp2klossless.dcm')), 990, 990));
  await session.page.goto(session.host.url);
});

afterAll(async () => {
  await session?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('the Content-Security-Policy', () => {
  it('has no eval and no inline script for the page, and WebAssembly only in workers', () => {
    expect(PAGE_CSP).not.toMatch(/unsafe-eval|unsafe-inline|wasm-unsafe-eval/);
    expect(PAGE_CSP).toMatch(/script-src 'self'/);
    expect(WORKER_CSP).toBe("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'");
  });

  it("cannot decode a JPEG 2000 image without the workers' 'wasm-unsafe-eval'", async () => {
    const { page } = session;
    await page.getByTestId('import-path').fill(folder);
    await page.getByTestId('import-button').click();
    await page.getByTestId('import-summary').waitFor({ timeout: 60_000 });
    await page.getByTestId('series-row').first().click();
    await expect.poll(() => session.problems.find((problem) => /WebAssembly|wasm-unsafe-eval|Content Security Policy/i.test(problem)) ?? '').toMatch(/wasm-unsafe-eval|WebAssembly/);
    expect(await page.getByTestId('viewport').getAttribute('data-rendered')).toBe('false');
  });
});
