/**
 * Staff do not see unit costs, values or turnover unless an admin grants `view_costs`
 * (issue 16, Roles), through the composed app: the answers themselves carry no cost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFullApp, type FullApp, type Headers } from '../server/testing/full-app';

let f: FullApp;
let staff: Headers;
let manager: Headers;
let position: string;

const COST_KEYS = /"(value|unitCost|lineCost|totalCost|stockValue|cogs|averageInventoryValue|turnover|daysOfInventory)"/;
let orderId: string;

beforeAll(async () => {
  f = await startFullApp();
  for (const body of [{ id: 'wh-1', name: 'Warehouse', type: 'warehouse' }, { id: 'store-a', name: 'Store A', type: 'store' }]) {
    expect((await f.post('/api/locations', f.admin, body)).statusCode).toBe(201);
  }
  expect((await f.post('/api/products', f.admin, { sku: 'MUG', name: 'Mug', unitCost: 250, reorderPoint: 2 })).statusCode).toBe(201);
  const receipt = await f.post('/api/stock/receipts', f.admin, { locationId: 'store-a', lines: [{ sku: 'MUG', quantity: 10, unitCost: 250 }] });
  position = (receipt.json() as { position: string }).position;
  // Purchasing and the overview, merged beside this rule, follow it too.
  expect((await f.post('/api/suppliers', f.admin, { id: 'acme', name: 'Acme', leadTimeDays: 3 })).statusCode).toBe(201);
  expect((await f.post('/api/suppliers/acme/prices', f.admin, { sku: 'MUG', unitCost: 240, minOrderQuantity: 1 })).statusCode).toBe(201);
  const order = await f.post('/api/purchase-orders', f.admin, { supplierId: 'acme', locationId: 'store-a', lines: [{ sku: 'MUG', quantity: 6, unitCost: 240 }] });
  expect(order.statusCode, order.body).toBe(201);
  ({ id: orderId, position } = order.json() as { id: string; position: string });
  staff = await f.createUser('sam', 'staff', ['store-a']);
  manager = await f.tokenFor('manager', ['store-a']);
});
afterAll(async () => {
  await f?.close();
});

const reads = () => [
  `/api/stock?minPosition=${position}`,
  `/api/stock?format=csv&minPosition=${position}`,
  `/api/stock/totals?minPosition=${position}`,
  `/api/stock/totals?by=sku&format=csv&minPosition=${position}`,
  `/api/products?minPosition=${position}`,
  `/api/products?format=csv&minPosition=${position}`,
  `/api/analytics/aging?minPosition=${position}`,
  `/api/analytics/aging?format=csv&minPosition=${position}`,
  `/api/movements?minPosition=${position}`,
  `/api/purchase-orders?minPosition=${position}`,
  `/api/purchase-orders?format=csv&minPosition=${position}`,
  `/api/purchase-orders/${orderId}?minPosition=${position}`,
  `/api/suppliers?minPosition=${position}`,
  `/api/suppliers?format=csv&minPosition=${position}`,
  `/api/reorder-suggestions?minPosition=${position}`,
  `/api/reorder-suggestions?format=csv&minPosition=${position}`,
  `/api/overview?minPosition=${position}`,
  `/api/overview?format=csv&minPosition=${position}`,
];

describe('cost visibility', () => {
  it('a staff member\'s answers carry no unit cost, value or turnover; turnover itself is 403', async () => {
    for (const url of reads()) {
      const res = await f.get(url, staff);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
      expect(res.body, url).not.toMatch(COST_KEYS);
      if (url.includes('format=csv')) expect(res.body.split('\r\n')[0], url).not.toMatch(/value|Value|unitCost|lineCost|totalCost/);
    }
    const stock = (await f.get(`/api/stock?minPosition=${position}`, staff)).json() as { items: Array<Record<string, unknown>> };
    expect(stock.items).toEqual([{
      locationId: 'store-a', locationName: 'Store A', sku: 'MUG', productName: 'Mug', onHand: 10, inTransitIn: 0, inTransitOut: 0, reorderPoint: 2, status: 'ok',
    }]);
    const aging = (await f.get(`/api/analytics/aging?minPosition=${position}`, staff)).json() as { buckets: unknown[] };
    expect(aging.buckets).toContainEqual({ bucket: '0-30', quantity: 10 });
    const turnover = await f.get('/api/analytics/turnover', staff);
    expect(turnover.statusCode).toBe(403);
    expect(turnover.headers['content-type']).toContain('application/problem+json');
  });

  it('a manager sees values; the login answer tells the dashboard who sees costs', async () => {
    const stock = (await f.get(`/api/stock?minPosition=${position}`, manager)).json() as { items: Array<Record<string, unknown>> };
    expect(stock.items[0]).toMatchObject({ value: 2500 });
    expect((await f.get('/api/products', manager)).json()).toMatchObject({ items: [{ sku: 'MUG', unitCost: 250 }] });
    expect((await f.get('/api/analytics/turnover', manager)).statusCode).toBe(200);
    expect((await f.get(`/api/purchase-orders/${orderId}`, manager)).json()).toMatchObject({ totalCost: 1440, lines: [{ sku: 'MUG', unitCost: 240, lineCost: 1440 }] });
    expect((await f.get('/api/overview', manager)).json()).toMatchObject({ totals: { stockValue: 2500 } });
    const me = (await f.get('/api/auth/me', staff)).json() as { user: Record<string, unknown> };
    expect(me.user).toMatchObject({ username: 'sam', role: 'staff', permissions: [], seesCosts: false });
  });

  it('an admin grants view_costs to the staff member, and from then on the answers carry costs', async () => {
    const granted = await f.call('PATCH', '/api/users/sam', f.admin, { permissions: ['view_costs'] });
    expect(granted.statusCode, granted.body).toBe(200);
    expect(granted.json()).toMatchObject({ user: { username: 'sam', permissions: ['view_costs'], seesCosts: true } });
    // A changed user's sessions are revoked: the grant applies from the next login.
    const login = await f.post('/api/auth/login', {}, { username: 'sam', password: 'sam-password-123' });
    expect(login.json()).toMatchObject({ user: { permissions: ['view_costs'], seesCosts: true } });
    const again = { authorization: `Bearer ${(login.json() as { token: string }).token}` };
    expect((await f.get(`/api/stock?minPosition=${position}`, again)).json()).toMatchObject({ items: [{ value: 2500 }] });
    expect((await f.get('/api/analytics/turnover', again)).statusCode).toBe(200);
    const refused = await f.call('PATCH', '/api/users/sam', f.admin, { permissions: ['see_everything'] });
    expect(refused.statusCode).toBe(400);
  });
});
