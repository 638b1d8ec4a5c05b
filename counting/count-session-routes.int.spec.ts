/**
 * Count sessions through the full app (CONTRACT.md, "Count sessions"): a manager opens a blind
 * count, two phones scan (by barcode in any GTIN form, by SKU, with a typed quantity) and their
 * counts add up; staff never see expected quantities; the manager reviews and posts, and the
 * posted count is dated at the first scan so a sale during the count still applies. Repeats add
 * nothing; bad input is a 4xx problem+json with no event appended.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProblem, startFullApp, type FullApp, type Headers } from '../server/testing/full-app';
import { decideOnStream } from '../write-side/commands/decide-on-stream';
import { countSessionDecider } from './decide-count-session';
import { countSessionStream } from './count-session-state';

let f: FullApp;
let manager: Headers;
let phone1: Headers;
let phone2: Headers;
let staffB: Headers;
let sessionId: string;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const firstScanAt = ago(60_000);
const phone2At = ago(40_000);

const expectCreated = (res: { statusCode: number; body: string }) => expect(res.statusCode, res.body).toBe(201);
const head = async () => (await f.head()).toString();
const session = async (h: Headers) => {
  const res = await f.get(`/api/count-sessions/${sessionId}?minPosition=${await head()}`, h);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
/** Asserts the request is refused with `status` and appends nothing. */
const refused = async (status: number, run: () => Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }>) => {
  const before = await f.head();
  const res = await run();
  expect(isProblem(res, status), res.body).toBe(true);
  expect(await f.head()).toBe(before);
  return JSON.parse(res.body);
};

beforeAll(async () => {
  f = await startFullApp();
  for (const id of ['store-a', 'store-b']) expectCreated(await f.post('/api/locations', f.admin, { id, name: id, type: 'store' }));
  expectCreated(await f.post('/api/products', f.admin, { sku: 'TEE', name: 'Hoodie', unitCost: 500 }));
  expectCreated(await f.post('/api/products', f.admin, { sku: 'MUG', name: 'Mug', unitCost: 300 }));
  const barcodes = await f.call('PUT', '/api/products/TEE/barcodes', f.admin, { barcodes: ['036000291452'] });
  expect(barcodes.statusCode, barcodes.body).toBe(200);
  expectCreated(await f.post('/api/stock/receipts', f.admin, { locationId: 'store-a', lines: [{ sku: 'TEE', quantity: 28 }, { sku: 'MUG', quantity: 5 }], receivedAt: ago(600_000) }));
  manager = await f.tokenFor('manager', ['store-a'], 'mo');
  phone1 = await f.tokenFor('staff', ['store-a'], 'sam');
  phone2 = await f.tokenFor('staff', ['store-a'], 'kim');
  staffB = await f.tokenFor('staff', ['store-b'], 'bo');
  // Opening resolves the scope through the catalog read model and the expected quantities through the ledger: wait for both.
  expect(await f.built.services.runner.waitForPosition(await f.built.services.eventStore.headPosition(), 10_000)).toBe(true);
  const opened = await f.post('/api/count-sessions', manager, { locationId: 'store-a', blind: true, scope: { skus: ['TEE', 'MUG'], zone: 'aisle 3' } });
  expectCreated(opened);
  sessionId = opened.json().id;
  expect(opened.json().position).toMatch(/^[0-9]+$/);
});
afterAll(async () => {
  await f?.close();
});

