/**
 * The staff app on a 390 px phone in headless Chromium with a fake camera showing an EAN-13
 * (written by fake-camera.ts from a bwip-js drawing):
 * - a staff member scans with the camera and the item's count goes up; a second phone counts
 *   the same blind session by search and typed quantity, and the counts add up;
 * - the manager reviews (expected, variance) and posts in the app, and the dashboard's stock
 *   screen shows the result live;
 * - offline: the app reloads from its service worker, three wedge scans, an adjustment and a
 *   transfer receipt are saved; the session expires meanwhile; back online the app asks for the
 *   password, then sends: each action reaches the server exactly once, a replay adds nothing,
 *   and the receipt for the transfer cancelled meanwhile lands under "needs attention";
 * - a partial transfer receipt carries the app's receiptId: resent, it counts once;
 * - a purchase order is received by scan: short lines flagged, a partial receipt dated on the
 *   phone and keyed by its receiptId (resent, it counts once);
 * - refused actions are fixed and sent again: a scan moved to another count, a write-off cut
 *   to what is there; each lands once under its original id;
 * - a post that stopped half-way is listed for the manager, who resumes it, reads why it cannot
 *   finish (the item was counted again later), leaves that item out and finishes.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN_PASSWORD, ApiUser, ensureUiBuilt, launchChromium, loginInBrowser, onHand, pageScrollsHorizontally, startServer, type RunningServer } from './harness';
import { writeBarcodeY4m } from './fake-camera';

const PHONE = { width: 390, height: 844 };
const DOCS_SHOTS = resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const EAN = '4006381333931';
const SKU = 'SCAN-TEE';
const password = (u: string) => `${u}-password-123`;

let server: RunningServer;
let browser: Browser;
let admin: ApiUser;
let tmp: string;
const store = 'store-downtown';
const contexts: BrowserContext[] = [];

interface SessionView { id: string; status: string; lines: Array<{ sku: string; counted: number; expected?: number }> }
interface LogEvent { position: string; type: string; streamId: string; data: Record<string, unknown> }

const shot = (page: Page, name: string) => page.screenshot({ path: join(DOCS_SHOTS, `${name}.png`) });
const counted = (page: Page) => page.locator(`tr[data-sku="${SKU}"] td.num`).first();

async function phone(username: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, hasTouch: true, isMobile: true });
  contexts.push(context);
  // Chrome allows Background Sync by default; a Playwright context starts with every permission denied.
  await context.grantPermissions(['camera', 'background-sync'], { origin: server.url });
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${server.url}/app/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password(username));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Staff app' }).waitFor();
  return { context, page };
}

async function openSessionIn(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Count opened/ }).first().click();
  // A scan counts once the scan pad is on screen, as a person sees it before scanning.
  await page.getByRole('region', { name: 'Scan' }).waitFor();
}

/**
 * A keyboard-wedge scanner types its code as one burst of keys ended by Enter. Typed key by key
 * through the test driver, a busy machine can space the keys more than the 60 ms the app allows
 * a scanner (it would take them for a person typing): the burst is dispatched in the page at once.
 */
async function wedgeScan(page: Page, code: string): Promise<void> {
  await page.evaluate((text) => {
    const target = document.activeElement ?? document.body;
    for (const key of [...text, 'Enter']) target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  }, code);
}

/** The Background Sync tags the staff app's worker registration holds (null: no Background Sync). */
function syncTags(page: Page): Promise<string[] | null> {
  return page.evaluate(async () => {
    const registration = (await navigator.serviceWorker.getRegistration('/app/')) as (ServiceWorkerRegistration & { sync?: { getTags(): Promise<string[]> } }) | undefined;
    return registration?.sync ? registration.sync.getTags() : null;
  });
}

async function findAndPick(page: Page, text: string): Promise<void> {
  await page.getByLabel('Find by SKU or name').fill(text);
  await page.getByRole('list', { name: 'Search results' }).getByRole('button').first().click();
}

async function allEvents(): Promise<LogEvent[]> {
  const out: LogEvent[] = [];
  let from: string | undefined = '1';
  while (from) {
    const page: { events: LogEvent[]; nextPosition?: string } = await admin.get(`/api/events?fromPosition=${from}&limit=1000`);
    out.push(...page.events);
    from = page.nextPosition;
  }
  return out;
}

