import { describe, expect, it } from 'vitest';
import { NotFound } from '../errors';
import { onHandOf } from '../locations/location-state';
import { foldWorld, given } from '../testing/spec';
import { T0, at, chain, stockReceived, stockReturned, stockSold } from '../testing/fixtures';

const pos = { connectionId: 'shop1', kind: 'shopify', eventId: '9007199254740993123' } as const;

describe('recording a sale', () => {
  it('records the sale at the till time, never refused for stock', () => {
    given(chain).when({
      type: 'RecordSale', locationId: 'A', saleId: 'shop1:9007199254740993123', pos, occurredAt: at(-120), now: T0,
      lines: [{ sku: 'X', quantity: 3, unitPrice: 999 }],
    }).then([{
      type: 'StockSold',
      data: {
        locationId: 'A', saleId: 'shop1:9007199254740993123', pos, lines: [{ sku: 'X', quantity: 3, unitPrice: 999 }],
        occurredAt: at(-120), recordedAt: T0,
      },
    }]);
  });

  it('takes the balance negative', () => {
    expect(onHandOf(foldWorld([...chain, stockReceived('A', 'X', 1), stockSold('A', 'X', 3)]).location('A'), 'X')).toBe(-2);
  });

  it('records a sale of an unknown sku (the POS layer quarantines before calling)', () => {
    given(chain).when({ type: 'RecordSale', locationId: 'A', saleId: 's1', occurredAt: T0, now: T0, lines: [{ sku: 'NEW', quantity: 1 }] })
      .then([stockSold('A', 'NEW', 1, T0, 's1')]);
  });

  it('refuses an unknown location', () => {
    given(chain).when({ type: 'RecordSale', locationId: 'Z', saleId: 's1', occurredAt: T0, now: T0, lines: [{ sku: 'X', quantity: 1 }] })
      .thenThrows(NotFound, 'unknown-location');
  });

  it('decides nothing for a sale id already applied', () => {
    given(chain, stockSold('A', 'X', 1, T0, 's1'))
      .when({ type: 'RecordSale', locationId: 'A', saleId: 's1', occurredAt: T0, now: at(5), lines: [{ sku: 'X', quantity: 1 }] })
      .then([]);
  });

  it('counts a duplicate POS sale stored twice only once', () => {
    const sale = stockSold('A', 'X', 2, T0, 'shop1:1');
    const again = stockSold('A', 'X', 2, T0, 'shop1:1', at(1)); // same fact, stored again later
    expect(onHandOf(foldWorld([...chain, stockReceived('A', 'X', 5), sale, again]).location('A'), 'X')).toBe(3);
  });
});

describe('recording a return', () => {
  it('adds the units back', () => {
    given(chain).when({ type: 'RecordReturn', locationId: 'A', returnId: 'ret1', occurredAt: T0, now: T0, lines: [{ sku: 'X', quantity: 2 }] })
      .then([stockReturned('A', 'X', 2, T0, 'ret1')]);
    expect(onHandOf(foldWorld([...chain, stockReturned('A', 'X', 2, T0, 'ret1')]).location('A'), 'X')).toBe(2);
  });

  it('applies a return id once, and independently of sale ids', () => {
    const ret = stockReturned('A', 'X', 2, T0, 'k1');
    expect(onHandOf(foldWorld([...chain, ret, ret, stockSold('A', 'X', 1, T0, 'k1')]).location('A'), 'X')).toBe(1);
    given(chain, ret).when({ type: 'RecordReturn', locationId: 'A', returnId: 'k1', occurredAt: T0, now: T0, lines: [{ sku: 'X', quantity: 2 }] })
      .then([]);
  });
});
