/**
 * The charts and the chain overview in a real Chromium against a running Stocktide with the
 * demo chain: every chart draws data (its series hold values and its canvas has coloured
 * pixels, not just axes), and the overview, the SKU charts, aging and turnover follow a POS
 * sale that arrives through a signed generic webhook while the pages are open.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ADMIN_PASSWORD, ApiUser, ensureUiBuilt, launchChromium, loginInBrowser, pageScrollsHorizontally, startServer, type RunningServer } from './harness';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 740 };
const DOCS = resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const STORE = 'store-downtown';
const SKU = 'TEE-WHT-M';
const CONNECTION = 'till-e2e';
const SECRET = 'e2e-till-secret-0123456789';

let server: RunningServer;
let browser: Browser;
let admin: ApiUser;
const contexts: BrowserContext[] = [];

async function openPage(viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  contexts.push(context);
  return context.newPage();
}
const shot = (page: Page, name: string) => page.screenshot({ path: join(DOCS, `${name}.png`), fullPage: true });
const chart = (page: Page, name: string) => page.locator(`[data-chart="${name}"]`);

/** Values the chart's series hold, and their sum. */
async function chartData(page: Page, name: string): Promise<{ points: number; total: number }> {
  const el = chart(page, name).first();
  return { points: Number(await el.getAttribute('data-points')), total: Number(await el.getAttribute('data-total')) };
}

/**
 * Pixels of the chart's canvas in a saturated colour: axes, grid and labels are grey, so
 * these come from drawn series (bars, lines, bands), never from an empty chart.
 */
function colouredPixels(page: Page, name: string): Promise<number> {
  return chart(page, name).first().locator('canvas').first().evaluate((canvas: HTMLCanvasElement) => {
    const ctx = canvas.getContext('2d');
    if (!ctx) return 0;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
      if (a > 100 && Math.max(r, g, b) - Math.min(r, g, b) > 60) count += 1;
    }
    return count;
  });
}

async function expectDrawn(page: Page, name: string): Promise<void> {
  await expect.poll(async () => (await chartData(page, name)).points, { timeout: 15_000 }).toBeGreaterThan(0);
  await expect.poll(() => colouredPixels(page, name), { timeout: 10_000 }).toBeGreaterThan(200);
}

/** A till sale through the signed generic webhook, as a POS would send it. */
async function posSale(quantity: number, sku = SKU): Promise<void> {
  const body = JSON.stringify({
    eventId: `e2e-${randomUUID()}`, type: 'sale', locationId: 'till-downtown', occurredAt: new Date().toISOString(), lines: [{ sku, quantity }],
  });
  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  const response = await fetch(`${server.url}/pos/${CONNECTION}/webhook`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-ims-signature': signature }, body,
  });
  if (response.status !== 200) throw new Error(`webhook: ${response.status} ${await response.text()}`);
}

