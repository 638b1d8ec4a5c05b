/** The one contract suite every OutboundStore adapter passes. */
import { describe, expect, it } from 'vitest';
import {
  SubscriptionExists, pushJobId, webhookDeliveryId, type OutboundStore, type PushJob, type Subscription, type WebhookDelivery,
} from './outbound-store';

const at = (minute: number) => `2026-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
const subscription = (id: string): Subscription => ({
  id, url: 'https://hooks.example.com/in', kinds: ['stock.changed'], secret: 'a-very-secret-value', active: true,
  createdAt: at(0), fromPosition: '12',
});
const delivery = (notificationId: string, subscriptionId: string, nextAttemptAt = at(1)): WebhookDelivery => ({
  id: webhookDeliveryId(notificationId, subscriptionId), target: 'webhook', kind: 'stock.changed', notificationId, subscriptionId,
  body: { id: notificationId, kind: 'stock.changed', position: '13', occurredAt: at(0), data: { onHand: 5, nested: { a: [1, 2] } } },
  position: '13', status: 'pending', attempts: 0, nextAttemptAt, createdAt: at(0), updatedAt: at(0),
});
const job = (position: string, quantity: number, minute = 1): PushJob => ({
  id: pushJobId('shop', 'L1', 'I1'), target: 'pos-push', kind: 'pos-push', notificationId: `n${position}`, connectionId: 'shop',
  posLocationId: 'L1', posItemId: 'I1', locationId: 'S1', sku: 'A', quantity, recordedAt: at(minute), position,
  status: 'pending', attempts: 0, nextAttemptAt: at(minute), createdAt: at(minute), updatedAt: at(minute),
});

export function outboundStoreContract(name: string, open: () => Promise<OutboundStore>): void {
  describe(`OutboundStore contract: ${name}`, () => {
    it('given subscriptions, when read, listed and deleted, then the store answers them whole and in creation order', async () => {
      const store = await open();
      await store.createSubscription(subscription('s1'));
      await store.createSubscription(subscription('s2'));
      await expect(store.createSubscription(subscription('s1'))).rejects.toBeInstanceOf(SubscriptionExists);
      expect(await store.getSubscription('s1')).toEqual(subscription('s1'));
      expect((await store.listSubscriptions()).map((s) => s.id)).toEqual(['s1', 's2']);
      expect(await store.deleteSubscription('s1')).toBe(true);
      expect(await store.deleteSubscription('s1')).toBe(false);
      expect(await store.getSubscription('s1')).toBeUndefined();
      await store.close();
    });

    it('given the same delivery added twice, then it is stored once and comes back exactly', async () => {
      const store = await open();
      expect(await store.addDelivery(delivery('n1', 's1'))).toBe(true);
      expect(await store.addDelivery({ ...delivery('n1', 's1'), attempts: 9 })).toBe(false);
      expect(await store.getDelivery(webhookDeliveryId('n1', 's1'))).toEqual(delivery('n1', 's1'));
      await store.close();
    });

    it('given deliveries, when some are due, then only pending due ones come, soonest first; updates stick', async () => {
      const store = await open();
      await store.addDelivery(delivery('n1', 's1', at(5)));
      await store.addDelivery(delivery('n2', 's1', at(2)));
      await store.addDelivery(delivery('n3', 's2', at(9)));
      expect((await store.dueDeliveries(at(5), 10)).map((d) => d.id)).toEqual(['n2|s1', 'n1|s1']);
      const updated = await store.updateDelivery('n2|s1', { status: 'delivered', attempts: 1, lastStatus: 200, deliveredAt: at(3), updatedAt: at(3) });
      expect(updated).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200 });
      const cleared = await store.updateDelivery('n2|s1', { lastStatus: undefined });
      expect(cleared).not.toHaveProperty('lastStatus');
      expect((await store.dueDeliveries(at(59), 10)).map((d) => d.id)).toEqual(['n1|s1', 'n3|s2']);
      expect(await store.updateDelivery('nope', { status: 'dead' })).toBeUndefined();
      expect((await store.listDeliveries({ subscriptionId: 's1' })).map((d) => d.id)).toEqual(['n2|s1', 'n1|s1']);
      expect((await store.listDeliveries({ status: 'delivered' })).map((d) => d.id)).toEqual(['n2|s1']);
      expect(await store.listDeliveries({ target: 'pos-push' })).toEqual([]);
      await store.close();
    });

    it('given push jobs for one key, then the newest balance wins and the last pushed value is kept', async () => {
      const store = await open();
      await store.upsertPushJob(job('5', 10));
      await store.updateDelivery(job('5', 10).id, { status: 'delivered', lastPushedQuantity: 10, attempts: 1 });
      const newer = await store.upsertPushJob(job('8', 7, 2));
      expect(newer).toMatchObject({ position: '8', quantity: 7, status: 'pending', attempts: 0, lastPushedQuantity: 10 });
      const older = await store.upsertPushJob(job('6', 9, 3));
      expect(older).toMatchObject({ position: '8', quantity: 7 });
      expect(await store.listDeliveries({ target: 'pos-push', connectionId: 'shop' })).toEqual([newer]);
      await store.close();
    });

    it('given push settings and cursors, then they are kept', async () => {
      const store = await open();
      await store.setPushEnabled('b', true);
      await store.setPushEnabled('a', true);
      await store.setPushEnabled('b', false);
      expect(await store.pushEnabledConnections()).toEqual(['a']);
      expect(await store.getCursor('outbox')).toBeUndefined();
      await store.setCursor('outbox', '00000000000000000007:00001');
      await store.setCursor('outbox', '00000000000000000009:00000');
      expect(await store.getCursor('outbox')).toBe('00000000000000000009:00000');
      await store.close();
    });
  });
}