beforeAll(async () => {
  ensureUiBuilt();
  tmp = await mkdtemp(join(tmpdir(), 'stocktide-cam-'));
  await mkdir(DOCS_SHOTS, { recursive: true });
  const y4m = join(tmp, 'ean13.y4m');
  await writeBarcodeY4m(y4m, 'ean13', EAN);
  server = await startServer();
  browser = await launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`]);
  admin = await ApiUser.login(server.url, 'admin', ADMIN_PASSWORD);
  await admin.post('/api/products', { sku: SKU, name: 'Scan tee', unitCost: 900 });
  await admin.put(`/api/products/${SKU}/barcodes`, { barcodes: [EAN] });
  await admin.post('/api/stock/receipts', { locationId: store, lines: [{ sku: SKU, quantity: 10 }] });
  for (const [u, role] of [['cam-staff', 'staff'], ['kim-staff', 'staff'], ['mo-manager', 'manager']] as const) {
    await admin.post('/api/users', { username: u, password: password(u), role, locations: [store] });
  }
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the staff app', () => {
  let sessionId: string;

  test('two phones count one blind session (camera, then search with a typed quantity) and their counts add up', async () => {
    const manager = await ApiUser.login(server.url, 'mo-manager', password('mo-manager'));
    const opened = await manager.post<{ id: string; position: string }>('/api/count-sessions', { locationId: store, blind: true });
    sessionId = opened.id;
    await manager.get(`/api/count-sessions?minPosition=${opened.position}`);

    const { page: cam } = await phone('cam-staff');
    await openSessionIn(cam);
    await cam.getByRole('button', { name: 'Scan with camera' }).click();
    await expect.poll(() => counted(cam).innerText(), { timeout: 20_000 }).toMatch(/^1/);
    await cam.getByRole('button', { name: 'Stop camera' }).click();
    await expect(cam.getByRole('status')).toBeDefined();
    expect(await cam.getByRole('status').innerText()).toContain('Saved: Scan tee +1');
    expect(await pageScrollsHorizontally(cam)).toBe(false);
    // Blind: the counter sees no expected quantity.
    expect(await cam.locator('table[aria-label=Counted] th').allInnerTexts()).toEqual(['Item', 'Counted']);
    await shot(cam, 'staff-app-scan');

    const { page: kim } = await phone('kim-staff');
    await openSessionIn(kim);
    await kim.getByLabel('Quantity per scan').fill('4');
    await findAndPick(kim, 'scan tee');
    await expect.poll(async () => (await manager.get<SessionView>(`/api/count-sessions/${sessionId}`)).lines.find((l) => l.sku === SKU)?.counted, { timeout: 15_000 }).toBe(5);
    await expect.poll(() => kim.getByTestId('net-status').innerText()).toContain('0 waiting');
    await expect.poll(() => counted(kim).innerText()).toMatch(/^5/);
  });

  test('the manager reviews and posts in the app; the stock screen shows the result live', async () => {
    const { page: mgr } = await phone('mo-manager');
    await openSessionIn(mgr);
    const row = mgr.locator(`tr[data-sku="${SKU}"]`);
    await expect.poll(() => row.innerText()).toMatch(/5\s+10\s+-5/);
    await shot(mgr, 'staff-app-review');

    const dashContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(dashContext);
    const dash = await dashContext.newPage();
    await loginInBrowser(dash, server.url, 'mo-manager', password('mo-manager'));
    await dash.goto(`${server.url}/#/stock?locationId=${store}`);
    const stockCell = dash.locator(`tr[data-location="${store}"][data-sku="${SKU}"] [data-test=on-hand]`);
    await expect.poll(() => stockCell.innerText(), { timeout: 15_000 }).toBe('10');
    await dash.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    await mgr.getByRole('button', { name: 'Post count' }).click();
    await expect.poll(() => mgr.getByText('Status: posted').count()).toBe(1);
    await expect.poll(() => stockCell.innerText(), { timeout: 15_000 }).toBe('5');
    expect(await dash.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await onHand(admin, store, SKU)).toBe(5);
  });

  test('offline: reloads from the service worker, saves scans, an adjustment and a receipt; online again each reaches the server once', async () => {
    const manager = await ApiUser.login(server.url, 'mo-manager', password('mo-manager'));
    const openedOffline = await manager.post<{ id: string; position: string }>('/api/count-sessions', { locationId: store });
    const offlineSession = openedOffline.id;
    await manager.get(`/api/count-sessions?minPosition=${openedOffline.position}`);
    const transfer = await admin.post<{ id: string; position: string }>('/api/transfers', { fromLocationId: 'wh-central', toLocationId: store, lines: [{ sku: 'MUG-CER', quantity: 2 }] });
    await admin.get(`/api/transfers?minPosition=${transfer.position}`); // the lists the phone reads include it

    const { context, page } = await phone('cam-staff');
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    // Visit the lists once online so they are cached, as a phone does during the day.
    await page.getByRole('button', { name: 'Receive', exact: true }).click();
    await page.getByRole('button', { name: /^Transfer / }).first().waitFor();
    await page.getByRole('button', { name: 'Count', exact: true }).click();
    await page.getByRole('button', { name: /^Count opened/ }).first().waitFor();
    const headBefore = (await allEvents()).length;

    await context.setOffline(true);
    await page.reload();
    await page.getByRole('navigation', { name: 'Staff app' }).waitFor();
    await expect.poll(() => page.getByTestId('net-status').innerText()).toContain('Offline');
    await openSessionIn(page);
    for (let i = 0; i < 3; i++) {
      await wedgeScan(page, EAN);
      await expect.poll(() => page.getByTestId('net-status').innerText()).toContain(`${i + 1} waiting`);
    }
    await expect.poll(() => counted(page).innerText()).toMatch(/^3/);
    // Background Sync: the waiting actions registered the outbox tag, so the browser wakes the worker once online.
    expect(await syncTags(page)).toContain('stocktide-outbox');
    await page.evaluate(() => navigator.serviceWorker.addEventListener('message', (e) => {
      const w = window as unknown as { flushAsked?: number };
      if ((e.data as { type?: string } | undefined)?.type === 'stocktide-flush') w.flushAsked = (w.flushAsked ?? 0) + 1;
    }));
    await shot(page, 'staff-app-offline-count');

    await page.getByRole('button', { name: 'Adjust', exact: true }).click();
    await findAndPick(page, SKU);
    await page.getByLabel('Quantity').fill('1');
    await page.getByRole('button', { name: 'Save adjustment' }).click();
    await expect.poll(() => page.getByTestId('net-status').innerText()).toContain('4 waiting');

    await page.getByRole('button', { name: 'Receive', exact: true }).click();
    await page.getByRole('button', { name: /^Transfer / }).first().click();
    await findAndPick(page, 'MUG-CER');
    await page.getByRole('button', { name: 'Receive scanned items' }).click();
    await expect.poll(() => page.getByTestId('net-status').innerText()).toContain('5 waiting');
    await shot(page, 'staff-app-offline');

    // Meanwhile: the transfer is cancelled, and the phone's session expires.
    await admin.post(`/api/transfers/${transfer.id}/cancel`, {});
    await context.clearCookies();
    expect((await allEvents()).filter((e) => e.type === 'CountScansRecorded' && e.streamId === `count-session-${offlineSession}`)).toEqual([]);

    const backOnline = Date.now();
    await context.setOffline(false);
    await page.getByRole('dialog').waitFor({ timeout: 20_000 });
    expect(await page.getByRole('dialog').innerText()).toContain('Session expired');
    await page.getByLabel('Password').fill(password('cam-staff'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('net-status').innerText(), { timeout: 20_000 }).toContain('Online · 0 waiting');
    // Online again, the browser fired the sync, the worker asked the page to send (the online event
    // may have sent first: one sender, so no action goes twice), and once nothing waits the tag is done.
    await expect.poll(() => page.evaluate(() => (window as unknown as { flushAsked?: number }).flushAsked ?? 0), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => syncTags(page), { timeout: 15_000 }).toEqual([]);

    await page.getByRole('button', { name: /^Attention/ }).click();
    const refused = page.getByRole('list', { name: 'Refused actions' }).getByRole('listitem');
    await expect.poll(() => refused.count()).toBe(1);
    expect(await refused.innerText()).toMatch(/Receipt of transfer[\s\S]*409/);
    await shot(page, 'staff-app-attention');

    const events = (await allEvents()).slice(headBefore);
    const scans = events.filter((e) => e.type === 'CountScansRecorded' && e.streamId === `count-session-${offlineSession}`);
    const lines = scans.flatMap((e) => e.data.lines as Array<{ scanId: string; sku: string; quantity: number; countedAt: string }>);
    expect(lines.map((l) => [l.sku, l.quantity])).toEqual([[SKU, 1], [SKU, 1], [SKU, 1]]);
    expect(new Set(lines.map((l) => l.scanId)).size).toBe(3);
    const adjustments = events.filter((e) => e.type === 'StockAdjusted' && e.data.sku === SKU);
    expect(adjustments).toHaveLength(1);
    // The adjustment is dated when it was made on the phone, before the queue reached the server.
    expect(Date.parse(adjustments[0]!.data.occurredAt as string)).toBeLessThan(backOnline);
    expect(Date.parse(adjustments[0]!.data.recordedAt as string)).toBeGreaterThanOrEqual(backOnline);
    expect(events.filter((e) => e.type === 'TransferReceived')).toEqual([]);

    // Replaying the queue adds nothing.
    const staff = await ApiUser.login(server.url, 'kim-staff', password('kim-staff'));
    const head = (await allEvents()).length;
    await staff.post(`/api/count-sessions/${offlineSession}/scans`, { deviceId: 'replay', lines });
    const adj = adjustments[0]!.data;
    await staff.post('/api/stock/adjustments', { locationId: store, sku: SKU, quantity: adj.quantity, reason: adj.reason, adjustmentId: adj.adjustmentId });
    expect((await allEvents()).length).toBe(head);
    const session = await manager.get<SessionView>(`/api/count-sessions/${offlineSession}`);
    expect(session.lines.find((l) => l.sku === SKU)?.counted).toBe(3);
  });
  test('two tabs of the app on one phone take turns: each queued scan is posted once between them', async () => {
    const manager = await ApiUser.login(server.url, 'mo-manager', password('mo-manager'));
    const opened = await manager.post<{ id: string; position: string }>('/api/count-sessions', { locationId: store });
    await manager.get(`/api/count-sessions?minPosition=${opened.position}`);
    const { context, page } = await phone('cam-staff');
    const second = await context.newPage();
    await second.goto(`${server.url}/app/`);
    await second.getByRole('navigation', { name: 'Staff app' }).waitFor();
    // The scans each tab puts on the network, by scan id.
    const posted: string[] = [];
    for (const tab of [page, second]) {
      tab.on('request', (request) => {
        if (request.method() !== 'POST' || !/\/api\/count-sessions\/[^/]+\/scans$/.test(new URL(request.url()).pathname)) return;
        posted.push(...(request.postDataJSON() as { lines: Array<{ scanId: string }> }).lines.map((l) => l.scanId));
      });
    }
    await page.getByRole('button', { name: 'Count', exact: true }).click();
    await openSessionIn(page);
    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('net-status').innerText()).toContain('Offline');
    for (let i = 0; i < 4; i++) {
      await wedgeScan(page, EAN);
      await expect.poll(() => page.getByTestId('net-status').innerText()).toContain(`${i + 1} waiting`);
    }
    expect(posted).toEqual([]);

    // Back online, both tabs' senders wake at once (the online event) over the one queue.
    await context.setOffline(false);
    for (const tab of [page, second]) {
      await expect.poll(() => tab.getByTestId('net-status').innerText(), { timeout: 20_000 }).toContain('Online · 0 waiting');
    }
    expect(posted).toHaveLength(4);
    expect(new Set(posted).size).toBe(4);
    const recorded = (await allEvents()).filter((e) => e.type === 'CountScansRecorded')
      .flatMap((e) => (e.data.lines as Array<{ scanId: string }>).map((l) => l.scanId))
      .filter((id) => posted.includes(id));
    expect(recorded.sort()).toEqual([...posted].sort());
  });

  test('a partial transfer receipt carries a receiptId: resent after a lost answer it counts once', async () => {
    await admin.post('/api/stock/receipts', { locationId: 'wh-central', lines: [{ sku: SKU, quantity: 3 }] });
    const transfer = await admin.post<{ id: string }>('/api/transfers', { fromLocationId: 'wh-central', toLocationId: store, lines: [{ sku: SKU, quantity: 3 }] });
    const dispatched = await admin.post<{ position: string }>(`/api/transfers/${transfer.id}/dispatch`, {});
    const listed = await admin.get<{ items: Array<{ id: string; number?: number }> }>(`/api/transfers?minPosition=${dispatched.position}`);
    const number = listed.items.find((t) => t.id === transfer.id)?.number;
    const before = await onHand(admin, store, SKU, dispatched.position);

    const { page } = await phone('kim-staff');
    await page.getByRole('button', { name: 'Receive', exact: true }).click();
    await page.getByRole('button', { name: `Transfer ${number ?? transfer.id} from` }).click();
    await findAndPick(page, SKU);
    await page.getByLabel(/Last delivery/).uncheck();
    await page.getByRole('button', { name: 'Receive scanned items' }).click();
    await expect.poll(() => page.getByTestId('net-status').innerText(), { timeout: 20_000 }).toContain('Online · 0 waiting');

    const received = () => allEvents().then((all) => all.filter((e) => e.type === 'TransferReceived' && e.data.transferId === transfer.id));
    await expect.poll(async () => (await received()).length).toBe(1);
    const [sent] = await received();
    expect(sent!.data).toMatchObject({ lines: [{ sku: SKU, quantity: 1 }], completed: false, receiptId: expect.any(String) });

    // The queue's resend of the same action (its answer was lost): a duplicate, nothing new stored.
    const head = (await allEvents()).length;
    const again = await admin.post<{ duplicate?: boolean }>(`/api/transfers/${transfer.id}/receive`, { lines: [{ sku: SKU, quantity: 1 }], final: false, receiptId: sent!.data.receiptId });
    expect(again.duplicate).toBe(true);
    expect((await allEvents()).length).toBe(head);
    expect(await received()).toHaveLength(1);
    expect(await onHand(admin, store, SKU, sent!.position)).toBe(before + 1);
  });

  test('a purchase order is received by scan: short flagged, a partial receipt dated on the phone counts once', async () => {
    await admin.post('/api/suppliers', { id: 'e2e-mugs', name: 'Mug Works', leadTimeDays: 3 });
    const po = await admin.post<{ id: string }>('/api/purchase-orders', {
      id: 'po-e2e-1', supplierId: 'e2e-mugs', locationId: store, lines: [{ sku: 'MUG-CER', quantity: 3, unitCost: 400 }, { sku: SKU, quantity: 2, unitCost: 900 }],
    });
    const sent = await admin.post<{ position: string }>(`/api/purchase-orders/${po.id}/send`, {});
    await admin.get(`/api/purchase-orders?minPosition=${sent.position}`);
    const before = await onHand(admin, store, 'MUG-CER', sent.position);

    const { context, page } = await phone('kim-staff');
    await page.getByRole('button', { name: 'Receive', exact: true }).click();
    await page.getByRole('button', { name: `Purchase order ${po.id} from Mug Works` }).click();
    const mugRow = page.locator('tr[data-sku="MUG-CER"]');
    // Received while the store is offline: the receipt keeps the phone's time, not the time it reached the server.
    await context.setOffline(true);
    const tapped = Date.now();
    await findAndPick(page, 'MUG-CER');
    await findAndPick(page, 'MUG-CER');
    await expect.poll(() => mugRow.innerText()).toMatch(/3\s+2\s+short/);
    expect(await page.locator(`tr[data-sku="${SKU}"]`).innerText()).toMatch(/2\s+0\s+short/);
    expect(await page.getByLabel(/Supplier sends no more/).isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Receive scanned items' }).click();
    await expect.poll(() => page.getByTestId('net-status').innerText()).toContain('1 waiting');
    await new Promise((r) => setTimeout(r, 1500));
    const backOnline = Date.now();
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('net-status').innerText(), { timeout: 20_000 }).toContain('Online · 0 waiting');

    const received = () => allEvents().then((all) => all.filter((e) => e.type === 'StockReceived' && e.data.purchaseOrderId === po.id));
    await expect.poll(async () => (await received()).length).toBe(1);
    const [event] = await received();
    expect(event!.data).toMatchObject({ lines: [{ sku: 'MUG-CER', quantity: 2, unitCost: 400 }], receiptId: expect.any(String) });
    // Dated when it was scanned on the phone, not when the server stored it.
    const occurredAt = Date.parse(event!.data.occurredAt as string);
    expect(occurredAt).toBeGreaterThanOrEqual(tapped - 1000);
    expect(occurredAt).toBeLessThan(backOnline);
    expect(Date.parse(event!.data.recordedAt as string)).toBeGreaterThanOrEqual(backOnline);
    const order = await admin.get<{ status: string; lines: Array<{ sku: string; received: number; outstanding: number }> }>(`/api/purchase-orders/${po.id}?minPosition=${event!.position}`);
    expect(order.status).toBe('partially_received');
    expect(order.lines.find((l) => l.sku === 'MUG-CER')).toMatchObject({ received: 2, outstanding: 1 });

    // The queue's resend of the same receipt (its answer was lost): a duplicate, nothing new stored.
    const head = (await allEvents()).length;
    const again = await admin.post<{ duplicate?: boolean }>(`/api/purchase-orders/${po.id}/receive`, { lines: [{ sku: 'MUG-CER', quantity: 2 }], receiptId: event!.data.receiptId, receivedAt: event!.data.occurredAt });
    expect(again.duplicate).toBe(true);
    expect((await allEvents()).length).toBe(head);
    expect(await onHand(admin, store, 'MUG-CER', event!.position)).toBe(before + 2);

    // What is left on the order is what the phone now expects.
    await page.getByRole('button', { name: `Purchase order ${po.id} from Mug Works` }).click();
    await expect.poll(() => mugRow.innerText()).toMatch(/1\s+0\s+short/);
  });

  test('refused actions are fixed and sent again: a scan moved to another count, a write-off cut to what is there', async () => {
    const manager = await ApiUser.login(server.url, 'mo-manager', password('mo-manager'));
    const shelf = await manager.post<{ id: string; position: string }>('/api/count-sessions', { locationId: store, scope: { zone: 'fix-shelf' } });
    const backroom = await manager.post<{ id: string; position: string }>('/api/count-sessions', { locationId: store, scope: { zone: 'fix-backroom' } });
    await manager.get(`/api/count-sessions?minPosition=${backroom.position}`);
    const head = (await allEvents()).length;

    const { context, page } = await phone('kim-staff');
    await page.getByRole('button', { name: /fix-shelf/ }).click();
    await page.getByRole('region', { name: 'Scan' }).waitFor();
    await context.setOffline(true);
    await wedgeScan(page, EAN);
    await expect.poll(() => page.getByTestId('net-status').innerText()).toContain('1 waiting');
    await page.getByRole('button', { name: 'Adjust', exact: true }).click();
    await findAndPick(page, SKU);
    await page.getByLabel('Quantity').fill('500');
    await page.getByRole('button', { name: 'Save adjustment' }).click();
    await expect.poll(() => page.getByTestId('net-status').innerText()).toContain('2 waiting');

    // Meanwhile the manager cancels the shelf count; the write-off is more than the store has.
    await manager.post(`/api/count-sessions/${shelf.id}/cancel`, {});
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('net-status').innerText(), { timeout: 20_000 }).toContain('Online · 0 waiting');
    await page.getByRole('button', { name: /^Attention/ }).click();
    const refused = page.getByRole('list', { name: 'Refused actions' }).getByRole('listitem');
    await expect.poll(() => refused.count()).toBe(2);

    const scanItem = refused.filter({ hasText: '(count)' });
    expect(await scanItem.innerText()).toMatch(/409[\s\S]*cancelled/);
    await scanItem.getByRole('button', { name: 'Fix' }).click();
    await scanItem.getByLabel('Count to send it to').selectOption(backroom.id);
    await scanItem.getByRole('button', { name: 'Send fixed' }).click();
    await expect.poll(() => refused.count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(async () => (await manager.get<SessionView>(`/api/count-sessions/${backroom.id}`)).lines.find((l) => l.sku === SKU)?.counted, { timeout: 15_000 }).toBe(1);

    const adjustItem = refused.filter({ hasText: '(damaged)' });
    expect(await adjustItem.innerText()).toMatch(/-500[\s\S]*409/);
    await adjustItem.getByRole('button', { name: 'Fix' }).click();
    await adjustItem.getByLabel(`${SKU} units`).fill('1');
    await shot(page, 'staff-app-fix');
    await adjustItem.getByRole('button', { name: 'Send fixed' }).click();
    await expect.poll(() => refused.count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('net-status').innerText()).toContain('Online · 0 waiting');

    const events = (await allEvents()).slice(head);
    const scans = events.filter((e) => e.type === 'CountScansRecorded').flatMap((e) => (e.data.lines as Array<{ scanId: string; sku: string; quantity: number }>).map((l) => ({ ...l, streamId: e.streamId })));
    const moved = scans.filter((l) => l.streamId === `count-session-${backroom.id}`);
    expect(moved.map((l) => [l.sku, l.quantity])).toEqual([[SKU, 1]]);
    expect(scans.filter((l) => l.scanId === moved[0]!.scanId)).toHaveLength(1);
    expect(scans.filter((l) => l.streamId === `count-session-${shelf.id}`)).toEqual([]);
    const writeOffs = events.filter((e) => e.type === 'StockAdjusted' && e.data.reason === 'damaged' && e.data.locationId === store);
    expect(writeOffs.map((e) => e.data.quantity)).toEqual([-1]);
  });

  test('a post that stopped half-way is listed for the manager, who resumes it, leaves out the refused item and finishes', async () => {
    await admin.post('/api/products', { sku: 'STUCK-CAP', name: 'Stuck cap', unitCost: 500 });
    await admin.post('/api/stock/receipts', { locationId: store, lines: [{ sku: 'STUCK-CAP', quantity: 4 }] });
    const manager = await ApiUser.login(server.url, 'mo-manager', password('mo-manager'));
    const staff = await ApiUser.login(server.url, 'kim-staff', password('kim-staff'));
    const opened = await manager.post<{ id: string; position: string }>('/api/count-sessions', { locationId: store, scope: { zone: 'stuck-shelf' } });
    await manager.get(`/api/stock?minPosition=${opened.position}`);
    const t0 = Date.now();
    await staff.post(`/api/count-sessions/${opened.id}/scans`, { deviceId: 'kim', lines: [
      { scanId: 'stuck-1', sku: 'STUCK-CAP', quantity: 3, countedAt: new Date(t0).toISOString() },
      { scanId: 'stuck-2', sku: SKU, quantity: 7, countedAt: new Date(t0 + 500).toISOString() },
    ] });
    // Someone counts the cap again through the stock counts form, later than the session's scan: the post stops at it.
    const later = await manager.post<{ position: string }>('/api/stock/counts', { locationId: store, lines: [{ sku: 'STUCK-CAP', countedQuantity: 4 }], countedAt: new Date(t0 + 1000).toISOString() });
    await manager.get(`/api/stock?minPosition=${later.position}`);
    await expect(manager.post(`/api/count-sessions/${opened.id}/post`, {})).rejects.toThrow(/409/);

    const { page: mgr } = await phone('mo-manager');
    const stuckList = mgr.getByRole('list', { name: 'Counts whose posting stopped' });
    await stuckList.getByRole('button', { name: /stuck-shelf · posting stopped half-way/ }).click();
    await expect.poll(() => mgr.getByText('posting not finished').count()).toBe(1);
    await mgr.getByRole('button', { name: 'Resume posting' }).click();
    await expect.poll(() => mgr.getByRole('alert').innerText(), { timeout: 15_000 }).toContain('counted again later');
    expect(await manager.get<{ postingComplete?: boolean }>(`/api/count-sessions/${opened.id}`)).toMatchObject({ status: 'posted', postingComplete: false });

    // The item the server named is proposed; leaving it out posts the rest.
    expect(await mgr.getByLabel('Item to leave out').inputValue()).toBe('STUCK-CAP');
    const head = (await allEvents()).length;
    await mgr.getByRole('button', { name: 'Leave it out and finish' }).click();
    await expect.poll(() => mgr.getByText('Left out of the post: STUCK-CAP').count(), { timeout: 15_000 }).toBe(1);
    expect(await mgr.getByText('posting not finished').count()).toBe(0);
    const view = await manager.get<{ postingComplete?: boolean; dropped?: string[] }>(`/api/count-sessions/${opened.id}`);
    expect(view).toMatchObject({ status: 'posted', postingComplete: true, dropped: ['STUCK-CAP'] });
    const counts = (await allEvents()).slice(head).filter((e) => e.type === 'StockCounted');
    expect(counts.map((e) => (e.data.lines as Array<{ sku: string; countedQuantity: number }>).map((l) => [l.sku, l.countedQuantity]))).toEqual([[[SKU, 7]]]);
    // The cap keeps the later count's 4: the session's 3 was left out, not posted.
    expect(await onHand(admin, store, 'STUCK-CAP', counts[0]!.position)).toBe(4);
  });
});
