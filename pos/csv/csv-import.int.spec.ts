import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { principalHeader } from '../../server/testing/test-app';
import { admin, createHarness, NOW, type Harness } from '../testing/pos-harness';
import { startCsvFolderWatcher } from './csv-folder-watcher';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  await h.connect({ id: 'legacy', kind: 'generic', secret: 'legacy-secret', locationMap: { 'SHOP-1': 'store-1', 'SHOP-2': 'store-2' } });
});
afterEach(() => h.close());

const FILE = [
  'eventId,type,locationId,occurredAt,sku,quantity',
  'r-1,sale,SHOP-1,2024-06-01T09:00:00Z,SKU-1,2',
  'r-1,sale,SHOP-1,2024-06-01T09:00:00Z,SKU-2,1',
  'r-2,sale,SHOP-1,2024-06-01T09:05:00Z,SKU-1,1',
  'r-2,sale,SHOP-1,2024-06-01T09:05:00Z,SKU-2,zero',
  'r-3,return,SHOP-1,2024-06-01T10:00:00Z,SKU-1,1',
  ',sale,SHOP-1,2024-06-01T10:00:00Z,SKU-1,1',
  'r-4,sale,SHOP-2,2024-06-01T11:00:00Z,SKU-2,3',
].join('\n');

const upload = (body: string, headers = admin) =>
  h.app.inject({ method: 'POST', url: '/api/pos/legacy/import', payload: body, headers: { ...headers, 'content-type': 'text/csv' } });

describe('CSV import', () => {
  it('given good and bad tickets, then good ones are kept, a bad ticket is rejected whole by line, and a re-import changes nothing', async () => {
    const res = await upload(FILE);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      imported: 3, duplicates: 0,
      errors: [
        { line: 4, message: expect.stringContaining('rejected with ticket r-2') },
        { line: 5, message: expect.stringContaining('quantity') },
        { line: 7, message: expect.stringContaining('eventId') },
      ],
    });
    // Tickets are applied concurrently: compare in ticket order.
    const events = (await h.posEvents()).sort((a, b) => String((a.data['pos'] as { eventId: string }).eventId).localeCompare((b.data['pos'] as { eventId: string }).eventId));
    expect(events.map((e) => [e.type, e.data['locationId'], e.data['occurredAt'], e.data['lines']])).toEqual([
      ['StockSold', 'store-1', '2024-06-01T09:00:00.000Z', [{ sku: 'SKU-1', quantity: 2 }, { sku: 'SKU-2', quantity: 1 }]],
      ['StockReturned', 'store-1', '2024-06-01T10:00:00.000Z', [{ sku: 'SKU-1', quantity: 1 }]],
      ['StockSold', 'store-2', '2024-06-01T11:00:00.000Z', [{ sku: 'SKU-2', quantity: 3 }]],
    ]);
    expect(events[0]!.data['pos']).toMatchObject({ kind: 'csv', eventId: 'r-1' });

    const again = await upload(FILE);
    expect(again.json()).toMatchObject({ imported: 0, duplicates: 3 });
    expect(await h.posEvents()).toHaveLength(3);
  });

  it('given a manager scoped to one location, then tickets elsewhere are reported, not applied', async () => {
    const res = await upload(FILE, principalHeader('manager', 'manager', ['store-2']));
    expect(res.json()).toMatchObject({ imported: 1 });
    expect(res.json().errors).toContainEqual({ line: 2, message: 'ticket r-1: no access to location store-1' });
    expect((await upload(FILE, principalHeader('staff', 'staff', ['store-2']))).statusCode).toBe(403);
  });

  it('given a file without the header or not as text/csv, then 400 / 415 and nothing stored', async () => {
    expect((await upload('a,b\n1,2')).statusCode).toBe(400);
    const json = await h.app.inject({ method: 'POST', url: '/api/pos/legacy/import', payload: { a: 1 }, headers: admin });
    expect(json.statusCode).toBe(415);
    expect(await h.posEvents()).toEqual([]);
  });

  it('given the watched folder, then each settled file is imported once, reported and moved to done/', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stocktide-csv-'));
    try {
      mkdirSync(join(dir, 'legacy'));
      writeFileSync(join(dir, 'legacy', 'day1.csv'), FILE);
      const old = new Date(NOW.getTime() - 60_000);
      utimesSync(join(dir, 'legacy', 'day1.csv'), old, old);
      writeFileSync(join(dir, 'legacy', 'writing.csv'), FILE); // changed just now: not settled
      utimesSync(join(dir, 'legacy', 'writing.csv'), NOW, NOW);
      const watcher = startCsvFolderWatcher({ dir, commands: h.commands, connections: h.store, clock: () => NOW, intervalMs: 3_600_000, settleMs: 5_000 });
      try {
        const [report, ...rest] = await watcher.scanOnce();
        expect(rest).toEqual([]);
        expect(report).toMatchObject({ connectionId: 'legacy', file: 'day1.csv', result: { imported: 3 } });
        expect(readdirSync(join(dir, 'legacy', 'done')).sort()).toEqual(['day1.csv', 'day1.csv.result.json']);
        expect(JSON.parse(readFileSync(join(dir, 'legacy', 'done', 'day1.csv.result.json'), 'utf8'))).toMatchObject({ result: { imported: 3, duplicates: 0 } });
        expect(await watcher.scanOnce()).toEqual([]);
      } finally {
        watcher.stop();
      }
      expect(await h.posEvents()).toHaveLength(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
