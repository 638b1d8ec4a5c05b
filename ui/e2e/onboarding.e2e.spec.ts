/**
 * Go-live in a real Chromium, on a 390 px phone, against a running Stocktide and a fake Shopify
 * Admin API on 127.0.0.1: an admin connects the shop (the test call sees its 3 locations),
 * creates one location, links one to an existing store and leaves one out, imports the catalog,
 * takes opening balances from the POS as of T and a warehouse's from a CSV whose bad rows are
 * listed by line before anything is recorded, puts the new store in shadow (a sale after T moves
 * it, the report shows no difference) and takes it live through the confirmation. A manager sees
 * the flow without the admin's steps; staff do not see it.
 */
import { join, resolve } from 'node:path';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { generateShopifyStore, SHOPIFY_TOKEN, startFakeShopifyAdmin, type FakeShopifyAdmin } from '../../pos/testing/fake-shopify-admin';
import { shopifyOrder } from '../../pos/testing/fixtures';
import { ADMIN_PASSWORD, ApiUser, ensureUiBuilt, launchChromium, loginInBrowser, onHand, pageScrollsHorizontally, startServer, type RunningServer } from './harness';

const DOCS_SHOTS = resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const PHONE = { width: 390, height: 844 };
const SECRET = 'e2e-onboarding-secret-1';
// T: ten minutes ago, on the minute (the browser runs in UTC, so its datetime-local text is the ISO's).
const T = new Date(Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000).toISOString();

let server: RunningServer;
let shop: FakeShopifyAdmin;
let browser: Browser;
let admin: ApiUser;

beforeAll(async () => {
  ensureUiBuilt();
  shop = await startFakeShopifyAdmin(generateShopifyStore(24, 3));
  server = await startServer();
  browser = await launchChromium();
  admin = await ApiUser.login(server.url, 'admin', ADMIN_PASSWORD);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await shop?.close();
});

