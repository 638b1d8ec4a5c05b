/**
 * The catch-up banner in a real Chromium: while `/health` says the read models are catching up
 * (a first start on a long log), the shell says how far along they are; once live, it goes away.
 * `/health` is answered by the page's route handler (a real catch-up of a long log would make
 * this test slow and timing-dependent); everything else is the real server.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, ensureUiBuilt, launchChromium, loginInBrowser, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  ensureUiBuilt();
  server = await startServer();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('catch-up banner', () => {
  test('shows percent, events behind and time left while catching up, and disappears once live', async () => {
    const page = await (await browser.newContext()).newPage();
    let catchUp: Record<string, unknown> = { state: 'catching_up', behind: '600000', percent: 40, eventsPerSecond: 20_000, etaSeconds: 30 };
    await page.route('**/health', async (route) => {
      const real = await route.fetch();
      await route.fulfill({ response: real, json: { ...(await real.json()) as object, catchUp } });
    });
    await loginInBrowser(page, server.url, 'admin', ADMIN_PASSWORD);
    const banner = page.locator('[data-test="catch-up"]');
    await banner.waitFor();
    expect(await banner.innerText()).toBe('Figures are catching up with the event log: 40% done, 600,000 events behind, about 30 s left, 20,000 events/s.');
    expect(await banner.getAttribute('role')).toBe('status');
    catchUp = { state: 'live', behind: '0', percent: 100 };
    // The next poll (5 s while catching up) hides it.
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
  }, 60_000);
});
