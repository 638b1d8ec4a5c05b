/**
 * Purchasing in a real Chromium against a running Stocktide: a SKU under its min at a store
 * yields a transfer from a warehouse with surplus and a purchase order for the rest from the
 * preferred supplier (in packs); both are created from the Replenish screen; the PO is sent
 * (the signed webhook reaches a receiver on 127.0.0.1), received in two parts on a phone while
 * a desktop screen on the same order follows live, and the stock value carries the PO cost.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { verifySignature } from '../../outbound/webhooks/signing';
import {
  ADMIN_PASSWORD, ApiUser, SCREENSHOTS, ensureUiBuilt, launchChromium, loginInBrowser, pageScrollsHorizontally, startServer, type RunningServer,
} from './harness';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 667 };
const SECRET = 'e2e-purchasing-webhook-secret';
const WH = 'wh-po-e2e';
const STORE = 'store-po-e2e';
const SKU = 'PO-E2E-MUG';

let server: RunningServer;
let browser: Browser;
let admin: ApiUser;
let hooks: Server;
const received: Array<{ raw: string; signature: string; body: { kind: string; data: Record<string, unknown> } }> = [];
const contexts: BrowserContext[] = [];

async function openPage(viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  contexts.push(context);
  return context.newPage();
}
const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
const put = async (path: string, body: unknown) => {
  const token = (admin as unknown as { token: string }).token;
  const response = await fetch(`${server.url}${path}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`PUT ${path}: ${response.status} ${await response.text()}`);
};

beforeAll(async () => {
  ensureUiBuilt();
  server = await startServer();
  browser = await launchChromium();
  admin = await ApiUser.login(server.url, 'admin', ADMIN_PASSWORD);
  hooks = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ raw, signature: String(request.headers['x-stocktide-signature']), body: JSON.parse(raw) });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/purchase-orders`;

  await admin.post('/api/locations', { id: WH, name: 'PO Warehouse', type: 'warehouse' });
  await admin.post('/api/locations', { id: STORE, name: 'PO Store', type: 'store' });
  await admin.post('/api/products', { sku: SKU, name: 'E2E mug', unitCost: 100 });
  await admin.post('/api/stock/receipts', { locationId: WH, lines: [{ sku: SKU, quantity: 80, unitCost: 100 }] });
  await admin.post('/api/stock/receipts', { locationId: STORE, lines: [{ sku: SKU, quantity: 4, unitCost: 100 }] });
  await admin.post('/api/suppliers', { id: 'acme-e2e', name: 'Acme Ceramics', leadTimeDays: 3, email: 'orders@acme.test' });
  await admin.post('/api/suppliers', { id: 'budget-e2e', name: 'Budget Mugs', leadTimeDays: 9 });
  await admin.post('/api/suppliers/acme-e2e/prices', { sku: SKU, unitCost: 250, minOrderQuantity: 24, packSize: 12, preferred: true });
  await admin.post('/api/suppliers/budget-e2e/prices', { sku: SKU, unitCost: 200 });
  await put('/api/reorder-rules', { locationId: STORE, sku: SKU, min: 20, max: 100 });
  await put('/api/reorder-rules', { locationId: WH, sku: SKU, min: 10, max: 50 });
  await admin.post('/api/webhooks/subscriptions', { url: hookUrl, kinds: ['purchase_order.sent'], secret: SECRET });
  await admin.post('/api/users', { username: 'po-staff', password: 'po-staff-password-123', role: 'staff', locations: [STORE] });
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await new Promise((resolve) => hooks?.close(resolve));
  await server?.close();
});

describe('purchasing in the dashboard', () => {
  let poId = '';
  let desktop: Page;

  test('Replenish proposes the warehouse transfer first, then the PO for the rest in packs; one click creates both', async () => {
    desktop = await openPage();
    await loginInBrowser(desktop, server.url, 'admin', ADMIN_PASSWORD);
    await desktop.goto(`${server.url}/#/replenish?locationId=${STORE}`);
    const rows = desktop.locator(`[data-test=suggestions] tbody tr[data-sku="${SKU}"]`);
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    expect(await rows.nth(0).getAttribute('data-kind')).toBe('transfer');
    expect(await rows.nth(0).locator('[data-test=quantity]').innerText()).toBe('30');
    expect(await rows.nth(1).getAttribute('data-kind')).toBe('purchase');
    expect(await rows.nth(1).locator('[data-test=quantity]').innerText()).toBe('72');
    expect(await rows.nth(1).locator('[data-test=reason]').innerText()).toContain('rounded to pack of 12 from preferred supplier acme-e2e');
    await shot(desktop, 'purchasing-suggestions');

    await rows.nth(0).getByRole('checkbox').check();
    await rows.nth(1).getByRole('checkbox').check();
    await desktop.getByRole('button', { name: 'Create transfers and purchase orders' }).click();
    await desktop.locator('[data-test=success]').waitFor();
    expect(await desktop.locator('[data-test=success]').innerText()).toContain('1 transfer(s) created, 1 purchase order(s) drafted');
    await expect.poll(() => rows.count()).toBe(0);
    const link = desktop.locator('[data-test=created-orders] a');
    poId = (await link.innerText()).replace('Purchase order ', '');
    await link.click();
    await expect.poll(() => desktop.locator('[data-test=po-status]').innerText()).toBe('Draft');
  });

  test('sending the PO delivers the signed purchase_order.sent webhook to 127.0.0.1', async () => {
    await desktop.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => desktop.locator('[data-test=po-status]').innerText()).toBe('Sent');
    await expect.poll(() => received.length, { timeout: 15_000 }).toBeGreaterThan(0);
    const hook = received[0]!;
    expect(verifySignature(SECRET, hook.raw, hook.signature)).toBe(true);
    expect(hook.body).toMatchObject({ kind: 'purchase_order.sent', data: { purchaseOrderId: poId, supplierId: 'acme-e2e', lines: [{ sku: SKU, quantity: 72, unitCost: 250 }] } });
  });

  test('staff receive it in two parts on a phone; the open desktop screen follows live; stock value carries the PO cost', async () => {
    const phone = await openPage(PHONE);
    await loginInBrowser(phone, server.url, 'po-staff', 'po-staff-password-123');
    await phone.goto(`${server.url}/#/purchase-orders?id=${poId}`);
    const desktopReceived = desktop.locator(`[data-test=po-lines] tr[data-sku="${SKU}"] [data-test=received]`);

    for (const [quantity, status, total] of [['40', 'Partially received', '40'], ['32', 'Received', '72']] as const) {
      await phone.getByRole('button', { name: 'Receive…' }).click();
      await phone.getByLabel(new RegExp(`${SKU} received`)).fill(quantity);
      await phone.getByRole('button', { name: 'Record receipt' }).click();
      await expect.poll(() => phone.locator('[data-test=po-status]').innerText(), { timeout: 10_000 }).toBe(status);
      // The desktop did nothing: the receipt's stock change over SSE re-read the order.
      await expect.poll(() => desktopReceived.innerText(), { timeout: 10_000 }).toBe(total);
      if (quantity === '40') await shot(phone, 'purchasing-phone-receive');
    }
    expect(await pageScrollsHorizontally(phone)).toBe(false);
    expect(await desktop.locator('[data-test=po-status]').innerText()).toBe('Received');

    const stock = await admin.get<{ items: Array<{ sku: string; onHand: number; value: number }> }>(`/api/stock?locationId=${STORE}&sku=${SKU}`);
    expect(stock.items[0]).toMatchObject({ onHand: 76, value: 4 * 100 + 72 * 250 });
  });
});
