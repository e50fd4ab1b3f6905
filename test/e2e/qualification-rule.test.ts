// The qualification rule panel of the trial setup in headless Chromium, on a
// new store: the defaults shown, Save held until something changed and a
// reason is given, the rule saved and audited with the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Session, openSession, saveScreenshot } from '../helpers/browser';

let session: Session;

beforeAll(async () => {
  session = await openSession();
  await session.page.goto(session.host.url);
});

afterAll(async () => {
  await session?.close();
});

describe('the qualification rule panel', () => {
  it('shows the defaults and saves a stricter rule only with a reason, audited', async () => {
    const { page } = session;
    await page.getByTestId('tab-setup').click();
    const panel = page.getByTestId('qualification-rule');
    await expect.poll(() => panel.getByTestId('qualification-sensitivity').inputValue()).toBe('80');
    expect(await panel.getByTestId('qualification-false-positives').inputValue()).toBe('0.5');
    expect(await panel.getByTestId('qualification-tolerance').inputValue()).toBe('5');
    expect(await panel.getByTestId('save-qualification').isDisabled()).toBe(true);

    await panel.getByTestId('qualification-sensitivity').fill('90');
    await panel.getByTestId('qualification-false-positives').fill('0.25');
    expect(await panel.getByTestId('save-qualification').getAttribute('title')).toBe('Give a reason for the change: it goes into the audit trail.');
    await panel.getByTestId('qualification-reason').fill('charter amendment 2: the sponsor asks for 90%');
    await panel.getByTestId('save-qualification').click();
    await expect
      .poll(async () => ((await session.workstation.dispatch('qualificationRule', {})) as { value: unknown }).value)
      .toEqual({ minSensitivity: 0.9, maxFalsePositivesPerScan: 0.25, pairingToleranceMm: 5 });
    await expect.poll(() => panel.getByTestId('qualification-reason').inputValue()).toBe('');
    expect(session.workstation.db.prepare("SELECT reason FROM audit WHERE action = 'qualification-rule.update'").pluck().all()).toEqual(['charter amendment 2: the sponsor asks for 90%']);
    await saveScreenshot(page, 'e2e-qualification-rule', '[data-testid="qualification-rule"]');
  });
});
