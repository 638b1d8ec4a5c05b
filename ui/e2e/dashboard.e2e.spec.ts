/**
 * The dashboard in a real Chromium against a running Stocktide with the demo chain:
 * login, stock overview, a receipt through the form, a live change made by someone else,
 * a staff count on a phone, an analyst's read-only view and a rejected input.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  ADMIN_PASSWORD, ApiUser, SCREENSHOTS, ensureUiBuilt, launchChromium, loginInBrowser, onHand,
  pageScrollsHorizontally, startServer, type RunningServer, type StockLine,
} from './harness';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 667 };

let server: RunningServer;
let browser: Browser;
let admin: ApiUser;
let locations: Array<{ id: string; name: string; type?: string }>;
let store: string; // a store of the demo chain
let sku: string; // a product it holds
let destination: string; // another location, for transfers
// A store manager: the live dashboard's user. Logins are rate-limited per username (10 a
// minute), so the tests spread their browser logins over admin and this manager.
let managerPassword: string;

const contexts: BrowserContext[] = [];
async function openPage(viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  contexts.push(context);
  return context.newPage();
}
const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
const row = (page: Page, locationId: string, s: string) => page.locator(`tr[data-location="${locationId}"][data-sku="${s}"]`);
const liveBadge = (page: Page) => page.locator('[data-test=live-state]');

async function createUser(username: string, role: string, userLocations: string[]): Promise<string> {
  const password = `${username}-password-123`;
  await admin.post('/api/users', { username, password, role, locations: userLocations });
  return password;
}

beforeAll(async () => {
  ensureUiBuilt();
  server = await startServer();
  console.info(`browser tests against ${server.url}`);
  browser = await launchChromium();
  admin = await ApiUser.login(server.url, 'admin', ADMIN_PASSWORD);
  // The demo chain is seeded before the projectors catch up: read at the head of the log.
  const health = (await (await fetch(`${server.url}/health`)).json()) as { position: string; headPosition?: string };
  const head = health.headPosition ?? health.position;
  const stock = await admin.get<{ items: StockLine[] }>(`/api/stock?minPosition=${head}`);
  locations = (await admin.get<{ items: Array<{ id?: string; locationId?: string; name: string; type?: string }> }>('/api/locations')).items
    .map((l) => ({ id: l.id ?? l.locationId ?? '', name: l.name, type: l.type }));
  const candidate = stock.items.find((i) => i.onHand >= 10 && locations.find((l) => l.id === i.locationId)?.type === 'store');
  if (!candidate) throw new Error('the demo chain has no store with stock');
  store = candidate.locationId;
  sku = candidate.sku;
  destination = locations.find((l) => l.id !== store)!.id;
  managerPassword = await createUser('manager-e2e', 'manager', [store, destination]);
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

describe('Stocktide dashboard', () => {
  test('an admin logs in and sees the demo chain in the stock table, with the stream live', async () => {
    const page = await openPage();
    await loginInBrowser(page, server.url, 'admin', ADMIN_PASSWORD);
    await expect.poll(() => page.locator('[data-test=stock-table] tbody tr[data-sku]').count()).toBeGreaterThan(10);
    const table = await page.locator('[data-test=stock-table]').innerText();
    for (const l of locations) expect(table).toContain(l.name);
    await expect.poll(() => liveBadge(page).innerText()).toContain('Live');
    await shot(page, 'desktop-stock');
  });

  test('a receipt made through the form appears in the stock table', async () => {
    const before = await onHand(admin, store, sku);
    const page = await openPage();
    await loginInBrowser(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Receive' }).click();
    await page.getByLabel('Location').selectOption(store);
    await page.getByLabel('Reference (delivery note)').fill('E2E-DELIVERY');
    await page.getByLabel('SKU').fill(sku);
    await page.getByLabel('Quantity').fill('7');
    await page.getByRole('button', { name: 'Record receipt' }).click();
    await page.locator('[data-test=success]').waitFor();
    // Read back with minPosition: the user's own write, no sleeping.
    await expect.poll(() => page.locator('[data-test=balances-after]').innerText()).toContain(`${sku}: ${before + 7}`);
    await shot(page, 'desktop-receive');
    await page.getByRole('link', { name: 'Open stock' }).click();
    await expect.poll(() => row(page, store, sku).locator('[data-test=on-hand]').innerText()).toBe(String(before + 7));
  });

  test('a sale recorded by another user appears in a manager\'s open page without a reload', async () => {
    const page = await openPage();
    await loginInBrowser(page, server.url, 'manager-e2e', managerPassword);
    await page.goto(`${server.url}/#/stock?locationId=${store}`);
    await expect.poll(() => liveBadge(page).innerText()).toContain('Live');
    const before = await onHand(admin, store, sku);
    await expect.poll(() => row(page, store, sku).locator('[data-test=on-hand]').innerText()).toBe(String(before));
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    await admin.post('/api/stock/sales', { locationId: store, saleId: `e2e-${randomUUID()}`, lines: [{ sku, quantity: 2 }] });

    await expect.poll(() => row(page, store, sku).locator('[data-test=on-hand]').innerText()).toBe(String(before - 2));
    expect(await row(page, store, sku).getAttribute('class')).toContain('flash');
    // The change reads old → new for a moment.
    expect(await row(page, store, sku).locator('[data-test=change]').innerText()).toBe(`${before} → ${before - 2}`);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await shot(page, 'desktop-live-change');
  });

  test('a staff member on a phone counts stock at their store, without horizontal page scroll', async () => {
    const password = await createUser('staff-e2e', 'staff', [store]);
    const page = await openPage(PHONE);
    await loginInBrowser(page, server.url, 'staff-e2e', password);
    await page.locator('[data-test=stock-table] tbody tr[data-sku]').first().waitFor();
    expect(await pageScrollsHorizontally(page)).toBe(false);
    // Only their store: every row and every pickable location.
    const rowLocations = await page.locator('[data-test=stock-table] tbody tr[data-location]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-location')));
    expect(new Set(rowLocations)).toEqual(new Set([store]));
    await shot(page, 'phone-stock');

    await page.getByRole('link', { name: 'Count' }).click();
    const pickable = await page.getByLabel('Location').locator('option:not([value=""])').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
    expect(pickable).toEqual([store]);
    await expect.poll(() => page.getByLabel('Location').inputValue()).toBe(store);
    await page.getByLabel('SKU').fill(sku);
    await page.getByLabel('Counted quantity').fill('5');
    await page.getByRole('button', { name: 'Record count' }).click();
    // A count that drops the line by more than half asks once.
    const ask = page.locator('[data-test=confirm-yes]');
    await Promise.race([ask.waitFor(), page.locator('[data-test=balances-after]').waitFor()]);
    if (await ask.isVisible()) await ask.click();
    await expect.poll(() => page.locator('[data-test=balances-after]').innerText()).toContain(`${sku}: 5`);
    expect(await onHand(admin, store, sku)).toBe(5);
    expect(await pageScrollsHorizontally(page)).toBe(false);
    // Tap targets: every visible button, input, select and nav link is at least 40 px tall.
    const small = await page.locator('button:visible, input:visible, select:visible, nav a:visible').evaluateAll((els) =>
      els.filter((e) => e.getBoundingClientRect().height < 40).map((e) => e.outerHTML.slice(0, 80)));
    expect(small).toEqual([]);
    await shot(page, 'phone-count');
  });

  test('an analyst sees every read screen but no command', async () => {
    const password = await createUser('analyst-e2e', 'analyst', []);
    const page = await openPage();
    await loginInBrowser(page, server.url, 'analyst-e2e', password);
    const nav = await page.getByRole('navigation', { name: 'Screens' }).innerText();
    for (const screen of ['Stock', 'Movements', 'Alerts', 'Transfers', 'Analytics']) expect(nav).toContain(screen);
    for (const screen of ['Receive', 'Count', 'Adjust', 'POS quarantine']) expect(nav).not.toContain(screen);
    for (const screen of ['stock', 'movements', 'alerts', 'transfers', 'analytics', 'receive', 'count']) {
      await page.goto(`${server.url}/#/${screen}`);
      await page.locator('main h1').waitFor();
      expect(await page.locator('[data-command]').count(), `commands on ${screen}`).toBe(0);
    }
    // A command screen typed into the address bar falls back to the landing page, the chain overview.
    expect(await page.locator('main h1').innerText()).toBe('Chain overview');
    await page.goto(`${server.url}/#/transfers`);
    await page.locator('[data-test=transfers]').waitFor();
    await shot(page, 'desktop-analyst-transfers');
  });

  test('a rejected input shows the problem detail next to the form and stores nothing', async () => {
    const before = await onHand(admin, store, sku);
    const page = await openPage();
    await loginInBrowser(page, server.url, 'manager-e2e', managerPassword);

    await page.getByRole('link', { name: 'Receive' }).click();
    await page.getByLabel('Location').selectOption(store);
    await page.getByLabel('SKU').fill('NO-SUCH-SKU');
    await page.getByLabel('Quantity').fill('3');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/stock/receipts')),
      page.getByRole('button', { name: 'Record receipt' }).click(),
    ]);
    expect(response.status()).toBeGreaterThanOrEqual(400);
    expect(response.status()).toBeLessThan(500);
    const problem = (await response.json()) as { detail: string };
    await expect.poll(() => page.locator('form[data-command=receive] [data-test=problem]').innerText()).toContain(problem.detail);

    // Writing off more than is there breaks a business rule: the 409's detail is shown once.
    await page.getByRole('link', { name: 'Adjust' }).click();
    await page.getByLabel('Location').selectOption(store);
    await page.getByLabel('SKU').fill(sku);
    await page.getByLabel('Units to remove').fill(String(before + 1000));
    const [adjust] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/stock/adjustments')),
      page.getByRole('button', { name: 'Record adjustment' }).click(),
    ]);
    expect(adjust.status()).toBe(409);
    const adjustProblem = (await adjust.json()) as { detail: string };
    const shown = page.locator('form[data-command=adjust] [data-test=problem]');
    await expect.poll(() => shown.innerText()).toContain(adjustProblem.detail);
    expect(await shown.getAttribute('role')).toBe('alert');
    await shot(page, 'desktop-problem');
    expect(await onHand(admin, store, sku)).toBe(before);
  });

  test('a manager creates, dispatches and partly receives a transfer through the screens', async () => {
    const outBefore = await onHand(admin, store, sku);
    const page = await openPage();
    await loginInBrowser(page, server.url, 'manager-e2e', managerPassword);
    await page.getByRole('link', { name: 'Transfers' }).click();
    await page.getByRole('button', { name: 'New transfer' }).click();
    await page.getByLabel('From').selectOption(store);
    await page.getByLabel('To').selectOption(destination);
    await page.getByLabel('SKU').fill(sku);
    await page.getByLabel('Quantity').fill('4');
    const [created] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/transfers') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Create transfer' }).click(),
    ]);
    const { id } = (await created.json()) as { id: string };
    const card = page.locator(`[data-transfer="${id}"]`);
    const [dispatched] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/transfers/${id}/dispatch`)),
      card.getByRole('button', { name: 'Dispatch' }).click(),
    ]);
    const { position } = (await dispatched.json()) as { position: string };
    await expect.poll(() => card.innerText()).toContain('Dispatched');
    // The card may say "Dispatched" before the stock projector has caught up: read the
    // origin's balance at the dispatch's own position (read-your-writes, no sleeping).
    expect(await onHand(admin, store, sku, position)).toBe(outBefore - 4);

    await card.getByRole('button', { name: 'Receive…' }).click();
    await card.getByLabel(`${sku} received (outstanding 4)`).fill('3');
    await card.getByLabel('Final receipt (record anything missing as shortfall)').uncheck();
    await card.getByRole('button', { name: 'Record receipt' }).click();
    // One unit is still on its way: the transfer stays open for a later receipt.
    await expect.poll(() => card.innerText()).toContain('Partially received');
    await shot(page, 'desktop-transfer-partial');
  });

  test('every screen fits a phone and a desktop', async () => {
    for (const [label, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
      const page = await openPage(viewport);
      await loginInBrowser(page, server.url, 'admin', ADMIN_PASSWORD);
      // Every screen on the phone; on the desktop the ones with wide content.
      const all = ['stock', 'movements', 'alerts', 'transfers', 'receive', 'count', 'adjust', 'analytics', 'quarantine'];
      for (const screen of label === 'phone' ? all : ['movements', 'alerts', 'transfers', 'analytics']) {
        await page.goto(`${server.url}/#/${screen}${screen === 'movements' ? `?locationId=${store}` : ''}`);
        await page.locator('main h1').waitFor();
        // Content arrived (networkidle never comes: the SSE stream stays open).
        await page.waitForFunction(() => document.querySelectorAll('main tbody tr, main li, main form.command').length > 0);
        expect(await pageScrollsHorizontally(page), `${screen} at ${label}`).toBe(false);
        if (['transfers', 'analytics', 'alerts', 'movements'].includes(screen)) await shot(page, `${label}-${screen}`, screen !== 'movements');
      }
    }
  });
});
