/**
 * The "POS health" screen in a real Chromium: a Shopify connection that received a test
 * notification and an unreadable (signed) delivery shows them: last delivery, one test, one
 * quarantined, the last error. Managers do not see the screen (connections are the admins').
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { join } from 'node:path';
import { sign } from '../../pos/signatures';
import { shopifyTestNotification } from '../../pos/testing/documented-payloads';
import { ADMIN_PASSWORD, ApiUser, SCREENSHOTS, ensureUiBuilt, launchChromium, loginInBrowser, pageScrollsHorizontally, startServer, type RunningServer } from './harness';

const SECRET = 'e2e-shopify-secret-1';
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  ensureUiBuilt();
  server = await startServer();
  browser = await launchChromium();
  const admin = await ApiUser.login(server.url, 'admin', ADMIN_PASSWORD);
  await admin.post('/api/pos/connections', { id: 'shop-e2e', kind: 'shopify', secret: SECRET, locationMap: {} });
  for (const body of [shopifyTestNotification, '{"id": 1, "line_items": [']) {
    const res = await fetch(`${server.url}/pos/shop-e2e/webhook`, {
      method: 'POST', body,
      headers: { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': sign.shopify(SECRET, body) },
    });
    expect([200, 202]).toContain(res.status);
  }
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('POS health screen', () => {
  test('an admin sees each connection with its deliveries, tests, quarantine and last error', async () => {
    const page = await (await browser.newContext({ viewport: { width: 375, height: 667 } })).newPage();
    await loginInBrowser(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'POS health' }).click();
    await page.locator('main h1', { hasText: 'POS health' }).waitFor();
    const row = page.locator('main tbody tr', { hasText: 'shop-e2e' });
    await row.waitFor();
    // On a phone a row shows its first columns; the rest open on tap (the shared table's phone layout).
    await row.locator('button.toggle').click();
    await expect.poll(() => row.getAttribute('class')).toContain('open');
    const text = await row.innerText();
    expect(text).toContain('shopify');
    expect(text).toContain('quarantined (unreadable)');
    expect(await pageScrollsHorizontally(page)).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS, 'phone-pos-health.png'), fullPage: true });
  });
});
