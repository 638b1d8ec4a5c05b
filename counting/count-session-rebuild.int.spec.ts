/** `npm run rebuild` holds for count sessions: live (in whatever batches) = rebuilt from the log, scans of two phones, a recount and a post included. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuiltBesideLive, startFullApp, type FullApp } from '../server/testing/full-app';
import { COUNTING, type CountSessionDoc } from './count-session-projection';

let f: FullApp;
beforeAll(async () => {
  f = await startFullApp();
});
afterAll(async () => {
  await f?.close();
});

describe('count sessions rebuild', () => {
  it('given sessions scanned by two phones, recounted, posted and cancelled, when rebuilt, then the model is identical', async () => {
    expect((await f.post('/api/locations', f.admin, { id: 'store-a', name: 'A', type: 'store' })).statusCode).toBe(201);
    for (const sku of ['A1', 'B2']) expect((await f.post('/api/products', f.admin, { sku, name: sku })).statusCode).toBe(201);
    // Scans resolve SKUs through the catalog read model: wait until it has the products.
    expect(await f.built.services.runner.waitForPosition(await f.built.services.eventStore.headPosition(), 10_000)).toBe(true);
    const manager = await f.tokenFor('manager', ['store-a']);
    const phones = await Promise.all([0, 1].map((i) => f.tokenFor('staff', ['store-a'], `p${i}`)));
    const ids: string[] = [];
    for (let s = 0; s < 2; s++) {
      const { id } = (await f.post('/api/count-sessions', manager, { locationId: 'store-a', blind: s === 0 })).json();
      ids.push(id);
      // Each phone scans after its session opened (a scan dated before the opening is refused).
      const now = new Date().toISOString();
      for (const [i, h] of phones.entries()) {
        const lines = [{ scanId: `${s}-${i}-1`, sku: 'A1', quantity: 1 + i, countedAt: now }, { scanId: `${s}-${i}-2`, sku: 'B2', quantity: 2, countedAt: now }];
        expect((await f.post(`/api/count-sessions/${id}/scans`, h, { deviceId: `d${i}`, lines })).statusCode).toBe(201);
      }
      expect((await f.post(`/api/count-sessions/${id}/recount`, manager, { skus: ['B2'] })).statusCode).toBe(201);
    }
    expect((await f.post(`/api/count-sessions/${ids[0]}/post`, manager)).statusCode).toBe(201);
    expect((await f.post(`/api/count-sessions/${ids[1]}/cancel`, manager, {})).statusCode).toBe(201);

    await rebuiltBesideLive(f, async (fresh, report) => {
      expect(report.differences).toEqual([]);
      const docs = await fresh.find<CountSessionDoc>(COUNTING.sessions);
      expect(docs.map((d) => [d.status, d.lines.map((l) => [l.sku, l.counted]), d.recount])).toEqual(expect.arrayContaining([
        ['posted', [['A1', 3]], ['B2']], ['cancelled', [['A1', 3]], ['B2']],
      ]));
    });
  });
});
