import { afterEach, describe, expect, it } from 'vitest';
import type { PosConnection } from '../../pos/connections/connection-store';
import { SqliteConnectionStore } from '../../pos/connections/sqlite-connection-store';
import { SQUARE_VERSION } from '../../pos/square/square-api';
import { ev, recorded, type EventSpec } from '../../projections/models/testing/project';
import { createOutboundSender } from '../sender';
import { SqliteOutboundStore } from '../store/sqlite-outbound-store';
import { pushJobId, type PushJob } from '../store/outbound-store';
import { manualClock, outbox, startReceiver, type Answer, type ReceivedRequest, type Receiver } from '../testing/harness';
import { SET_QUANTITIES_MUTATION, SHOPIFY_API_VERSION } from './shopify-push';
import { applyBatch } from '../../projections/runner/apply-batch';
import { posCatalogProjection } from '../../catalog/catalog-projection';
import { derivedPushMap } from '../../catalog/derived-map';

const T = (m: number) => `2026-03-01T10:${String(m).padStart(2, '0')}:00.000Z`;
const receipt = (id: string, quantity: number, m: number, sku = 'A'): EventSpec =>
  ev('StockReceived', { locationId: 'S1', receiptId: id, lines: [{ sku, quantity, unitCost: 100 }] }, T(m));
const sale = (id: string, quantity: number, m: number): EventSpec => ev('StockSold', { locationId: 'S1', saleId: id, lines: [{ sku: 'A', quantity }] }, T(m));

const receivers: Receiver[] = [];
afterEach(async () => { await Promise.all(receivers.splice(0).map((r) => r.close())); });

const shopifyOk: Answer = { status: 200, body: { data: { inventorySetQuantities: { inventoryAdjustmentGroup: { id: 'gid://shopify/InventoryAdjustmentGroup/1' }, userErrors: [] } } } };

async function setup(kind: 'shopify' | 'square', answer: (request: ReceivedRequest, index: number) => Answer, options: { skuMap?: Record<string, string>; derived?: boolean } = {}) {
  const api = await startReceiver(answer);
  receivers.push(api);
  const connections = new SqliteConnectionStore(':memory:');
  const connection: PosConnection = {
    id: `${kind}-1`, kind, secret: 'webhook-secret-1', locationMap: { '655441491': 'S1', '999': 'W9' },
    skuMap: options.skuMap ?? (kind === 'shopify' ? { '40000000000000001': 'A' } : { 'SQ-VAR-A': 'A' }),
    apiBaseUrl: api.url, accessToken: 'pos-access-token', disabled: false, createdAt: T(0), updatedAt: T(0),
    ...(kind === 'square' ? { notificationUrl: 'https://example.com/pos/square-1/webhook' } : {}),
  };
  await connections.createConnection(connection);
  const store = new SqliteOutboundStore(':memory:');
  await store.setPushEnabled(connection.id, true);
  const box = outbox();
  const clock = manualClock();
  const sender = createOutboundSender({
    store, readStore: box.readStore, connections, clock: clock.now, random: () => 0, log: () => {},
    ...(options.derived && { pushMap: derivedPushMap(box.readStore) }),
  });
  return { api, box, store, clock, sender, connection };
}

