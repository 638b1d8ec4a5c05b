import { afterEach, describe, expect, it } from 'vitest';
import { SqliteConnectionStore } from '../../pos/connections/sqlite-connection-store';
import { ev, recorded, type EventSpec } from '../../projections/models/testing/project';
import { createOutboundSender } from '../sender';
import { SqliteOutboundStore } from '../store/sqlite-outbound-store';
import type { Subscription, WebhookDelivery } from '../store/outbound-store';
import { manualClock, outbox, startReceiver, type Answer, type Receiver } from '../testing/harness';
import { verifySignature } from './signing';

const SECRET = 'receiver-shared-secret-1';
const T = (m: number) => `2026-03-01T10:${String(m).padStart(2, '0')}:00.000Z`;
const receipt = (id: string, quantity: number, m: number): EventSpec =>
  ev('StockReceived', { locationId: 'S1', receiptId: id, lines: [{ sku: 'A', quantity, unitCost: 100 }] }, T(m));
const sale = (id: string, quantity: number, m: number): EventSpec => ev('StockSold', { locationId: 'S1', saleId: id, lines: [{ sku: 'A', quantity }] }, T(m));

const receivers: Receiver[] = [];
afterEach(async () => { await Promise.all(receivers.splice(0).map((r) => r.close())); });

async function setup(answer?: (index: number) => Answer, maxAttempts = 3) {
  const receiver = await startReceiver((_, i) => answer?.(i) ?? { status: 200 });
  receivers.push(receiver);
  const box = outbox();
  const store = new SqliteOutboundStore(':memory:');
  const clock = manualClock();
  const subscription: Subscription = {
    id: 'sub-1', url: `${receiver.url}/hooks`, kinds: ['stock.changed', 'stock.low'], secret: SECRET, active: true,
    createdAt: clock.now().toISOString(), fromPosition: '0',
  };
  await store.createSubscription(subscription);
  const sender = createOutboundSender({
    store, readStore: box.readStore, connections: new SqliteConnectionStore(':memory:'),
    clock: clock.now, random: () => 0, retry: { maxAttempts, baseDelayMs: 1000, maxDelayMs: 60_000 }, log: () => {},
  });
  return { receiver, box, store, clock, sender };
}

