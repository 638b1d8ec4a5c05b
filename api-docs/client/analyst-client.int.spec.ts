/**
 * The example analyst client (typed by openapi-typescript, calling with openapi-fetch) against
 * a real server on 127.0.0.1: log in, find low stock, page movements, export them. Its types are
 * checked by `npm run openapi:check`; this test checks that its calls work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL_APP_ADMIN_PASSWORD, startFullApp, type FullApp } from '../../server/testing/full-app';
import { allMovements, connect, exportMovements, lowStock, type StocktideClient } from './analyst-client';

let f: FullApp;
let client: StocktideClient;

beforeAll(async () => {
  f = await startFullApp({ listen: true });
  expect((await f.post('/api/locations', f.admin, { id: 'store-1', name: 'Main St', type: 'store' })).statusCode).toBe(201);
  expect((await f.post('/api/products', f.admin, { sku: 'SKU-1', name: 'Soap', reorderPoint: 5 })).statusCode).toBe(201);
  for (let i = 0; i < 3; i++) expect((await f.post('/api/stock/receipts', f.admin, { locationId: 'store-1', lines: [{ sku: 'SKU-1', quantity: 1 }] })).statusCode).toBe(201);
  const last = await f.post('/api/stock/sales', f.admin, { locationId: 'store-1', lines: [{ sku: 'SKU-1', quantity: 1 }] });
  await f.get(`/api/stock?minPosition=${String(last.json().position)}`, f.admin);
  client = await connect(f.built.url, 'admin', FULL_APP_ADMIN_PASSWORD);
});
afterAll(async () => f?.close());

describe('the example analyst client', () => {
  it('finds low stock, pages every movement with the cursor, and exports them', async () => {
    expect(await lowStock(client, 'store-1')).toEqual([{ sku: 'SKU-1', onHand: 2 }]);
    expect(await allMovements(client, 'SKU-1', 2)).toBe(4);
    const lines = (await exportMovements(client, '2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(['receipt', 'receipt', 'receipt', 'sale']);
  });
});
