import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../infra/local/azurite';
import { startTestAzurite } from '../support/azurite';
import { startBrowser, type Browser } from '../support/browser';
import { projectRoot, startHostProcess, type HostProcess } from '../support/hostProcess';
import { SCENE_CLOCK_START, seedOperatorScene, type OperatorScene } from '../support/operatorScene';

/** Screenshots of each run, for people to look at (ignored by git). */
const SHOTS = path.join(projectRoot, 'test-output', 'operator-page');

/**
 * The operator page in a real browser (Debian's Chromium through playwright-core): a Work Order with a breached,
 * a met and a pending incident, an AEM event and a cybersecurity engagement on the virtual clock, checked the way a
 * person would check it — with no console error and no failed request.
 */
describe('operator page in Chromium', () => {
  let azurite: RunningAzurite;
  let host: HostProcess;
  let browser: Browser;
  let scene: OperatorScene;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    azurite = await startTestAzurite();
    host = await startHostProcess({ storageConnectionString: azurite.connectionString, clockStart: SCENE_CLOCK_START });
    scene = await seedOperatorScene(host);
    browser = await startBrowser();
    page = await browser.context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await azurite?.stop();
  });

  const marker = (selector: string) => page.locator(`svg.axis g.marker${selector}`);

  it('shows the Work Order: balances, timeline and every clock on one axis, a breached incident marked', async () => {
    const response = await page.goto(`${host.url}/api/ui?workOrder=${scene.workOrderId}`);
    expect(response?.status()).toBe(200);
    await page.locator('[data-testid=axis]').waitFor();
    await expect.poll(() => page.locator('h2#axis-h').textContent()).toContain('WO-OPS');
    for (const kind of [
      'incidentOpened',
      'firstResponseWarning',
      'firstResponded',
      'aemAssessment',
      'aemLive',
      'aemPostEvent',
      'cyberDeliverablesDue',
      'requestWindowCloses',
      'flexPeriodEnded',
      'termEnded',
    ])
      expect(await marker(`[data-kind=${kind}]`).count(), kind).toBeGreaterThan(0);
    expect(await marker('[data-kind=cyberDay]').count()).toBe(5);
    const breached = marker(
      `[data-kind=firstResponseBreached][data-state=breached][data-resource="/api/incidents/${scene.incidents.breached}"]`,
    );
    expect(await breached.count()).toBe(1);
    expect(
      await breached.evaluate(
        (g) => (globalThis as unknown as { getComputedStyle(e: unknown): { fill: string } }).getComputedStyle(g).fill,
      ),
    ).toBe('rgb(179, 38, 30)'); // marked in red
    expect(await page.getByRole('table', { name: 'Entitlements' }).textContent()).toContain('CYBER_INCIDENT_RESPONSE');
    expect(await page.getByRole('table', { name: 'Proactive Credits per country' }).textContent()).toContain('NL');
    expect(await page.locator('#timeline-h + .scroll').textContent()).toContain('incidentOpened');
    await page.screenshot({ path: path.join(SHOTS, 'work-order.png'), fullPage: true });
    await page.getByRole('button', { name: 'Day around now', exact: true }).click();
    expect(await marker('[data-kind=termEnded]').count()).toBe(0); // a day's window shows today's clocks only
    expect(await marker(`[data-resource="/api/incidents/${scene.incidents.pending}"]`).count()).toBeGreaterThan(0);
  });

  it('opens a deadline’s explanation by click and by keyboard', async () => {
    await marker(
      `[data-kind=firstResponseBreached][data-resource="/api/incidents/${scene.incidents.breached}"]`,
    ).click();
    const text = page.locator('[data-testid=explanation-text]');
    await expect.poll(() => text.textContent()).toContain('Unified Enhanced Response');
    expect(await text.textContent()).toContain('around the clock');
    expect(await page.locator('#explanation').textContent()).toContain('Candidates');
    await page.screenshot({ path: path.join(SHOTS, 'explanation.png'), fullPage: true });

    const pendingDue = marker(
      `[data-kind=firstResponseDue][data-resource="/api/incidents/${scene.incidents.pending}"]`,
    );
    await pendingDue.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => text.textContent()).toContain('business hours');
    expect(await page.locator('#explanation').textContent()).toContain('Skipped');
  });

  it('filters to breached deadlines and to those due soon', async () => {
    await page.getByRole('button', { name: 'Breached', exact: true }).click();
    await expect.poll(() => marker('').count()).toBe(await marker('[data-state=breached]').count());
    expect(await marker('').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Due within 24 h', exact: true }).click();
    await expect.poll(async () => (await marker('').count()) === (await marker('[data-state=due]').count())).toBe(true);
    await page.getByRole('button', { name: 'All', exact: true }).click();
  });

  it('answers a first-response what-if from the form', async () => {
    await page.getByLabel('Opened at').fill('2027-03-05T16:50');
    await page.getByLabel('Severity').selectOption('B');
    await page.getByRole('button', { name: 'Ask' }).click();
    const answer = page.locator('[data-testid=whatif-answer]');
    await answer.waitFor();
    expect(await answer.textContent()).toContain('2027-03-08 10:20 Europe/Amsterdam');
    expect(await answer.textContent()).toContain('Saturday and Sunday skipped');
  });

  it('reads on a phone: nothing but the axis scrolls sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: path.join(SHOTS, 'phone.png'), fullPage: true });
  });

  it('logged no console error and no failed request', () => {
    expect(problems).toEqual([]);
  });
});