beforeAll(async () => {
  ensureUiBuilt();
  mkdirSync(DOCS, { recursive: true });
  server = await startServer();
  browser = await launchChromium();
  admin = await ApiUser.login(server.url, 'admin', ADMIN_PASSWORD);
  const health = (await (await fetch(`${server.url}/health`)).json()) as { position: string; headPosition?: string };
  await admin.get(`/api/stock?minPosition=${health.headPosition ?? health.position}`);
  await admin.post('/api/pos/connections', { id: CONNECTION, kind: 'generic', secret: SECRET, locationMap: { 'till-downtown': STORE } });
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

describe('charts and the chain overview', () => {
  test('the overview is the landing page and follows a POS sale live (KPIs, ticker, sales chart)', async () => {
    const page = await openPage();
    await loginInBrowser(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${server.url}/#/`);
    await page.getByRole('heading', { name: 'Chain overview' }).waitFor();
    await expect.poll(() => page.locator('[data-test=live-state]').innerText()).toContain('Live');
    await expectDrawn(page, 'sales-per-day');
    const soldBefore = Number(await page.locator('[data-kpi=salesToday]').innerText());
    const onHandBefore = (await admin.get<{ items: Array<{ onHand: number }> }>(`/api/stock?locationId=${STORE}&sku=${SKU}`)).items[0]!.onHand;
    const chartBefore = (await chartData(page, 'sales-per-day')).total;

    await posSale(3);
    await expect.poll(() => page.locator('[data-kpi=salesToday]').innerText()).toBe(String(soldBefore + 3));
    await expect.poll(() => page.locator('[data-test=pos-ticker] li').first().innerText()).toContain(SKU);
    await expect.poll(async () => (await chartData(page, 'sales-per-day')).total).toBe(chartBefore + 3);
    await expect.poll(() => page.locator('[data-test=pos-health]').innerText()).toContain(CONNECTION);
    // The sale leaves the bestseller with a day or two of cover: it joins "running out".
    const downtownTee = page.locator('[data-test=running-out-list] li', { hasText: 'Downtown Store' }).filter({ hasText: SKU });
    await expect.poll(() => downtownTee.innerText().catch(() => ''), { timeout: 15_000 }).toContain(`${onHandBefore - 3} on hand`);
    await shot(page, 'overview');
  });

  test('a SKU page draws sales with the forecast band and the stock history, and both follow a sale', async () => {
    const page = await openPage();
    await loginInBrowser(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${server.url}/#/forecast?locationId=${STORE}&sku=${SKU}`);
    await expectDrawn(page, 'sales-forecast');
    await expectDrawn(page, 'stock-history');
    await expect.poll(() => page.locator('[data-test=forecast-figures]').innerText()).toContain('Reorder point');
    await expect.poll(() => page.locator('[data-test=live-state]').innerText()).toContain('Live');
    const forecastBefore = (await chartData(page, 'sales-forecast')).total;
    const historyBefore = await chartData(page, 'stock-history');

    await posSale(1);
    // Today's sold bar grows by one (the forecast of today's remainder may move too: compare points).
    await expect.poll(async () => (await chartData(page, 'sales-forecast')).total).not.toBe(forecastBefore);
    await expect.poll(async () => (await chartData(page, 'stock-history')).points).toBeGreaterThan(historyBefore.points);
    await shot(page, 'forecast');
  });

  test('aging, turnover, top sellers and slow movers draw on the Analytics view and follow a sale', async () => {
    const page = await openPage();
    await loginInBrowser(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${server.url}/#/analytics`);
    for (const name of ['aging', 'turnover', 'top-sellers', 'slow-movers']) await expectDrawn(page, name);
    await expect.poll(() => page.locator('[data-test=live-state]').innerText()).toContain('Live');
    const aging = (await chartData(page, 'aging')).total;
    const turnover = (await chartData(page, 'turnover')).total;
    const top = (await chartData(page, 'top-sellers')).total;

    await posSale(2, 'SOCK-3PK');
    // Two packs of socks (well stocked) at FIFO cost leave the stock value; cost of goods sold and units sold grow.
    await expect.poll(async () => (await chartData(page, 'aging')).total, { timeout: 15_000 }).toBe(aging - 2 * 390);
    await expect.poll(async () => (await chartData(page, 'turnover')).total, { timeout: 15_000 }).not.toBe(turnover);
    await expect.poll(async () => (await chartData(page, 'top-sellers')).total, { timeout: 15_000 }).toBe(top + 2);
    await shot(page, 'analytics-charts');
  });

  test('on a phone the charts fit the screen and a chart offers its data as CSV', async () => {
    const page = await openPage(PHONE);
    await loginInBrowser(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${server.url}/#/forecast?locationId=${STORE}&sku=${SKU}`);
    await expectDrawn(page, 'sales-forecast');
    expect(await pageScrollsHorizontally(page)).toBe(false);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      chart(page, 'sales-forecast').getByRole('button', { name: /Download CSV/ }).click(),
    ]);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync(path!, 'utf8').split('\r\n');
    expect(csv[0]).toBe('date,sold,forecast,low,high');
    expect(csv.length).toBeGreaterThan(30);
    await shot(page, 'forecast-phone');
  });
});