describe('balance push to Shopify', () => {
  it('given several changes before a run, then one coalesced inventorySetQuantities carries the latest balance', async () => {
    const { api, box, store, sender } = await setup('shopify', () => shopifyOk);
    await box.add(recorded(receipt('r1', 10, 1), sale('s1', 3, 2), sale('s2', 2, 3), receipt('r2', 4, 4, 'UNMAPPED')));
    await sender.runOnce();
    expect(api.requests).toHaveLength(1);
    const [request] = api.requests;
    expect(request!.path).toBe(`/admin/api/${SHOPIFY_API_VERSION}/graphql.json`);
    expect(request!.headers['x-shopify-access-token']).toBe('pos-access-token');
    expect(request!.headers['content-type']).toBe('application/json');
    const body = request!.json as { query: string; variables: { key: string; input: Record<string, unknown> } };
    expect(body.query).toBe(SET_QUANTITIES_MUTATION);
    expect(body.query).toContain('@idempotent(key: $key)');
    expect(body.variables.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(body.variables.input).toEqual({
      name: 'available', reason: 'correction', referenceDocumentUri: 'stocktide://balances/S1/A?position=3',
      quantities: [{
        inventoryItemId: 'gid://shopify/InventoryItem/40000000000000001', locationId: 'gid://shopify/Location/655441491',
        quantity: 5, changeFromQuantity: null,
      }],
    });
    const job = (await store.getDelivery(pushJobId('shopify-1', '655441491', '40000000000000001'))) as PushJob;
    expect(job).toMatchObject({ status: 'delivered', quantity: 5, lastPushedQuantity: 5, position: '3', attempts: 1 });
  });

  it('given a later change, then it compares with the value we pushed; a retried request keeps its idempotency key', async () => {
    const { api, box, clock, sender } = await setup('shopify', (_, i) => (i === 1 ? { status: 502 } : shopifyOk));
    const events = recorded(receipt('r1', 10, 1), sale('s1', 1, 2));
    await box.add(events.slice(0, 1));
    await sender.runOnce();
    await box.add(events.slice(1));
    await sender.runOnce(); // 502
    clock.advance(60_000);
    await sender.runOnce();
    expect(api.requests).toHaveLength(3);
    const vars = api.requests.map((r) => (r.json as { variables: { key: string; input: { quantities: { quantity: number; changeFromQuantity: number | null }[] } } }).variables);
    expect(vars.map((v) => v.input.quantities[0])).toMatchObject([
      { quantity: 10, changeFromQuantity: null }, { quantity: 9, changeFromQuantity: 10 }, { quantity: 9, changeFromQuantity: 10 },
    ]);
    expect(vars[2]!.key).toBe(vars[1]!.key);
    expect(vars[1]!.key).not.toBe(vars[0]!.key);
  });

  it('given Shopify changed the quantity outside Stocktide, then the conflict is read and recorded, not overwritten', async () => {
    let phase: 'conflict' | 'agree' = 'conflict';
    const { api, box, store, clock, sender } = await setup('shopify', (request) => {
      const body = request.json as { query: string };
      if (body.query.startsWith('query')) {
        return { status: 200, body: { data: { inventoryItem: { inventoryLevel: { quantities: [{ name: 'available', quantity: phase === 'conflict' ? 6 : 7 }] } } } } };
      }
      if (api.requests.length === 1) return shopifyOk;
      return { status: 200, body: { data: { inventorySetQuantities: { inventoryAdjustmentGroup: null, userErrors: [{ code: 'CHANGE_FROM_QUANTITY_STALE', field: ['input'], message: 'stale' }] } } } };
    });
    const events = recorded(receipt('r1', 10, 1), sale('s1', 2, 2), sale('s2', 1, 3));
    await box.add(events.slice(0, 1));
    await sender.runOnce();
    await box.add(events.slice(1, 2));
    await sender.runOnce();
    const id = pushJobId('shopify-1', '655441491', '40000000000000001');
    expect(await store.getDelivery(id)).toMatchObject({ status: 'failed', quantity: 8, lastPushedQuantity: 10, observedQuantity: 6 });
    expect((await store.getDelivery(id))!.lastError).toContain('Shopify has 6');
    clock.advance(3_600_000);
    await sender.runOnce();
    expect(api.requests).toHaveLength(3); // set, set (stale), read: nothing more on its own
    // Shopify's own sale brings it to our balance: the next push finds agreement.
    phase = 'agree';
    await box.add(events.slice(2)); // balance 7
    await sender.runOnce();
    const agreed = await store.getDelivery(id);
    expect(agreed).toMatchObject({ status: 'delivered', quantity: 7, lastPushedQuantity: 7 });
    expect(agreed).not.toHaveProperty('observedQuantity');
  });
});

describe('balance push with the map derived from the catalog', () => {
  /** The imported catalog: variant V-A (inventory item INV-A) is SKU A, V-B (INV-B) is B. */
  const link = (posItemId: string, sku: string, inventoryItemId: string, m: number): EventSpec =>
    ev('PosItemLinked', { connectionId: 'shopify-1', posItemId, sku, aliases: [inventoryItemId], posProductId: '1' }, T(m), { streamId: 'pos-catalog-shopify-1' });
  const linkCatalog = async (readStore: Parameters<typeof applyBatch>[1]) => {
    await applyBatch(posCatalogProjection, readStore, 0n, recorded(link('8100000000000000001', 'A', '8100000000000500001', 0), link('8100000000000000002', 'B', '8100000000000500002', 0)));
  };
  const pushedItems = (api: Receiver) => api.requests.map((r) =>
    (r.json as { variables: { input: { quantities: { inventoryItemId: string; quantity: number }[] } } }).variables.input.quantities[0]);

  it('given no hand-made map, then a balance is pushed to the inventory item of the linked variant, never to the variant id', async () => {
    const { api, box, sender } = await setup('shopify', () => shopifyOk, { skuMap: {}, derived: true });
    await linkCatalog(box.readStore);
    await box.add(recorded(receipt('r1', 10, 1), receipt('r2', 4, 2, 'B'), receipt('r3', 1, 3, 'NOT-LINKED')));
    await sender.runOnce();
    expect(pushedItems(api).sort((a, b) => a!.inventoryItemId.localeCompare(b!.inventoryItemId))).toEqual([
      { inventoryItemId: 'gid://shopify/InventoryItem/8100000000000500001', locationId: 'gid://shopify/Location/655441491', quantity: 10, changeFromQuantity: null },
      { inventoryItemId: 'gid://shopify/InventoryItem/8100000000000500002', locationId: 'gid://shopify/Location/655441491', quantity: 4, changeFromQuantity: null },
    ]);
  });

  it('given a hand-made entry for a linked variant, then it overrides: that inventory item gets the hand-mapped SKU\'s balance', async () => {
    const { api, box, sender } = await setup('shopify', () => shopifyOk, { skuMap: { '8100000000000000002': 'A' }, derived: true });
    await linkCatalog(box.readStore);
    await box.add(recorded(receipt('r1', 10, 1), receipt('r2', 4, 2, 'B')));
    await sender.runOnce();
    expect(pushedItems(api).map((q) => [q!.inventoryItemId.split('/').at(-1), q!.quantity]).sort()).toEqual([
      ['8100000000000500001', 10], ['8100000000000500002', 10],
    ]);
  });
});

describe('balance push to Square', () => {
  it('given a change, then batch-create receives a PHYSICAL_COUNT with a deterministic idempotency key, kept on retry', async () => {
    const { api, box, store, clock, sender } = await setup('square', (_, i) => ({ status: i === 0 ? 500 : 200, body: { counts: [] } }));
    await box.add(recorded(receipt('r1', 10, 1), sale('s1', 12, 2)));
    await sender.runOnce();
    clock.advance(60_000);
    await sender.runOnce();
    expect(api.requests).toHaveLength(2);
    const [first, second] = api.requests;
    expect(first!.path).toBe('/v2/inventory/changes/batch-create');
    expect(first!.headers.authorization).toBe('Bearer pos-access-token');
    expect(first!.headers['square-version']).toBe(SQUARE_VERSION);
    expect(first!.json).toEqual({
      idempotency_key: expect.stringMatching(/^[0-9a-f]{64}$/),
      changes: [{
        type: 'PHYSICAL_COUNT',
        physical_count: {
          reference_id: '00000000000000000002:00000', catalog_object_id: 'SQ-VAR-A', location_id: '655441491',
          quantity: '0', state: 'IN_STOCK', occurred_at: T(2),
        },
      }],
      ignore_unchanged_counts: true,
    });
    expect(second!.raw).toBe(first!.raw);
    expect(await store.getDelivery(pushJobId('square-1', '655441491', 'SQ-VAR-A'))).toMatchObject({ status: 'delivered', quantity: -2, attempts: 2 });
  });

  it('given sales while the store was in shadow, then none is pushed even when the sender reads them before the mode read model knows; once live the next change is', async () => {
    // The sender here has no current-mode check at all: only the outbox's own stamp keeps shadow.
    const { api, box, sender } = await setup('square', () => ({ status: 200, body: { counts: [] } }));
    const mode = (m: 'shadow' | 'live', previous: 'shadow' | 'live', minute: number): EventSpec =>
      ev('LocationModeChanged', { locationId: 'S1', mode: m, previousMode: previous }, T(minute));
    const events = recorded(receipt('r1', 10, 1), mode('shadow', 'live', 2), sale('s1', 3, 3), sale('s2', 2, 4), mode('live', 'shadow', 5), sale('s3', 1, 6));
    await box.add(events.slice(0, 1));
    await sender.runOnce();
    expect(api.requests).toHaveLength(1);
    await box.add(events.slice(1, 4));
    await sender.runOnce();
    expect(api.requests).toHaveLength(1);
    await box.add(events.slice(4));
    await sender.runOnce();
    expect(api.requests).toHaveLength(2);
    expect((api.requests[1]!.json as { changes: Array<{ physical_count: { quantity: string } }> }).changes[0]!.physical_count.quantity).toBe('4');
  });

  it('given push disabled, then no job is queued', async () => {
    const { api, box, store, sender, connection } = await setup('square', () => ({ status: 200 }));
    await store.setPushEnabled(connection.id, false);
    await box.add(recorded(receipt('r1', 10, 1)));
    await sender.runOnce();
    expect(api.requests).toHaveLength(0);
    expect(await store.listDeliveries({ target: 'pos-push' })).toEqual([]);
  });
});
