import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sign } from '../signatures';
import { admin, createHarness, NOW, type Harness } from '../testing/pos-harness';

const SECRET = 'generic-secret';
let h: Harness;

beforeEach(async () => {
  h = await createHarness();
  await h.connect({ id: 'till', kind: 'generic', secret: SECRET, locationMap: { 'TILL-A': 'store-1' }, skuMap: { 'ITEM-9': 'SKU-2' } });
});
afterEach(() => h.close());

const deliver = (event: unknown, signature?: string) => {
  const body = JSON.stringify(event);
  return h.app.inject({
    method: 'POST', url: '/pos/till/webhook', payload: body,
    headers: { 'content-type': 'application/json', 'x-ims-signature': signature ?? sign.generic(SECRET, body) },
  });
};
const yesterday = new Date(NOW.getTime() - 24 * 3600_000).toISOString();
const sale = (eventId: string, lines = [{ sku: 'SKU-1', quantity: 2 }, { sku: 'ITEM-9', quantity: 1 }]) =>
  ({ eventId, type: 'sale', locationId: 'TILL-A', occurredAt: yesterday, lines });

describe('generic webhook', () => {
  it('answers only once the delivery is durable: a sale through its appended events, its inbox entry written once settled; a quarantined one through its synced entry', async () => {
    const receive = vi.spyOn(h.inbox, 'receive');
    const receiveSettled = vi.spyOn(h.inbox, 'receiveSettled');
    const settle = vi.spyOn(h.inbox, 'settle');
    expect((await deliver(sale('d-1'))).statusCode).toBe(200);
    expect(receiveSettled).toHaveBeenLastCalledWith(
      expect.objectContaining({ connectionId: 'till' }), expect.objectContaining({ status: 'done' }), { durable: false });
    const [sold] = receiveSettled.mock.calls[0]!;
    expect(await h.inbox.get(sold.id)).toMatchObject({ status: 'done', outcome: { status: 'applied', duplicate: false } });
    const quarantined = await deliver(sale('d-2', [{ sku: 'NEW-1', quantity: 1 }]));
    expect(quarantined.statusCode).toBe(202);
    expect(receiveSettled).toHaveBeenLastCalledWith(
      expect.objectContaining({ connectionId: 'till' }), expect.objectContaining({ status: 'quarantined' }), { durable: true });
    const [kept] = receiveSettled.mock.calls[1]!;
    expect(await h.inbox.get(kept.id)).toMatchObject({ status: 'quarantined', connectionId: 'till' });
    expect(receive).not.toHaveBeenCalled();
    expect(settle).not.toHaveBeenCalled();
  });

  it('given a sale made 24 h ago while the till was offline, then it is recorded with its till time', async () => {
    const res = await deliver(sale('t-1'));
    expect(res.statusCode).toBe(200);
    const [sold] = await h.posEvents();
    expect(sold!.data).toMatchObject({
      occurredAt: yesterday, recordedAt: NOW.toISOString(), locationId: 'store-1',
      lines: [{ sku: 'SKU-1', quantity: 2 }, { sku: 'SKU-2', quantity: 1 }],
    });
  });

  it('given a return, then stock comes back; a repeat is a duplicate with the original position', async () => {
    const first = await deliver({ ...sale('t-2'), type: 'return' });
    const again = await deliver({ ...sale('t-2'), type: 'return' });
    expect(again.json()).toEqual({ duplicate: true, position: first.json().position });
    expect(await h.commands.onHand('store-1', 'SKU-1')).toBe(12);
  });

  it('given a sale larger than the stock, then it is recorded all the same (never refused)', async () => {
    expect((await deliver(sale('t-3', [{ sku: 'SKU-1', quantity: 25 }]))).statusCode).toBe(200);
    expect(await h.commands.onHand('store-1', 'SKU-1')).toBe(-15);
  });

  it('given a bad signature, then 401; a signed body of no known shape is kept in quarantine (202), nothing stored', async () => {
    expect((await deliver(sale('t-4'), 'sha256=' + '0'.repeat(64))).statusCode).toBe(401);
    expect((await deliver(sale('t-4'), 'garbage')).statusCode).toBe(401);
    const bad = await deliver({ ...sale('t-4'), lines: [{ sku: 'SKU-1', quantity: 0 }] });
    expect(bad.statusCode).toBe(202);
    expect(bad.json()).toMatchObject({ quarantined: true, reason: 'unsupported', detail: expect.stringContaining('quantity') });
    expect((await deliver({ eventId: 'x' })).json()).toMatchObject({ quarantined: true, reason: 'unsupported' });
    expect(await h.posEvents()).toEqual([]);
  });

  it('given an unknown SKU, then quarantine (202); after the product exists, retry records it once', async () => {
    const res = await deliver(sale('t-5', [{ sku: 'NEW-1', quantity: 1 }, { sku: 'SKU-1', quantity: 1 }]));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ quarantined: true, reason: 'unknown-sku' });
    expect(await h.posEvents()).toEqual([]);
    const stillUnknown = await h.app.inject({ method: 'POST', url: `/api/pos/quarantine/${res.json().id}/retry`, headers: admin });
    expect(stillUnknown.json().item).toMatchObject({ status: 'open', attempts: 1, reason: 'unknown-sku' });
    await h.commands.registerProduct({ sku: 'NEW-1', name: 'New' }, { actor: { kind: 'system', id: 't' }, source: 'system', correlationId: 'c', now: NOW });
    const retried = await h.app.inject({ method: 'POST', url: `/api/pos/quarantine/${res.json().id}/retry`, headers: admin });
    expect(retried.json()).toMatchObject({ item: { status: 'released' }, outcome: { position: expect.any(String) } });
    expect((await h.posEvents()).map((e) => e.data['lines'])).toEqual([[{ sku: 'NEW-1', quantity: 1 }, { sku: 'SKU-1', quantity: 1 }]]);
  });
});
