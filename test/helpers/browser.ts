// Headless Debian Chromium driven by playwright-core, against the loopback
// browser host running in this process, with the checks every end-to-end
// test wants: no page errors, no CSP violations, no request leaving 127.0.0.1.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { expect } from 'vitest';
import { startHttpHost, type HttpHost } from '../../main/host/http-host';
import { chooseDemoReader } from '../../main/demo/read-demo';
import { openWorkstation, type Workstation } from '../../main/workstation';
import { type Client, createClient } from '../../shared/client';
import type { TrialTruth } from '../../shared/synthetic/truth';
import { projectRoot } from './paths';
import { requireTool } from './tools';

export const CHROMIUM = '/usr/bin/chromium';
export const artifacts = join(projectRoot, 'test-artifacts');
export const builtRenderer = join(projectRoot, 'dist', 'renderer');

export interface Session {
  page: Page;
  host: HttpHost;
  workstation: Workstation;
  /** Console errors, page errors, CSP violations and off-machine requests seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/** The session's problems other than the refusals a test asked for (each a pattern of Chromium's console line). */
export function unaskedProblems(session: Session, asked: readonly RegExp[]): string[] {
  return session.problems.filter((problem) => !asked.some((pattern) => pattern.test(problem)));
}

export interface SessionOptions {
  dbPath?: string;
  /** The workstation's clock for reader sessions' idle limit: a test moves it on instead of waiting. */
  clock?: () => number;
}

export async function openSession(options: SessionOptions = {}): Promise<Session> {
  const executablePath = requireTool(CHROMIUM, 'chromium');
  const scratch = mkdtempSync(join(tmpdir(), 'lesiontrack-e2e-'));
  const workstation = openWorkstation({
    ...(options.clock ? { clock: options.clock } : {}),
    dbPath: options.dbPath ?? join(scratch, 'store.sqlite'),
    actor: 'e2e',
    rendererDir: builtRenderer,
    demoWorkerFile: join(projectRoot, 'dist', 'main', 'demo-worker.js'),
    alignmentWorkerFile: join(projectRoot, 'dist', 'main', 'alignment-worker.js'),
  });
  const host = await startHttpHost(workstation);
  const browser: Browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // Waits for an element include fetching and decoding images: on a loaded machine that is more than Playwright's 30 s default.
  page.setDefaultTimeout(60_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content.Security.Policy|Refused to/i.test(message.text())) {
      const where = message.location().url ? ` (${new URL(message.location().url).pathname})` : '';
      problems.push(`console ${message.type()}: ${message.text()}${where}`);
    }
  });
  // The product is offline by design: any request that is not to our own host fails the test.
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${host.origin}/`)) return route.continue();
    problems.push(`request left the host: ${url}`);
    return route.abort();
  });
  return {
    page,
    host,
    workstation,
    problems,
    async close() {
      await browser.close();
      await host.close();
      workstation.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** A session on the demo trial (opened in main first), with its ground truth. */
export async function openDemoSession(options: SessionOptions = {}): Promise<{ session: Session; truth: TrialTruth }> {
  const session = await openSession(options);
  await session.workstation.openDemo();
  const truth = JSON.parse(readFileSync(join(dirname(session.workstation.db.name), 'dicom', 'truth.json'), 'utf8')) as TrialTruth;
  await session.page.goto(session.host.url);
  return { session, truth };
}

/** A session on the demo trial with the demo reader chosen (the page reloaded to see them), a client of its workstation, and the ground truth. */
export async function openDemoAsReader(): Promise<{ session: Session; truth: TrialTruth; client: Client }> {
  const { session, truth } = await openDemoSession();
  const client = createClient((name, payload) => session.workstation.dispatch(name, payload));
  await chooseDemoReader(client);
  await session.page.reload();
  return { session, truth, client };
}

export async function saveScreenshot(page: Page, name: string, selector?: string): Promise<{ path: string; png: PNG }> {
  mkdirSync(artifacts, { recursive: true });
  const path = join(artifacts, `${name}.png`);
  const buffer = selector ? await page.locator(selector).screenshot({ path }) : await page.screenshot({ path });
  return { path, png: PNG.sync.read(buffer) };
}

/**
 * A screenshot's grey-level statistics: poll it to wait for a drawn image
 * (a slice paints a frame or two after the pane says it is rendered).
 */
export async function screenshotStats(page: Page, name: string, selector?: string): Promise<PixelStats> {
  return pixelStats((await saveScreenshot(page, name, selector)).png);
}

export interface PixelStats {
  mean: number;
  standardDeviation: number;
  /** Share of pixels brighter than the dark background. */
  litFraction: number;
}

/** Grey-level statistics of a screenshot: a drawn MR image is bright and textured, a blank pane is neither. */
export function pixelStats(png: PNG): PixelStats {
  let sum = 0;
  let sumSquares = 0;
  let lit = 0;
  const count = png.width * png.height;
  for (let index = 0; index < count; index += 1) {
    const offset = index * 4;
    const grey = (png.data[offset]! + png.data[offset + 1]! + png.data[offset + 2]!) / 3;
    sum += grey;
    sumSquares += grey * grey;
    if (grey > 40) lit += 1;
  }
  const mean = sum / count;
  return { mean, standardDeviation: Math.sqrt(Math.max(0, sumSquares / count - mean * mean)), litFraction: lit / count };
}

/** How much of a pane's height its image covers: rows whose pixel three fifths across (clear of the overlay text) is not the viewport's pure black. */
function imageHeightFraction(png: PNG): number {
  const x = Math.floor(png.width * 0.6);
  let rows = 0;
  for (let y = 0; y < png.height; y += 1) {
    const at = (y * png.width + x) * 4;
    if (png.data[at]! + png.data[at + 1]! + png.data[at + 2]! > 0) rows += 1;
  }
  return rows / png.height;
}

/** Every reading pane's image fills its height (the panes are wider than tall). */
export async function expectPanesFilled(page: Page): Promise<void> {
  const count = await page.getByTestId('reading-pane').count();
  for (let index = 0; index < count; index += 1) {
    const shot = async () => imageHeightFraction((await saveScreenshot(page, `e2e-reading-pane-${index}`, `[data-testid="reading-pane"] >> nth=${index}`)).png);
    await expect.poll(shot).toBeGreaterThan(0.85);
  }
}