describe('count sessions', () => {
  it('adds up the scans of two phones, by any GTIN form and by SKU, and a resend adds nothing', async () => {
    const scan1 = { deviceId: 'phone-1', lines: [
      { scanId: 'p1-1', barcode: '0036000291452', quantity: 1, countedAt: firstScanAt },
      { scanId: 'p1-2', barcode: '036000291452', quantity: 1, countedAt: ago(50_000) },
      { scanId: 'p1-3', sku: 'MUG', quantity: 4, countedAt: ago(50_000) },
    ] };
    const first = await f.post(`/api/count-sessions/${sessionId}/scans`, phone1, scan1);
    expectCreated(first);
    expect(first.json()).toMatchObject({ recorded: 3, lines: [{ scanId: 'p1-1', sku: 'TEE' }, { scanId: 'p1-2', sku: 'TEE' }, { scanId: 'p1-3', sku: 'MUG' }] });
    expectCreated(await f.post(`/api/count-sessions/${sessionId}/scans`, phone2, { deviceId: 'phone-2', lines: [{ scanId: 'p2-1', sku: 'TEE', quantity: 11, countedAt: phone2At }] }));
    const before = await f.head();
    const again = await f.post(`/api/count-sessions/${sessionId}/scans`, phone1, scan1);
    expectCreated(again);
    expect(again.json()).toMatchObject({ recorded: 0, duplicate: true });
    expect(await f.head()).toBe(before);

    const staffView = await session(phone1);
    expect(staffView).toMatchObject({ id: sessionId, locationId: 'store-a', status: 'open', blind: true });
    expect(staffView.lines).toEqual([
      expect.objectContaining({ sku: 'MUG', counted: 4 }), expect.objectContaining({ sku: 'TEE', counted: 13 }),
    ]);
    expect(staffView.lines.some((l: object) => 'expected' in l)).toBe(false);
    const review = await session(manager);
    expect(review.lines).toEqual([
      expect.objectContaining({ sku: 'MUG', counted: 4, expected: 5, variance: -1, varianceValue: -300 }),
      expect.objectContaining({ sku: 'TEE', counted: 13, expected: 28, variance: -15, varianceValue: -7500, countedBy: [expect.any(String), expect.any(String)] }),
    ]);
    const listed = await f.get(`/api/count-sessions?locationId=store-a&status=open&minPosition=${await head()}`, phone2);
    expect(listed.json().items).toEqual([expect.objectContaining({ id: sessionId, skusCounted: 2, units: 17 })]);
  });

  it('refuses bad scans with a problem naming the field and appends nothing', async () => {
    const scan = (line: Record<string, unknown>, h: Headers = phone1) => () =>
      f.post(`/api/count-sessions/${sessionId}/scans`, h, { deviceId: 'phone-1', lines: [{ scanId: 'bad-1', quantity: 1, countedAt: ago(1000), ...line }] });
    const unknown = await refused(400, scan({ barcode: '4006381333931' }));
    expect(unknown.errors).toEqual([expect.objectContaining({ instancePath: '/lines/0/barcode' })]);
    await refused(400, scan({ sku: 'TEE', quantity: 0 }));
    await refused(400, scan({ sku: 'TEE', quantity: 1.5 }));
    await refused(400, scan({ sku: 'TEE', barcode: '036000291452' }));
    expectCreated(await f.post('/api/products', f.admin, { sku: 'CAP', name: 'Cap' }));
    await f.get(`/api/stock?minPosition=${await head()}`, f.admin);
    expect((await refused(409, scan({ sku: 'CAP' }))).code).toBe('sku-out-of-scope');
    expect((await refused(409, scan({ scanId: 'p1-1', sku: 'TEE', quantity: 9, countedAt: firstScanAt }))).code).toBe('scan-id-reused');
    await refused(403, scan({ sku: 'TEE' }, staffB));
    await refused(404, () => f.post('/api/count-sessions/nope/scans', phone1, { deviceId: 'd', lines: [{ scanId: 'x', sku: 'TEE', quantity: 1, countedAt: ago(0) }] }));
    await refused(403, () => f.post('/api/count-sessions', phone1, { locationId: 'store-a' }));
    await refused(403, () => f.post('/api/count-sessions', manager, { locationId: 'store-b' }));
    await refused(403, () => f.post(`/api/count-sessions/${sessionId}/post`, phone1));
  });

  it('posts the counts as of each SKU\'s first scan: a sale during the count still applies; a second post is 409', async () => {
    // Sold after the hoodies were first scanned, before the post.
    expectCreated(await f.post('/api/stock/sales', manager, { locationId: 'store-a', occurredAt: ago(30_000), lines: [{ sku: 'TEE', quantity: 1 }] }));
    const from = (await f.head()) + 1n;
    const posted = await f.post(`/api/count-sessions/${sessionId}/post`, manager);
    expectCreated(posted);
    const events = await f.events(from.toString());
    const counts = events.filter((e) => e.type === 'StockCounted');
    expect(counts.map((e) => (e.data as { lines: Array<{ sku: string; countedQuantity: number }> }).lines)).toEqual([
      [{ sku: 'TEE', countedQuantity: 13, bookQuantity: 28, adjustment: -15 }],
      [{ sku: 'MUG', countedQuantity: 4, bookQuantity: 5, adjustment: -1 }],
    ]);
    expect(events.map((e) => e.type)).toEqual(['CountSessionPostingStarted', 'StockCounted', 'StockCounted', 'CountSessionPosted']);
    expect(posted.json().position).toBe(events.at(-1)!.position);
    const stock = await f.get(`/api/stock?locationId=store-a&minPosition=${posted.json().position}`, manager);
    expect(stock.json().items.map((i: { sku: string; onHand: number }) => [i.sku, i.onHand])).toEqual([['MUG', 4], ['TEE', 12]]);
    expect(await session(manager)).toMatchObject({ status: 'posted', postingComplete: true });

    expect((await refused(409, () => f.post(`/api/count-sessions/${sessionId}/post`, manager))).code).toBe('count-session-posted');
    expect((await refused(409, () => f.post(`/api/count-sessions/${sessionId}/scans`, phone1, { deviceId: 'phone-1', lines: [{ scanId: 'late', sku: 'TEE', quantity: 1, countedAt: ago(0) }] }))).code)
      .toBe('count-session-posted');
    // A queue replayed after the post: nothing new, no error.
    const replay = await f.post(`/api/count-sessions/${sessionId}/scans`, phone2, { deviceId: 'phone-2', lines: [{ scanId: 'p2-1', sku: 'TEE', quantity: 11, countedAt: phone2At }] });
    expect(replay.json()).toMatchObject({ duplicate: true, recorded: 0 });
  });

  it('takes a recount request: what was counted for the SKU no longer counts until scanned again; cancel posts nothing', async () => {
    const opened = await f.post('/api/count-sessions', manager, { locationId: 'store-a' });
    const id = opened.json().id as string;
    expectCreated(await f.post(`/api/count-sessions/${id}/scans`, phone1, { deviceId: 'phone-1', lines: [{ scanId: 'r1', sku: 'MUG', quantity: 40, countedAt: ago(0) }] }));
    expectCreated(await f.post(`/api/count-sessions/${id}/recount`, manager, { skus: ['MUG'] }));
    const view = (await f.get(`/api/count-sessions/${id}?minPosition=${await head()}`, manager)).json();
    expect(view.blind).toBe(false);
    expect(view.lines.find((l: { sku: string }) => l.sku === 'MUG')).toMatchObject({ counted: 0, expected: 4, recount: true });
    expect((await refused(409, () => f.post(`/api/count-sessions/${id}/post`, manager))).code).toBe('nothing-counted');
    expectCreated(await f.post(`/api/count-sessions/${id}/cancel`, manager, {}));
    expect((await refused(409, () => f.post(`/api/count-sessions/${id}/post`, manager))).code).toBe('count-session-cancelled');
  });

  it('given a post that stopped after its first step, the manager sees it in the list as not complete, and posting again finishes it once', async () => {
    const opened = await f.post('/api/count-sessions', manager, { locationId: 'store-a' });
    const id = opened.json().id as string;
    expectCreated(await f.post(`/api/count-sessions/${id}/scans`, phone1, { deviceId: 'phone-1', lines: [{ scanId: 'h1', sku: 'MUG', quantity: 6, countedAt: ago(0) }] }));
    // The post's first step (what the route appends before the counts), then the process stops.
    await decideOnStream(f.built.services.eventStore, countSessionStream(id), countSessionDecider,
      { type: 'StartPosting', sessionId: id, postedBy: 'mo', now: new Date().toISOString() }, { actor: { kind: 'user', id: 'mo' }, source: 'api', correlationId: 'crash-test' });
    const listed = async () => (await f.get(`/api/count-sessions?locationId=store-a&minPosition=${await head()}`, manager)).json()
      .items.find((s: { id: string }) => s.id === id);
    expect(await listed()).toMatchObject({ status: 'posted', postingComplete: false });
    expect((await f.get(`/api/count-sessions?locationId=store-a&status=open&minPosition=${await head()}`, manager)).json().items.map((s: { id: string }) => s.id)).not.toContain(id);

    const from = (await f.head()) + 1n;
    expectCreated(await f.post(`/api/count-sessions/${id}/post`, manager));
    expect((await f.events(from.toString())).map((e) => e.type)).toEqual(['StockCounted', 'CountSessionPosted']);
    expect(await listed()).toMatchObject({ status: 'posted', postingComplete: true });
    expect((await refused(409, () => f.post(`/api/count-sessions/${id}/post`, manager))).code).toBe('count-session-posted');
  });

  it('given a post stopped by a count the stock refuses, posting again with drop leaves only that SKU out and completes', async () => {
    const opened = await f.post('/api/count-sessions', manager, { locationId: 'store-a' });
    const id = opened.json().id as string;
    expectCreated(await f.post(`/api/count-sessions/${id}/scans`, phone1, { deviceId: 'phone-1', lines: [
      { scanId: 'd1', sku: 'MUG', quantity: 2, countedAt: ago(0) }, { scanId: 'd2', sku: 'TEE', quantity: 9, countedAt: ago(-1_000) },
    ] }));
    // The hoodies are counted again through the stock counts form, later than the session's scan.
    expectCreated(await f.post('/api/stock/counts', manager, { locationId: 'store-a', lines: [{ sku: 'TEE', countedQuantity: 10 }], countedAt: ago(-2_000) }));
    const stopped = await f.post(`/api/count-sessions/${id}/post`, manager);
    expect(isProblem(stopped, 409), stopped.body).toBe(true);
    expect((await f.get(`/api/count-sessions/${id}?minPosition=${await head()}`, manager)).json()).toMatchObject({ status: 'posted', postingComplete: false });

    const from = (await f.head()) + 1n;
    // MUG's count is in already: naming it too leaves nothing of it out.
    const resumed = await f.post(`/api/count-sessions/${id}/post`, manager, { drop: ['TEE', 'MUG'] });
    expectCreated(resumed);
    expect(resumed.json()).toMatchObject({ dropped: ['TEE'] });
    expect((await f.events(from.toString())).map((e) => e.type)).toEqual(['CountSessionPostingStarted', 'CountSessionPosted']);
    const view = (await f.get(`/api/count-sessions/${id}?minPosition=${resumed.json().position}`, manager)).json();
    expect(view).toMatchObject({ status: 'posted', postingComplete: true, dropped: ['TEE'] });
    const stock = (await f.get(`/api/stock?locationId=store-a&minPosition=${resumed.json().position}`, manager)).json();
    expect(stock.items.map((i: { sku: string; onHand: number }) => [i.sku, i.onHand])).toEqual([['MUG', 2], ['TEE', 10]]);
    expect((await refused(400, () => f.post(`/api/count-sessions/${id}/post`, manager, { drop: [] }))).status).toBe(400);
  });
});
