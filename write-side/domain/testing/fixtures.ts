/** Small builders of events and commands for domain specs. Times are fixed ISO strings. */
import type { DomainEvent } from '../../../schemas/types';

export const T0 = '2025-03-01T10:00:00.000Z';
/** T0 plus `minutes`. */
export const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const stamp = (occurredAt: string, recordedAt = occurredAt) => ({ occurredAt, recordedAt });

export const locationRegistered = (locationId: string, when = T0): DomainEvent => ({
  type: 'LocationRegistered', data: { locationId, name: `Shop ${locationId}`, locationType: 'store', ...stamp(when) },
});
export const productRegistered = (sku: string, unitCost?: number): DomainEvent => ({
  type: 'ProductRegistered', data: { sku, name: `Product ${sku}`, ...(unitCost !== undefined && { unitCost }), ...stamp(T0) },
});
export const stockReceived = (locationId: string, sku: string, quantity: number, when = T0, receiptId = `r-${sku}-${when}`): DomainEvent => ({
  type: 'StockReceived', data: { locationId, receiptId, lines: [{ sku, quantity, unitCost: 100 }], ...stamp(when) },
});
export const stockSold = (locationId: string, sku: string, quantity: number, occurredAt = T0, saleId = `s-${sku}-${occurredAt}`, recordedAt = occurredAt): DomainEvent => ({
  type: 'StockSold', data: { locationId, saleId, lines: [{ sku, quantity }], ...stamp(occurredAt, recordedAt) },
});
export const stockReturned = (locationId: string, sku: string, quantity: number, occurredAt = T0, returnId = `ret-${sku}-${occurredAt}`): DomainEvent => ({
  type: 'StockReturned', data: { locationId, returnId, lines: [{ sku, quantity }], ...stamp(occurredAt) },
});
export const stockAdjusted = (locationId: string, sku: string, quantity: number, when = T0, adjustmentId = `a-${sku}-${when}`): DomainEvent => ({
  type: 'StockAdjusted', data: { locationId, adjustmentId, sku, quantity, reason: 'correction', ...stamp(when) },
});
export const stockCounted = (locationId: string, sku: string, countedQuantity: number, bookQuantity: number, countedAt: string, recordedAt = countedAt): DomainEvent => ({
  type: 'StockCounted',
  data: {
    locationId, countId: `c-${countedAt}`, lines: [{ sku, countedQuantity, bookQuantity, adjustment: countedQuantity - bookQuantity }],
    ...stamp(countedAt, recordedAt),
  },
});
export const transferCreated = (transferId: string, from: string, to: string, lines: Array<{ sku: string; quantity: number }>): DomainEvent => ({
  type: 'TransferCreated', data: { transferId, fromLocationId: from, toLocationId: to, lines, ...stamp(T0) },
});
export const transferDispatched = (transferId: string, from: string, to: string, lines: Array<{ sku: string; quantity: number }>, when = T0): DomainEvent => ({
  type: 'TransferDispatched', data: { transferId, fromLocationId: from, toLocationId: to, lines, ...stamp(when) },
});
export const transferReceived = (
  transferId: string, from: string, to: string, lines: Array<{ sku: string; quantity: number }>,
  shortfall: Array<{ sku: string; quantity: number }> = [], completed = true, when = T0,
): DomainEvent => ({
  type: 'TransferReceived', data: { transferId, fromLocationId: from, toLocationId: to, lines, shortfall, completed, ...stamp(when) },
});
/** The same TransferReceived sent with the client's `receiptId`. */
export const withReceiptId = (event: DomainEvent, receiptId: string): DomainEvent =>
  ({ ...event, data: { ...event.data, receiptId } }) as DomainEvent;
export const transferCancelled = (transferId: string, from: string, to: string): DomainEvent => ({
  type: 'TransferCancelled', data: { transferId, fromLocationId: from, toLocationId: to, ...stamp(T0) },
});

/** A chain of two shops A and B with sku X (unit cost 250) and Y registered. */
export const chain: DomainEvent[] = [
  locationRegistered('A'), locationRegistered('B'), productRegistered('X', 250), productRegistered('Y'),
];