describe('outbound webhooks', () => {
  it('given a stock change, then the receiver gets a body it can verify with the shared secret', async () => {
    const { receiver, box, store, sender } = await setup();
    await box.add(recorded(receipt('r1', 10, 1)));
    const report = await sender.runOnce();
    expect(report).toMatchObject({ notifications: 1, enqueued: 1, attempted: 1, delivered: 1 });
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/hooks');
    expect(verifySignature(SECRET, request!.raw, request!.headers['x-stocktide-signature'] as string)).toBe(true);
    expect(verifySignature('another-secret-xxxxx', request!.raw, request!.headers['x-stocktide-signature'] as string)).toBe(false);
    expect(request!.json).toEqual({
      id: '00000000000000000001:00000', kind: 'stock.changed', position: '1', occurredAt: T(1),
      data: { locationId: 'S1', sku: 'A', onHand: 10, previousOnHand: 0 },
    });
    expect(request!.headers['x-stocktide-event-id']).toBe('00000000000000000001:00000');
    expect(request!.headers['x-stocktide-timestamp']).toBe('2026-03-01T12:00:00.000Z');
    expect(await store.getDelivery('00000000000000000001:00000|sub-1')).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200 });
    expect((await sender.runOnce()).attempted).toBe(0); // nothing is sent twice
    expect(receiver.requests).toHaveLength(1);
  });

  it('given a receiver answering 500 once, then the delivery is retried after the backoff and delivered', async () => {
    const { receiver, box, store, clock, sender } = await setup((i) => ({ status: i === 0 ? 500 : 204 }));
    await box.add(recorded(receipt('r1', 10, 1)));
    expect(await sender.runOnce()).toMatchObject({ attempted: 1, retrying: 1 });
    const id = '00000000000000000001:00000|sub-1';
    const waiting = (await store.getDelivery(id))!;
    // random() = 0 puts the jitter at its floor: half the 1000 ms base delay.
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500, nextAttemptAt: '2026-03-01T12:00:00.500Z' });
    expect(await sender.runOnce()).toMatchObject({ attempted: 0 }); // not due yet
    clock.advance(500);
    expect(await sender.runOnce()).toMatchObject({ attempted: 1, delivered: 1 });
    expect(await store.getDelivery(id)).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 204 });
    expect(receiver.requests.map((r) => r.raw)).toEqual([receiver.requests[0]!.raw, receiver.requests[0]!.raw]); // same bytes
    expect(new Set(receiver.requests.map((r) => r.headers['x-stocktide-event-id'])).size).toBe(1);
  });

  it('given a receiver that keeps failing, then the delivery is dead after the last attempt, with growing delays', async () => {
    const { receiver, box, store, clock, sender } = await setup(() => ({ status: 503 }), 3);
    await box.add(recorded(receipt('r1', 10, 1)));
    const id = '00000000000000000001:00000|sub-1';
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      await sender.runOnce();
      const d = (await store.getDelivery(id)) as WebhookDelivery;
      if (d.status === 'pending') {
        const delay = Date.parse(d.nextAttemptAt) - clock.now().getTime();
        delays.push(delay);
        clock.advance(delay);
      }
    }
    expect(delays).toEqual([500, 1000]);
    expect(await store.getDelivery(id)).toMatchObject({ status: 'dead', attempts: 3, lastStatus: 503 });
    clock.advance(3_600_000);
    await sender.runOnce();
    expect(receiver.requests).toHaveLength(3);
  });

  it('given a receiver answering 400, then the delivery fails at once and is not retried', async () => {
    const { receiver, box, store, clock, sender } = await setup(() => ({ status: 400 }));
    await box.add(recorded(receipt('r1', 10, 1)));
    expect(await sender.runOnce()).toMatchObject({ attempted: 1, failed: 1 });
    clock.advance(3_600_000);
    await sender.runOnce();
    expect(receiver.requests).toHaveLength(1);
    expect(await store.getDelivery('00000000000000000001:00000|sub-1')).toMatchObject({ status: 'failed', lastError: 'the receiver answered 400' });
  });

  it('given a receiver that cannot be reached, then the attempt is retried', async () => {
    const { box, store } = await setup();
    const clock = manualClock();
    const sender = createOutboundSender({
      store, readStore: box.readStore, connections: new SqliteConnectionStore(':memory:'), clock: clock.now, random: () => 0,
      fetchImpl: async () => { throw Object.assign(new Error('connect ECONNREFUSED'), { cause: { code: 'ECONNREFUSED' } }); },
      log: () => {},
    });
    await box.add(recorded(receipt('r1', 10, 1)));
    expect(await sender.runOnce()).toMatchObject({ retrying: 1 });
    expect(await store.getDelivery('00000000000000000001:00000|sub-1')).toMatchObject({ status: 'pending', lastError: 'no answer: ECONNREFUSED' });
  });

  it('given kinds the subscription does not want and many notifications, then only wanted ones are sent, each once', async () => {
    const { receiver, box, sender } = await setup();
    await box.add(recorded(
      ev('ProductRegistered', { sku: 'A', name: 'Apple', reorderPoint: 2 }, T(0)),
      receipt('r1', 5, 1), sale('s1', 3, 2), sale('s2', 1, 3),
      ev('PosDiscrepancyRecorded', { locationId: 'S1', sku: 'A', connectionId: 'c', posEventId: 'e', posQuantity: 2, ourQuantity: 1, difference: 1 }, T(4)),
    ));
    await sender.runOnce();
    const kinds = receiver.requests.map((r) => (r.json as { kind: string; position: string }));
    expect(kinds.map((k) => `${k.position}:${k.kind}`).sort()).toEqual(['2:stock.changed', '3:stock.changed', '3:stock.low', '4:stock.changed']);
  });

  it('given the sender started on a timer, when stopped, then it has delivered and no run is left going', async () => {
    const { receiver, box } = await setup();
    const store = new SqliteOutboundStore(':memory:');
    await store.createSubscription({
      id: 'timer', url: `${receiver.url}/t`, kinds: ['stock.changed'], secret: SECRET, active: true, createdAt: T(0), fromPosition: '0',
    });
    await box.add(recorded(receipt('r1', 10, 1)));
    const sender = createOutboundSender({ store, readStore: box.readStore, connections: new SqliteConnectionStore(':memory:'), intervalMs: 5, log: () => {} });
    sender.start();
    await expect.poll(async () => (await store.listDeliveries({ status: 'delivered' })).length, { timeout: 5000 }).toBe(1);
    await sender.stop();
    expect(receiver.requests).toHaveLength(1);
  });
});
