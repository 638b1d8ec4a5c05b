/**
 * Issue 14, done when (in a real Chromium, against a fake Shopify Admin API on 127.0.0.1): an
 * admin has the Catalog screen open; a store is imported; a rename made in the POS (a signed
 * `products/update`) shows up on the open screen without a reload, its HTML kept as text; a SKU
 * clash (`products/create` of a second item with a taken SKU) appears as a catalog conflict with
 * both sides, and one click (merge) resolves it; product push to the POS is switched on there.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { join } from 'node:path';
import { sign } from '../../pos/signatures';
import { generateShopifyStore, SHOPIFY_TOKEN, startFakeShopifyAdmin, type FakeShopifyAdmin } from '../../pos/testing/fake-shopify-admin';
import { shopifyProductBody } from '../../catalog/testing/shopify-webhooks';
import { ADMIN_PASSWORD, ApiUser, SCREENSHOTS, ensureUiBuilt, launchChromium, loginInBrowser, startServer, type RunningServer } from './harness';

const SECRET = 'e2e-catalog-secret-1';
let server: RunningServer;
let browser: Browser;
let shopify: FakeShopifyAdmin;
let admin: ApiUser;

async function deliver(topic: string, body: string, eventId: string): Promise<void> {
  const res = await fetch(`${server.url}/pos/shop-cat/webhook`, {
    method: 'POST', body,
    headers: { 'content-type': 'application/json', 'x-shopify-topic': topic, 'x-shopify-event-id': eventId, 'x-shopify-hmac-sha256': sign.shopify(SECRET, body) },
  });
  expect(res.status, await res.text()).toBe(200);
}

beforeAll(async () => {
  ensureUiBuilt();
  shopify = await startFakeShopifyAdmin(generateShopifyStore(8, 1));
  server = await startServer();
  browser = await launchChromium();
  admin = await ApiUser.login(server.url, 'admin', ADMIN_PASSWORD);
  await admin.post('/api/pos/connections', { id: 'shop-cat', kind: 'shopify', secret: SECRET, locationMap: {}, apiBaseUrl: shopify.baseUrl, accessToken: SHOPIFY_TOKEN });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await shopify?.close();
});

describe('Catalog screen', () => {
  test('imports a store, shows a rename made in the POS live, and resolves a SKU clash in one click', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await loginInBrowser(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Catalog' }).click();
    await page.locator('main h1', { hasText: 'Catalog' }).waitFor();

    // The import, started on the screen, shows its progress figure until done.
    await page.locator('select[name=connectionId]').selectOption('shop-cat');
    await page.locator('[data-command=start-import]').click();
    await expect.poll(() => page.locator('[data-test=import-progress]').innerText(), { timeout: 15_000 }).toBe('9 / 9');
    await page.locator('[data-test=import-job] h2', { hasText: 'Import done' }).waitFor();

    // A rename in the POS reaches the open screen (SSE), HTML kept as characters.
    const medium = shopify.variants.slice(4, 8);
    await deliver('products/update', shopifyProductBody(medium[0]!.product.legacyResourceId, 'Shirt <b>one</b>', medium), 'evt-e2e-rename');
    const products = page.locator('[data-test=catalog-products]');
    await products.getByText('Shirt <b>one</b> - Medium', { exact: true }).waitFor({ timeout: 10_000 });
    expect(await products.locator('b').count()).toBe(0);

    // A second POS item with a taken SKU: a conflict with both sides, resolved by one click.
    const clone = { ...shopify.variants[2]!, legacyResourceId: '8100000000000999991', barcode: null, inventoryItem: { legacyResourceId: '8100000000000888881', unitCost: null } };
    await deliver('products/create', shopifyProductBody('8100000000000777771', 'Copy', [clone]), 'evt-e2e-clash');
    const row = page.locator('tr[data-alert^="sku-clash:8100000000000999991"]');
    await row.waitFor({ timeout: 10_000 });
    const text = await row.innerText();
    expect(text).toContain('SH-00002');
    expect(text).toContain(shopify.variants[2]!.legacyResourceId);
    expect(text).toContain('8100000000000999991');
    // Product push to this POS: off by default, switched on from the screen.
    const pushBox = page.locator('[data-test=product-push] input[name=productPush]');
    expect(await pushBox.isChecked()).toBe(false);
    await pushBox.check();
    await page.locator('[data-test=product-push] [data-test=success]').waitFor();
    expect((await admin.get<{ enabled: boolean }>('/api/pos/connections/shop-cat/product-push')).enabled).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'catalog-conflict.png'), fullPage: true });
    await row.locator('[data-resolve=merge]').click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    const linked = async () => (await admin.get<{ items: Array<{ posItemId: string; sku: string }> }>('/api/pos/connections/shop-cat/items'))
      .items.filter((i) => i.sku === 'SH-00002').map((i) => i.posItemId).sort();
    await expect.poll(linked).toEqual([shopify.variants[2]!.legacyResourceId, '8100000000000999991'].sort());
  }, 60_000);
});
