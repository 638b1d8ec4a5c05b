import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../eventstore/sqlite-event-store';
import { BusinessRuleViolation, InvalidCommand, NotFound } from '../domain/errors';
import { SchemaViolation } from '../../schemas/validation';
import { createStockCommands } from './service';
import type { CommandContext, StockCommands } from './types';

let store: SqliteEventStore;
let commands: StockCommands;
let clock: number;

/** Each command is handled one second after the previous one. */
const ctx = (over: Partial<CommandContext> = {}): CommandContext => ({
  actor: { kind: 'user', id: 'tess' }, source: 'api', correlationId: 'corr-1', now: new Date((clock += 1000)), ...over,
});

async function seedChain(c: StockCommands = commands) {
  await c.registerLocation({ id: 'A', name: 'Shop A', type: 'store' }, ctx());
  await c.registerLocation({ id: 'B', name: 'Warehouse B', type: 'warehouse' }, ctx());
  await c.registerProduct({ sku: 'X', name: 'Product X', unitCost: 250 }, ctx());
  await c.registerProduct({ sku: 'Y', name: 'Product Y' }, ctx());
}

const allEvents = () => store.readAll({ maxCount: 10_000 });
const typesOf = async () => (await allEvents()).map((e) => e.type);

beforeEach(() => {
  store = new SqliteEventStore({ path: ':memory:' });
  commands = createStockCommands(store);
  clock = Date.parse('2025-03-01T09:00:00.000Z');
});
afterEach(async () => {
  await store.close();
});

