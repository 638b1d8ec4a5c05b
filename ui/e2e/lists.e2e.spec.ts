/**
 * The dashboard at a real chain's size (issue 16): 2,000 products at one store; the stock
 * screen sorted, filtered to "low" and paged, its export a CSV with names and amounts; a product
 * page with the product at every location; a staff member's answers and screens without cost or
 * value; ten products on a 390 × 844 phone; axe finds no serious or critical violation.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ADMIN_PASSWORD, ApiUser, SCREENSHOTS, ensureUiBuilt, launchChromium, loginInBrowser, startServer, type RunningServer } from './harness';

const PRODUCTS = 2000;
const STORE = 'store-uptown';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

let server: RunningServer;
let browser: Browser;
let admin: ApiUser;
let staffPassword: string;
let lastPosition: string;
let lowCount: number;
const contexts: BrowserContext[] = [];

async function openPage(viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, acceptDownloads: true });
  contexts.push(context);
  return context.newPage();
}
const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
const sku = (i: number) => `BULK-${String(i).padStart(4, '0')}`;
/** Units received of product i: a reorder point of 5 makes every 1..5 "low". */
const units = (i: number) => (i % 12) + 1;

/** WCAG contrast of two `rgb(...)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => Number(v) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

beforeAll(async () => {
  ensureUiBuilt();
  server = await startServer();
  browser = await launchChromium();
  admin = await ApiUser.login(server.url, 'admin', ADMIN_PASSWORD);
  const indexes = Array.from({ length: PRODUCTS }, (_, i) => i);
  await inParallel(indexes, 8, async (i) => {
    await admin.post('/api/products', { sku: sku(i), name: `Bulk item ${i} ${i % 2 ? 'blue' : 'red'}`, unitCost: 125 + i, reorderPoint: 5 });
  });
  for (let start = 0; start < PRODUCTS; start += 1000) {
    const lines = indexes.slice(start, start + 1000).map((i) => ({ sku: sku(i), quantity: units(i) }));
    lastPosition = (await admin.post<{ position: string }>('/api/stock/receipts', { locationId: STORE, lines })).position;
  }
  lowCount = indexes.filter((i) => units(i) <= 5).length;
  staffPassword = 'staff-lists-password-1';
  await admin.post('/api/users', { username: 'staff-lists', password: staffPassword, role: 'staff', locations: [STORE] });
  // Read the seeded store at the last receipt's position (read-your-writes, no sleeping); the
  // demo chain's own lines at the store count too.
  const low = await admin.get<{ total: number }>(`/api/stock?locationId=${STORE}&status=low&limit=1&minPosition=${lastPosition}`);
  expect(low.total).toBeGreaterThanOrEqual(lowCount);
  lowCount = low.total;
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

const rangeText = (page: Page) => page.locator('[data-test=stock-table] [data-test=range]').innerText();
const onHands = (page: Page) => page.locator('[data-test=stock-table] tbody [data-test=on-hand]').allInnerTexts();

describe('lists that scale', () => {
  test('with 2,000 products the stock screen is sorted, filtered to low, paged, and exports a CSV with names and amounts', async () => {
    const page = await openPage();
    await loginInBrowser(page, server.url, 'admin', ADMIN_PASSWORD);
    const started = Date.now();
    await page.goto(`${server.url}/#/stock?locationId=${STORE}`);
    await expect.poll(() => rangeText(page), { timeout: 10_000 }).toMatch(/^1–50 of 2,0\d\d$/);
    const paintMs = Date.now() - started;
    // Baseline in the same run: the whole list in one answer (what the screen read before paging).
    const timed = async (path: string) => {
      const t0 = performance.now();
      const body = JSON.stringify(await admin.get(path));
      return { ms: Math.round(performance.now() - t0), kb: Math.round(body.length / 1024) };
    };
    const whole = await timed(`/api/stock?locationId=${STORE}`);
    const paged = await timed(`/api/stock?locationId=${STORE}&sort=-onHand&status=low&limit=50`);
    console.info(`GET /api/stock, ${PRODUCTS}+ lines: whole list ${whole.ms} ms / ${whole.kb} KB; sorted, filtered, one page of 50: ${paged.ms} ms / ${paged.kb} KB`);
    console.info(`stock screen, ${PRODUCTS}+ lines: first page painted in ${paintMs} ms; page height ${await page.evaluate(() => document.documentElement.scrollHeight)} px`);
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(4000);

    await page.locator('[data-test=stock-table] button[data-sort=onHand]').click();
    const isAscending = (values: number[]) => values.length > 0 && values.every((v, i) => i === 0 || values[i - 1]! <= v);
    await expect.poll(async () => isAscending((await onHands(page)).map(Number))).toBe(true);
    expect(await page.locator('[data-test=stock-table] th[aria-sort=ascending]').innerText()).toContain('On hand');

    await page.getByLabel('Show').selectOption('low');
    await expect.poll(() => rangeText(page)).toBe(`1–50 of ${lowCount.toLocaleString('en-US')}`);
    expect(page.url()).toContain('status=low');
    expect(page.url()).toContain('sort=onHand');
    const statuses = await page.locator('[data-test=stock-table] tbody td[data-col=status]').allInnerTexts();
    expect(new Set(statuses.map((s) => s.trim()))).toEqual(new Set(['Low']));
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => rangeText(page)).toBe(`51–100 of ${lowCount.toLocaleString('en-US')}`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'desktop-stock-2000-low');

    // A reload keeps the filters (they live in the URL).
    await page.reload();
    await expect.poll(() => rangeText(page)).toBe(`1–50 of ${lowCount.toLocaleString('en-US')}`);
    expect(await page.getByLabel('Show').inputValue()).toBe('low');

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=stock-table] [data-test=export]').click()]);
    const csv = (await readFile(await download.path())).toString('utf8').trimEnd().split('\r\n');
    expect(csv[0]).toBe('locationId,locationName,sku,productName,onHand,inTransitIn,inTransitOut,reorderPoint,status,value (USD)');
    expect(csv).toHaveLength(lowCount + 1); // exactly what is filtered, every page of it
    const first = csv[1]!.split(',');
    expect(first.slice(0, 2)).toEqual([STORE, 'Uptown Store']);
    expect(first[3]).toMatch(/^Bulk item \d+ (red|blue)$/);
    expect(first[8]).toBe('low');
    expect(first[9]).toMatch(/^\d+\.\d{2}$/); // an amount in dollars, not cents
  }, 60_000);

  test('search is forgiving: lowercase, partial, by name', async () => {
    const page = await openPage();
    await loginInBrowser(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${server.url}/#/stock?locationId=${STORE}`);
    await page.getByLabel('Search SKU, product or barcode').fill('bulk-0042');
    await expect.poll(() => rangeText(page)).toBe('1–1 of 1');
    await page.getByLabel('Search SKU, product or barcode').fill('mug');
    await expect.poll(() => page.locator('[data-test=stock-table] tbody tr[data-sku]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-sku'))))
      .toEqual(['MUG-CER']);
    await page.getByLabel('Search SKU, product or barcode').fill('ITEM 1999 blu');
    await expect.poll(() => rangeText(page)).toBe('1–1 of 1');
  });

  test('a product page shows one product at every location, reached from its SKU', async () => {
    const page = await openPage();
    await loginInBrowser(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${server.url}/#/stock?q=MUG-CER`);
    await page.locator('[data-test=sku-link]').first().click();
    await page.locator('[data-test=product-page]').waitFor();
    const locations = (await admin.get<{ items: Array<{ id: string; name: string }> }>('/api/locations')).items;
    await expect.poll(() => page.locator('[data-test=product-stock] tbody tr[data-location]').count()).toBe(locations.length);
    const table = await page.locator('[data-test=product-stock]').innerText();
    for (const l of locations) expect(table).toContain(l.name);
    const stock = await admin.get<{ items: Array<{ onHand: number }> }>('/api/stock?sku=MUG-CER');
    expect(await page.locator('[data-test=chain-total]').innerText()).toBe(String(stock.items.reduce((s, i) => s + i.onHand, 0)));
    expect(await page.title()).toBe('Product · Stocktide');
    await expect.poll(() => page.locator('[data-test=product-movements] tbody tr').count()).toBeGreaterThan(0);

    // The category, set here, scopes a count: the page and the API agree, and an empty field clears it.
    expect(await page.locator('[data-test=category]').innerText()).toBe('—');
    await page.getByLabel('Category').fill(' Kitchen ');
    await page.getByRole('button', { name: 'Save category' }).click();
    await page.getByText('Category set to Kitchen.').waitFor();
    await expect.poll(() => page.locator('[data-test=category]').innerText()).toBe('Kitchen');
    const inKitchen = await admin.get<{ items: Array<{ sku: string; category?: string }> }>('/api/products?category=Kitchen');
    expect(inKitchen.items.map((p) => p.sku)).toEqual(['MUG-CER']);
    await page.screenshot({ path: join(SCREENSHOTS, 'desktop-product.png'), fullPage: true });
    await page.getByLabel('Category').fill('');
    await page.getByRole('button', { name: 'Save category' }).click();
    await page.getByText('Category cleared.').waitFor();
    await expect.poll(() => page.locator('[data-test=category]').innerText()).toBe('—');
    expect((await admin.get<{ items: unknown[] }>('/api/products?category=Kitchen')).items).toEqual([]);
  });

  test('a staff member\'s API answers and screens carry no cost or value', async () => {
    const page = await openPage();
    await loginInBrowser(page, server.url, 'staff-lists', staffPassword);
    await page.locator('[data-test=stock-table] tbody tr[data-sku]').first().waitFor();
    const answers = await page.evaluate(async () => {
      const texts: Record<string, { status: number; body: string }> = {};
      for (const path of ['/api/stock?limit=100', '/api/stock?format=csv&limit=100', '/api/products', '/api/analytics/aging', '/api/analytics/turnover', '/api/auth/me']) {
        const r = await fetch(path);
        texts[path] = { status: r.status, body: await r.text() };
      }
      return texts;
    });
    for (const [path, { status, body }] of Object.entries(answers)) {
      if (path === '/api/analytics/turnover') {
        expect(status).toBe(403);
        continue;
      }
      expect(status, path).toBe(200);
      expect(body, path).not.toMatch(/"(value|unitCost|cogs|averageInventoryValue)"|value \(/);
    }
    expect(JSON.parse(answers['/api/auth/me']!.body)).toMatchObject({ user: { seesCosts: false } });
    for (const screen of ['stock', 'analytics', 'receive']) {
      await page.goto(`${server.url}/#/${screen}`);
      await page.locator('main h1').waitFor();
      await page.waitForFunction(() => !document.querySelector('[data-test=loading]'));
      const text = await page.locator('main').innerText();
      expect(text, screen).not.toMatch(/\bValue\b|Unit cost|Turnover|\$\d/);
    }
  });

  test('on a 390 × 844 phone ten products fit, one line each, details on tap; the menu stays reachable', async () => {
    const page = await openPage(PHONE);
    await loginInBrowser(page, server.url, 'staff-lists', staffPassword);
    await page.locator('[data-test=stock-table] tbody tr[data-sku]').nth(10).waitFor();
    const fitting = await page.locator('[data-test=stock-table] tbody tr[data-sku]').evaluateAll((rows) =>
      rows.filter((r) => r.getBoundingClientRect().bottom <= window.innerHeight).length);
    console.info(`phone 390×844: ${fitting} product lines fit on the first screen`);
    expect(fitting).toBeGreaterThanOrEqual(10);
    expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
    await shot(page, 'phone-stock-compact');
    const first = page.locator('[data-test=stock-table] tbody tr[data-sku]').first();
    expect(await first.innerText()).not.toContain('Uptown Store'); // one line: the location is a detail
    await first.getByRole('button', { name: /Details/ }).click();
    await expect.poll(() => first.innerText()).toContain('Uptown Store');
    await shot(page, 'phone-stock-details');
    // Scrolled far down, the menu is still on screen.
    await page.mouse.wheel(0, 5000);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    const nav = await page.getByRole('navigation', { name: 'Screens' }).boundingBox();
    expect(nav && nav.y >= 0 && nav.y < 120).toBe(true);
  });

  test('axe finds no serious or critical violation on any screen; every screen has its own title', async () => {
    const page = await openPage();
    await loginInBrowser(page, server.url, 'admin', ADMIN_PASSWORD);
    const titles = new Set<string>();
    for (const screen of ['stock', 'movements', 'alerts', 'transfers', 'receive', 'count', 'adjust', 'analytics', 'quarantine', 'product?sku=MUG-CER']) {
      await page.goto(`${server.url}/#/${screen}`);
      await page.locator('main h1').waitFor();
      await page.waitForFunction(() => !document.querySelector('[data-test=loading]'));
      const t0 = Date.now();
      const result = await new AxeBuilder({ page }).analyze();
      console.info(`axe ${screen}: ${Date.now() - t0} ms, ${result.violations.length} violations`);
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${screen}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join('; ')}`)).toEqual([]);
      titles.add(await page.title());
    }
    expect(titles.size).toBe(10);

    // The focus ring: at least 3 px and 3:1 against the page behind it (WCAG 2.2 focus appearance).
    await page.goto(`${server.url}/#/stock`);
    await page.locator('main h1').waitFor();
    await page.getByLabel('Search SKU, product or barcode').focus();
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!);
      return { color: style.outlineColor, width: parseFloat(style.outlineWidth), background: getComputedStyle(document.documentElement).backgroundColor };
    });
    expect(ring.width).toBeGreaterThanOrEqual(3);
    expect(contrast(ring.color, ring.background)).toBeGreaterThanOrEqual(3);
  }, 240_000);
});
