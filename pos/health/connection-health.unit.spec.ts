import { describe, expect, it } from 'vitest';
import type { PosConnection } from '../connections/connection-store';
import { exponentialBackoff } from '../inbox/inbox-worker';
import { healthOf } from './connection-health';

const NOW = new Date('2024-06-02T12:00:00.000Z');
const connection: PosConnection = {
  id: 'till', kind: 'generic', secret: 'secret-123', locationMap: {}, skuMap: {}, disabled: false,
  createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z',
};
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

describe('healthOf', () => {
  it('given a till that usually delivers, when it is silent longer than the setting, then an alert', () => {
    const health = healthOf(connection, { lastReceivedAt: minutesAgo(90), receivedSince: [0, 40], pending: 0, tests: 0 }, 0, NOW, 60);
    expect(health).toMatchObject({ silent: true, lastDeliveryAt: minutesAgo(90), deliveriesLastWeek: 40, alert: expect.stringContaining('90 min') });
  });

  it('given a recent delivery, a rarely used connection, a disabled one or one that never delivered, then no alert', () => {
    expect(healthOf(connection, { lastReceivedAt: minutesAgo(30), receivedSince: [3, 40], pending: 1, tests: 0 }, 2, NOW, 60))
      .toMatchObject({ silent: false, deliveriesLastHour: 3, pending: 1, quarantined: 2 });
    expect(healthOf(connection, { lastReceivedAt: minutesAgo(600), receivedSince: [0, 4], pending: 0, tests: 0 }, 0, NOW, 60).silent).toBe(false);
    expect(healthOf({ ...connection, disabled: true }, { lastReceivedAt: minutesAgo(600), receivedSince: [0, 40], pending: 0, tests: 0 }, 0, NOW, 60).silent).toBe(false);
    expect(healthOf(connection, { receivedSince: [0, 0], pending: 0, tests: 0 }, 0, NOW, 60)).toEqual({
      connectionId: 'till', kind: 'generic', disabled: false, deliveriesLastHour: 0, deliveriesLastWeek: 0,
      quarantined: 0, pending: 0, testDeliveries: 0, silent: false,
    });
  });
});

describe('exponentialBackoff', () => {
  it('doubles from the base and stops at the cap', () => {
    const backoff = exponentialBackoff(100, 1_000);
    expect([1, 2, 3, 4, 5, 10].map(backoff)).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });
});