describe('the command service on the embedded store', () => {
  it('walks a day at a shop: receipt, sale, adjustment, count, transfer out and partial receipt', async () => {
    await seedChain();
    const receipt = await commands.receiveStock({ locationId: 'A', lines: [{ sku: 'X', quantity: 10 }], reference: 'PO-1' }, ctx());
    await commands.recordSale({ locationId: 'A', lines: [{ sku: 'X', quantity: 3 }] }, ctx());
    await commands.adjustStock({ locationId: 'A', sku: 'X', quantity: -1, reason: 'damaged' }, ctx());
    const count = await commands.countStock({ locationId: 'A', lines: [{ sku: 'X', countedQuantity: 5 }] }, ctx());
    const transfer = await commands.createTransfer({ fromLocationId: 'A', toLocationId: 'B', lines: [{ sku: 'X', quantity: 4 }] }, ctx());
    await commands.dispatchTransfer(transfer.id, ctx());
    const received = await commands.receiveTransfer(transfer.id, { lines: [{ sku: 'X', quantity: 3 }] }, ctx());

    expect(await commands.onHand('A', 'X')).toBe(1);
    expect(await commands.onHand('B', 'X')).toBe(3);
    expect(await typesOf()).toEqual([
      'LocationRegistered', 'LocationRegistered', 'ProductRegistered', 'ProductRegistered',
      'StockReceived', 'StockSold', 'StockAdjusted', 'StockCounted', 'TransferCreated', 'TransferDispatched', 'TransferReceived',
    ]);
    const events = await allEvents();
    expect(events.at(-1)?.position).toBe(received.position);
    expect(received.duplicate).toBe(false);
    expect(events.find((e) => e.type === 'StockReceived')).toMatchObject({
      streamId: 'location-A',
      data: { receiptId: receipt.receiptId, lines: [{ sku: 'X', quantity: 10, unitCost: 250 }] },
      metadata: { actor: { kind: 'user', id: 'tess' }, source: 'api', correlationId: 'corr-1' },
    });
    expect(events.find((e) => e.type === 'StockCounted')?.data).toMatchObject({
      countId: count.countId, lines: [{ sku: 'X', countedQuantity: 5, bookQuantity: 6, adjustment: -1 }],
    });
    expect(events.at(-1)).toMatchObject({
      streamId: 'location-B', data: { lines: [{ sku: 'X', quantity: 3 }], shortfall: [{ sku: 'X', quantity: 1 }], completed: true },
    });
  });

  it('appends nothing for a rejected command', async () => {
    await seedChain();
    await commands.receiveStock({ locationId: 'A', lines: [{ sku: 'X', quantity: 2 }] }, ctx());
    const head = await store.headPosition();
    await expect(commands.receiveStock({ locationId: 'Z', lines: [{ sku: 'X', quantity: 1 }] }, ctx())).rejects.toBeInstanceOf(NotFound);
    await expect(commands.receiveStock({ locationId: 'A', lines: [{ sku: 'Q', quantity: 1 }] }, ctx())).rejects.toBeInstanceOf(NotFound);
    await expect(commands.adjustStock({ locationId: 'A', sku: 'X', quantity: -3, reason: 'theft' }, ctx()))
      .rejects.toBeInstanceOf(BusinessRuleViolation);
    await expect(commands.createTransfer({ fromLocationId: 'A', toLocationId: 'A', lines: [{ sku: 'X', quantity: 1 }] }, ctx()))
      .rejects.toBeInstanceOf(InvalidCommand);
    await expect(commands.dispatchTransfer('nope', ctx())).rejects.toBeInstanceOf(NotFound);
    await expect(commands.registerLocation({ id: 'A', name: 'again', type: 'store' }, ctx())).rejects.toBeInstanceOf(BusinessRuleViolation);
    // a command that would produce an event outside its schema is refused before the append
    await expect(commands.receiveStock({ locationId: 'A', lines: [{ sku: 'X', quantity: 0 }] }, ctx())).rejects.toBeInstanceOf(SchemaViolation);
    expect(await store.headPosition()).toBe(head);
    expect(await commands.onHand('A', 'X')).toBe(2);
  });

  it('lets exactly 10 of 50 concurrent one-unit dispatches through from a location holding 10', async () => {
    await seedChain();
    await commands.receiveStock({ locationId: 'A', lines: [{ sku: 'X', quantity: 10 }] }, ctx());
    const ids = Array.from({ length: 50 }, (_, i) => `t${i}`);
    for (const id of ids) await commands.createTransfer({ id, fromLocationId: 'A', toLocationId: 'B', lines: [{ sku: 'X', quantity: 1 }] }, ctx());

    const outcomes = await Promise.allSettled(ids.map((id) => commands.dispatchTransfer(id, ctx())));
    const accepted = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(accepted).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const error of refused) expect(error).toMatchObject({ code: 'insufficient-stock' });
    expect((await typesOf()).filter((t) => t === 'TransferDispatched')).toHaveLength(10);
    expect(await commands.onHand('A', 'X')).toBe(0);
  });

  it('never oversells the last units when two service instances compete (optimistic concurrency + retry)', async () => {
    await seedChain();
    const other = createStockCommands(store);
    await commands.receiveStock({ locationId: 'A', lines: [{ sku: 'X', quantity: 5 }] }, ctx());
    const ids = Array.from({ length: 20 }, (_, i) => `u${i}`);
    for (const id of ids) await commands.createTransfer({ id, fromLocationId: 'A', toLocationId: 'B', lines: [{ sku: 'X', quantity: 1 }] }, ctx());

    const outcomes = await Promise.allSettled(ids.map((id, i) => (i % 2 ? other : commands).dispatchTransfer(id, ctx())));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    expect(await commands.onHand('A', 'X')).toBe(0);
    expect(await other.onHand('A', 'X')).toBe(0);
  });

  it('stores a repeated POS sale once and answers the repeat as a duplicate with the original position', async () => {
    await seedChain();
    const sale = { locationId: 'A', occurredAt: '2025-03-01T08:30:00.000Z', lines: [{ sku: 'X', quantity: 2 }],
      pos: { connectionId: 'shop1', kind: 'shopify' as const, eventId: '9007199254740993' } };
    const first = await commands.recordSale(sale, ctx());
    const again = await commands.recordSale(sale, ctx());
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ position: first.position, duplicate: true });
    const sold = (await allEvents()).filter((e) => e.type === 'StockSold');
    expect(sold).toHaveLength(1);
    expect(sold[0]?.data).toMatchObject({ saleId: 'shop1:9007199254740993', occurredAt: '2025-03-01T08:30:00.000Z' });
    expect(await commands.onHand('A', 'X')).toBe(-2);
  });

  it('stores concurrent deliveries of one POS sale once, through two instances too', async () => {
    await seedChain();
    const other = createStockCommands(store);
    const sale = { locationId: 'A', lines: [{ sku: 'X', quantity: 1 }], pos: { connectionId: 'sq', kind: 'square' as const, eventId: 'e-1' } };
    const results = await Promise.all([commands.recordSale(sale, ctx()), commands.recordSale(sale, ctx()), other.recordSale(sale, ctx())]);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.position)).size).toBe(1);
    expect((await typesOf()).filter((t) => t === 'StockSold')).toHaveLength(1);
    expect(await other.onHand('A', 'X')).toBe(-1);
  });

  it('given a sale stored by another instance after this one last read the location, when it is delivered here again, then it is a duplicate with the original position', async () => {
    await seedChain();
    const other = createStockCommands(store);
    const pos = (eventId: string) => ({ connectionId: 'till', kind: 'generic' as const, eventId });
    await commands.recordSale({ locationId: 'A', lines: [{ sku: 'X', quantity: 1 }], pos: pos('warm') }, ctx()); // this cache knows A now
    const original = await other.recordSale({ locationId: 'A', lines: [{ sku: 'X', quantity: 2 }], pos: pos('s-1') }, ctx());
    await store.append('location-A', [{ id: '00000000-0000-4000-8000-00000000000a', type: 'StockSold', metadata: { actor: { kind: 'pos', id: 'till' }, source: 'pos:generic', correlationId: 'x' },
      data: { locationId: 'A', saleId: 'elsewhere', lines: [{ sku: 'X', quantity: 1 }], occurredAt: '2025-03-01T09:00:00.000Z', recordedAt: '2025-03-01T09:00:00.000Z' } }], 'any');
    const again = await commands.recordSale({ locationId: 'A', lines: [{ sku: 'X', quantity: 2 }], pos: pos('s-1') }, ctx());
    expect(again).toEqual({ position: original.position, duplicate: true });
    expect((await allEvents()).filter((e) => e.type === 'StockSold')).toHaveLength(3);
    expect(await commands.onHand('A', 'X')).toBe(-4);
  });

  it('counts a sale that slipped past the id dedupe (stored twice) only once', async () => {
    await seedChain();
    const data = { locationId: 'A', saleId: 'till:7', lines: [{ sku: 'X', quantity: 1 }], occurredAt: '2025-03-01T09:00:00.000Z', recordedAt: '2025-03-01T09:00:00.000Z' };
    const metadata = { actor: { kind: 'pos' as const, id: 'till' }, source: 'pos:generic', correlationId: 'x' };
    const first = await store.append('location-A', [{ id: '00000000-0000-4000-8000-000000000001', type: 'StockSold', data, metadata }], 'any');
    await store.append('location-A', [{ id: '00000000-0000-4000-8000-000000000002', type: 'StockSold', data, metadata }], 'any');
    expect(await commands.onHand('A', 'X')).toBe(-1);
    const repeat = await commands.recordSale({ locationId: 'A', saleId: 'till:7', lines: [{ sku: 'X', quantity: 1 }] }, ctx());
    expect(repeat).toEqual({ position: first.position, duplicate: true });
  });

  it('never loses one of two concurrent adjustments, within one instance or across two', async () => {
    await seedChain();
    const other = createStockCommands(store);
    await Promise.all([
      commands.adjustStock({ locationId: 'A', sku: 'X', quantity: 3, reason: 'found' }, ctx()),
      other.adjustStock({ locationId: 'A', sku: 'X', quantity: 4, reason: 'found' }, ctx()),
      commands.adjustStock({ locationId: 'A', sku: 'X', quantity: 5, reason: 'found' }, ctx()),
    ]);
    expect(await commands.onHand('A', 'X')).toBe(12);
    const outcomes = await Promise.allSettled([
      commands.adjustStock({ locationId: 'A', sku: 'X', quantity: -7, reason: 'theft' }, ctx()),
      other.adjustStock({ locationId: 'A', sku: 'X', quantity: -7, reason: 'theft' }, ctx()),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(await other.onHand('A', 'X')).toBe(5);
  });

  it('treats a re-sent receipt id as the same receipt', async () => {
    await seedChain();
    const first = await commands.receiveStock({ locationId: 'A', receiptId: 'GRN-1', lines: [{ sku: 'X', quantity: 4 }] }, ctx());
    const again = await createStockCommands(store).receiveStock({ locationId: 'A', receiptId: 'GRN-1', lines: [{ sku: 'X', quantity: 4 }] }, ctx());
    expect(again).toEqual({ position: first.position, duplicate: true, receiptId: 'GRN-1' });
    expect(await commands.onHand('A', 'X')).toBe(4);
  });

  it('reads only what other writers appended since its cached revision', async () => {
    await seedChain();
    expect(await commands.onHand('A', 'X')).toBe(0);
    await createStockCommands(store).receiveStock({ locationId: 'A', lines: [{ sku: 'X', quantity: 6 }] }, ctx());
    expect(await commands.onHand('A', 'X')).toBe(6);
  });

  it('works with a cache of one stream (evictions reload from the store)', async () => {
    const tiny = createStockCommands(store, { maxCachedStreams: 1 });
    await seedChain(tiny);
    await tiny.receiveStock({ locationId: 'A', lines: [{ sku: 'X', quantity: 6 }, { sku: 'Y', quantity: 1 }] }, ctx());
    await tiny.receiveStock({ locationId: 'B', lines: [{ sku: 'X', quantity: 2 }] }, ctx());
    expect(await tiny.onHand('A', 'X')).toBe(6);
    expect(await tiny.onHand('B', 'X')).toBe(2);
  });

  it('records a POS total that differs from our balance at that instant, and nothing when it agrees', async () => {
    await seedChain();
    await commands.receiveStock({ locationId: 'A', lines: [{ sku: 'X', quantity: 10 }] }, ctx());
    const observation = { connectionId: 'shop1', posEventId: 'inv-1', locationId: 'A', sku: 'X', posQuantity: 7, observedAt: new Date(clock + 500).toISOString() };
    const differs = await commands.reconcilePosTotal(observation, ctx());
    expect(differs).toMatchObject({ difference: -3, duplicate: false });
    const agrees = await commands.reconcilePosTotal({ ...observation, posEventId: 'inv-2', posQuantity: 10 }, ctx());
    expect(agrees).toMatchObject({ difference: 0, duplicate: false });
    expect(await commands.reconcilePosTotal(observation, ctx())).toMatchObject({ position: differs.position, duplicate: true });
    expect((await typesOf()).filter((t) => t === 'PosDiscrepancyRecorded')).toHaveLength(1);
    expect(await commands.onHand('A', 'X')).toBe(10);
    expect(await commands.locationExists('A')).toBe(true);
    expect(await commands.locationExists('Z')).toBe(false);
    expect(await commands.productExists('X')).toBe(true);
  });
});
