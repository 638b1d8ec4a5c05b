import { describe, expect, it } from 'vitest';
import { BusinessRuleViolation, NotFound } from '../errors';
import { onHandOf } from '../locations/location-state';
import { foldWorld, given } from '../testing/spec';
import { T0, chain, stockReceived } from '../testing/fixtures';
import type { ReceiveStockCommand } from '../commands';

const receive = (over: Partial<ReceiveStockCommand> = {}): ReceiveStockCommand => ({
  type: 'ReceiveStock', locationId: 'A', receiptId: 'r1', lines: [{ sku: 'X', quantity: 5 }], now: T0, ...over,
});

describe('receiving stock', () => {
  it('records the lines, the unit cost defaulting to the product\'s', () => {
    given(chain).when(receive({ lines: [{ sku: 'X', quantity: 5 }, { sku: 'Y', quantity: 2, unitCost: 40 }], reference: 'PO-1' })).then([{
      type: 'StockReceived',
      data: {
        locationId: 'A', receiptId: 'r1', reference: 'PO-1',
        lines: [{ sku: 'X', quantity: 5, unitCost: 250 }, { sku: 'Y', quantity: 2, unitCost: 40 }],
        occurredAt: T0, recordedAt: T0,
      },
    }]);
  });

  it('uses a unit cost of 0 when neither the line nor the product has one', () => {
    const [event] = given(chain).when(receive({ lines: [{ sku: 'Y', quantity: 1 }] })).events();
    expect(event?.type === 'StockReceived' && event.data.lines[0]?.unitCost).toBe(0);
  });

  it('adds to the balance', () => {
    expect(onHandOf(foldWorld([...chain, stockReceived('A', 'X', 5), stockReceived('A', 'X', 3, T0, 'r2')]).location('A'), 'X')).toBe(8);
  });

  it('decides nothing for a receipt id already applied', () => {
    given(chain, stockReceived('A', 'X', 5, T0, 'r1')).when(receive()).then([]);
  });

  it('applies a receipt stored twice only once', () => {
    const twice = stockReceived('A', 'X', 5, T0, 'r1');
    expect(onHandOf(foldWorld([...chain, twice, twice]).location('A'), 'X')).toBe(5);
  });

  it('refuses an unknown location', () => {
    given(chain).when(receive({ locationId: 'Z' })).thenThrows(NotFound, 'unknown-location');
  });

  it('refuses an unknown sku', () => {
    given(chain).when(receive({ lines: [{ sku: 'X', quantity: 1 }, { sku: 'NOPE', quantity: 1 }] })).thenThrows(NotFound, 'unknown-sku');
  });

  it('keeps the dock time of a receipt keyed in late', () => {
    const dock = new Date(Date.parse(T0) - 3 * 3_600_000).toISOString();
    const [event] = given(chain).when(receive({ receivedAt: dock })).events();
    expect(event?.data).toMatchObject({ occurredAt: dock, recordedAt: T0 });
  });

  it('refuses a receipt dated in the future', () => {
    const later = new Date(Date.parse(T0) + 3_600_000).toISOString();
    given(chain).when(receive({ receivedAt: later })).thenThrows(BusinessRuleViolation, 'receipt-in-future');
  });
});
