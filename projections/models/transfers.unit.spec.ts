import { describe, expect, it } from 'vitest';
import type { TransferDoc } from './collections';
import { projections } from './index';
import { ev, project, recorded } from './testing/project';
import { overdueTransferAlerts, transferOverdueHoursFromEnv } from './transfers';

const keys = { transferId: 't1', fromLocationId: 'A', toLocationId: 'B' };
const created = ev('TransferCreated', { ...keys, lines: [{ sku: 'S1', quantity: 5 }, { sku: 'S2', quantity: 2 }] }, '2026-03-01T08:00:00.000Z');
const dispatched = ev('TransferDispatched', { ...keys, lines: [{ sku: 'S1', quantity: 5 }, { sku: 'S2', quantity: 2 }] }, '2026-03-01T09:00:00.000Z');

describe('transfers projection', () => {
  it('follows a transfer from creation through partial to full receipt, emitting each status', async () => {
    const r = await project(projections, recorded(
      created, dispatched,
      ev('TransferReceived', { ...keys, lines: [{ sku: 'S1', quantity: 3 }], shortfall: [], completed: false }, '2026-03-02T09:00:00.000Z'),
      ev('TransferReceived', { ...keys, lines: [{ sku: 'S1', quantity: 1 }, { sku: 'S2', quantity: 2 }], shortfall: [{ sku: 'S1', quantity: 1 }], completed: true }, '2026-03-03T09:00:00.000Z'),
    ));
    expect(r.changes.filter((c) => c.kind === 'transfer').map((c) => c.kind === 'transfer' && c.status)).toEqual([
      'created', 'dispatched', 'partially_received', 'received',
    ]);
    expect(r.doc<TransferDoc>('transfers', 't1')).toMatchObject({
      status: 'received', dispatchedAt: '2026-03-01T09:00:00.000Z', receivedAt: '2026-03-03T09:00:00.000Z', position: '4',
      lines: [
        { sku: 'S1', quantity: 5, dispatched: 5, received: 4, shortfall: 1 },
        { sku: 'S2', quantity: 2, dispatched: 2, received: 2, shortfall: 0 },
      ],
    });
  });

  it('numbers transfers TR-1001, TR-1002, ... in creation order, once each, even when a creation is replayed', async () => {
    const second = ev('TransferCreated', { transferId: 't2', fromLocationId: 'B', toLocationId: 'A', lines: [{ sku: 'S1', quantity: 1 }] }, '2026-03-01T08:30:00.000Z');
    const r = await project(projections, recorded(created, second, dispatched, created));
    expect(r.doc<TransferDoc>('transfers', 't1')?.number).toBe('TR-1001');
    expect(r.doc<TransferDoc>('transfers', 't2')?.number).toBe('TR-1002');
    expect(r.doc('transfer_numbers', 'last')).toMatchObject({ last: 1002 });
  });

  it('given a cancellation before dispatch, then the transfer is cancelled and stock is untouched', async () => {
    const r = await project(projections, recorded(created, ev('TransferCancelled', { ...keys, reason: 'not needed' }, '2026-03-01T10:00:00.000Z')));
    expect(r.doc<TransferDoc>('transfers', 't1')).toMatchObject({ status: 'cancelled', reason: 'not needed' });
    expect(r.docs('stock')).toEqual([]);
  });

  it('raises "in transit too long" at read time, relative to the clock given', async () => {
    const r = await project(projections, recorded(created, dispatched));
    const store = await r.store();
    expect(await overdueTransferAlerts(store, new Date('2026-03-03T08:59:00Z'), 48)).toEqual([]);
    expect(await overdueTransferAlerts(store, new Date('2026-03-03T09:01:00Z'), 48)).toEqual([
      expect.objectContaining({ alertType: 'transfer_overdue', status: 'open', transferId: 't1', locationId: 'B', raisedAt: '2026-03-03T09:00:00.000Z' }),
    ]);
    expect(transferOverdueHoursFromEnv({ IMS_TRANSFER_OVERDUE_HOURS: '12' })).toBe(12);
    expect(transferOverdueHoursFromEnv({})).toBe(48);
  });
});