// From the top: the phone's sticky menu would otherwise be drawn over the middle of a full-page shot.
const shot = async (page: Page, name: string) => {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(DOCS_SHOTS, `${name}.png`), fullPage: true });
};
const step = (page: Page, id: string) => page.locator(`.stepper [data-step="${id}"]`).click();
/** axe: no serious or critical violation on what the person sees now. */
async function accessible(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join('; ')}`)).toEqual([]);
}
async function importDone(page: Page, scope: string): Promise<void> {
  const card = page.locator(scope).locator('[data-test="import-job"]');
  await expect.poll(() => card.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
}

describe('go-live, guided', () => {
  test('an admin takes a chain that runs Shopify from connect to live, on a phone', async () => {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, timezoneId: 'UTC' });
    const page = await context.newPage();
    await loginInBrowser(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Go-live' }).click();
    await page.getByRole('heading', { name: 'Go-live', level: 1 }).waitFor();

    // 1. Connect: secrets pasted once, a test call to the POS.
    const form = page.locator('[data-test="connect-form"]');
    await form.getByLabel('Name').fill('shop');
    await form.getByLabel('Admin API URL').fill(shop.baseUrl);
    await form.getByLabel(/Access token/).fill(SHOPIFY_TOKEN);
    await form.getByLabel('Webhook signing secret').fill(SECRET);
    await form.getByRole('button', { name: 'Connect and test' }).click();
    const tested = page.locator('[data-test="connection-test"]');
    await expect.poll(() => tested.innerText()).toContain('Connected: the POS answered with 3 location(s).');
    expect(await page.locator('input[type="password"]').count()).toBe(0); // the form is gone, the secrets with it
    expect(await pageScrollsHorizontally(page)).toBe(false);
    await shot(page, 'onboarding-phone-connect');
    await accessible(page, 'connect');

    // 2. Locations: create Shop 1, link Shop 2 to the Downtown Store, leave Shop 3 out.
    await page.getByRole('button', { name: 'Next: Locations' }).click();
    const [l1, l2, l3] = shop.locations;
    await page.getByLabel('Stocktide location for Shop 1').selectOption({ label: 'Create “Shop 1”' });
    await page.getByLabel('Stocktide location for Shop 2').selectOption({ label: 'Link to Downtown Store (store-downtown)' });
    await page.getByLabel('Stocktide location for Shop 3').selectOption({ label: 'Leave out' });
    await page.getByText('Left out: Shop 3.').waitFor();
    await page.getByRole('button', { name: 'Save locations' }).click();
    await page.getByText('Saved: 1 created, 1 linked, 1 left out.').waitFor();
    const connection = await admin.get<{ locationMap: Record<string, string> }>('/api/pos/connections/shop');
    expect(connection.locationMap).toEqual({ [l1!.legacyResourceId]: `shop-${l1!.legacyResourceId}`, [l2!.legacyResourceId]: 'store-downtown' });
    expect(await pageScrollsHorizontally(page)).toBe(false);

    // 3. Catalog: progress, what it did, what needs a decision (the location left out).
    await page.getByRole('button', { name: 'Next: Catalog' }).click();
    await page.getByRole('button', { name: 'Import the catalog' }).click();
    await importDone(page, '.step-card');
    const counts = await page.locator('[data-test="import-counts"]').innerText();
    expect(counts).toMatch(/products registered\s+24/);
    expect(counts).toMatch(/locations linked\s+2/);
    expect(await page.locator('[data-test="import-problems"]').innerText()).toContain(`location ${l3!.legacyResourceId}: Shop 3: mapped to no Stocktide location (listed, not invented)`);
    expect(await page.locator('.stepper [data-step="catalog"]').innerText()).toContain('✓');

    // 4. Opening balances from the POS as of T.
    await page.getByRole('button', { name: 'Next: Opening balances' }).click();
    await page.getByLabel(/Cut-over \(T\)/).fill(T.slice(0, 16));
    await page.getByRole('button', { name: 'Import opening balances from the POS' }).click();
    await importDone(page, '.step-card');
    expect(await page.locator('[data-test="import-counts"]').innerText()).toMatch(/balances recorded\s+48/);
    expect(await page.locator('[data-test="import-problems"]').innerText()).toContain('POS location mapped to no Stocktide location');
    // T is now fixed for these locations: the screen says so instead of offering to change it.
    await expect.poll(() => page.locator('[data-test="fixed-asof"]').innerText()).toContain('Fixed by the first opening import');
    const store = `shop-${l1!.legacyResourceId}`;
    const job = (await admin.get<{ items: Array<{ position?: string }> }>('/api/pos/imports?connectionId=shop')).items[0]!;
    for (const v of shop.variants) {
      const pos = shop.onHand[v.inventoryItem.legacyResourceId]!;
      expect(await onHand(admin, store, v.sku!, job.position)).toBe(pos[l1!.legacyResourceId]);
      expect(await onHand(admin, 'store-downtown', v.sku!, job.position)).toBe(pos[l2!.legacyResourceId]);
    }

    // … and the warehouse's from a CSV: bad rows listed by line before anything is recorded.
    const csv = ['location,sku,quantity,unitCost', 'wh-central,SH-00003,120,450', 'wh-central,NOPE-1,3,100', 'wh-central,SH-00004,2.5,', 'wh-central,SH-00005,40,'].join('\n');
    await page.getByLabel('CSV file').setInputFiles({ name: 'warehouse.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const preview = page.locator('[data-test="csv-preview"]');
    await preview.waitFor();
    expect(await preview.innerText()).toContain('2 ready');
    expect(await preview.innerText()).toContain('2 with a problem');
    const bad = page.locator('[data-test="csv-errors"] tbody tr');
    expect(await bad.count()).toBe(2);
    expect(await bad.nth(0).getAttribute('data-line')).toBe('3');
    expect(await bad.nth(0).innerText()).toContain('unknown SKU');
    expect(await bad.nth(1).getAttribute('data-line')).toBe('4');
    expect(await onHand(admin, 'wh-central', 'SH-00003')).toBe(0); // a preview records nothing
    expect(await pageScrollsHorizontally(page)).toBe(false);
    await shot(page, 'onboarding-phone-csv-preview');
    await accessible(page, 'opening balances');
    await page.getByRole('button', { name: 'Import 2 row(s)' }).click();
    await expect.poll(() => page.locator('[data-test="csv-result"]').innerText()).toContain('2 balance(s) recorded, 0 already recorded');
    await expect.poll(() => onHand(admin, 'wh-central', 'SH-00003')).toBe(120);

    // 5. Shadow period for the new store: a sale after T moves it, the report shows no difference.
    await page.getByRole('button', { name: 'Next: Shadow period' }).click();
    const card = page.locator(`article.readiness[data-location="${store}"]`);
    await card.getByRole('button', { name: 'Start the shadow period' }).click();
    await expect.poll(() => card.getAttribute('data-mode')).toBe('shadow');
    await expect.poll(() => card.locator('[data-test="mode"]').innerText()).toBe('Shadow');
    const v = shop.variants[1]!;
    const before = shop.onHand[v.inventoryItem.legacyResourceId]![l1!.legacyResourceId]!;
    const body = shopifyOrder({
      id: '5678901234560000011', createdAt: new Date(Date.parse(T) + 60_000).toISOString(), locationId: l1!.legacyResourceId,
      lines: [{ id: '1301234567890000011', variantId: v.legacyResourceId, sku: null, quantity: 2 }],
    });
    const sale = await fetch(`${server.url}/pos/shop/webhook`, {
      method: 'POST', body,
      headers: { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create', 'x-shopify-event-id': 'evt-e2e-sale', 'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body).digest('base64') },
    });
    expect(sale.status).toBe(200);
    const { position } = (await sale.json()) as { position: string };
    expect(await onHand(admin, store, v.sku!, position)).toBe(before - 2);
    await card.getByRole('button', { name: 'Refresh report' }).click();
    expect(await card.locator('[data-test="skus-differing"]').innerText()).toBe('0');
    await card.locator('[data-test="no-differences"]').waitFor();

    // 6. Go live: an explicit confirmation, which says what is not yet proven.
    await page.getByRole('button', { name: 'Next: Go live' }).click();
    const liveCard = page.locator(`article.readiness[data-location="${store}"]`);
    await liveCard.getByRole('button', { name: 'Go live…' }).click();
    const confirm = liveCard.locator('[data-test="go-live-confirm"]');
    await expect.poll(() => confirm.innerText()).toContain('Take Shop 1 live?');
    expect(await confirm.locator('[data-test="go-live-warnings"]').innerText()).toContain('Less than one day in shadow.');
    const go = confirm.getByRole('button', { name: 'Take Shop 1 live' });
    expect(await go.isDisabled()).toBe(true); // not before the person confirms they checked
    await confirm.getByLabel('I have checked the readiness report and the quarantine').check();
    expect(await pageScrollsHorizontally(page)).toBe(false);
    await shot(page, 'onboarding-phone-go-live');
    await accessible(page, 'go-live confirmation');
    await go.click();
    await liveCard.getByText('Shop 1 is live: its balances are pushed to the POS from now on.').waitFor();
    await expect.poll(() => liveCard.locator('[data-test="mode"]').innerText()).toBe('Live');
    await liveCard.getByRole('button', { name: 'Back to shadow (undo)' }).waitFor();
    const readiness = await admin.get<{ mode: string; history: Array<{ mode: string; by?: string }> }>(`/api/locations/${store}/readiness`);
    expect(readiness.mode).toBe('live');
    expect(readiness.history.map((h) => h.mode)).toEqual(['shadow', 'live']);
    await context.close();
  }, 120_000);

  test('a manager sees the flow without the admin\'s steps; staff do not see it', async () => {
    await admin.post('/api/users', { username: 'mgr-onb', password: 'mgr-onb-password-1', role: 'manager', locations: ['store-uptown'] });
    await admin.post('/api/users', { username: 'staff-onb', password: 'staff-onb-password-1', role: 'staff', locations: ['store-uptown'] });
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await loginInBrowser(page, server.url, 'mgr-onb', 'mgr-onb-password-1');
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Go-live' }).click();
    await page.getByRole('heading', { name: 'Go-live', level: 1 }).waitFor();
    expect(await page.locator('.stepper [data-step="connect"]').isDisabled()).toBe(true);
    expect(await page.locator('.step-card').getAttribute('data-current-step')).toBe('balances');
    await page.getByLabel('CSV file').waitFor();
    expect(await page.getByRole('button', { name: 'Import opening balances from the POS' }).count()).toBe(0);
    await step(page, 'shadow');
    const card = page.locator('article.readiness[data-location="store-uptown"]');
    await card.getByText('An admin starts the shadow period and takes a location live.').waitFor();
    await context.close();

    const staff = await (await browser.newContext({ viewport: PHONE })).newPage();
    await loginInBrowser(staff, server.url, 'staff-onb', 'staff-onb-password-1');
    expect(await staff.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Go-live' }).count()).toBe(0);
    await staff.goto(`${server.url}/#/onboarding`);
    await staff.getByRole('navigation', { name: 'Screens' }).waitFor();
    expect(await staff.getByRole('heading', { name: 'Go-live', level: 1 }).count()).toBe(0);
    await staff.context().close();
  }, 60_000);
});
