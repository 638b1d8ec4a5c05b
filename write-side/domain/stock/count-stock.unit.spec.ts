import { describe, expect, it } from 'vitest';
import { BusinessRuleViolation, InvalidCommand, NotFound } from '../errors';
import { onHandOf } from '../locations/location-state';
import { foldWorld, given } from '../testing/spec';
import { at, chain, stockCounted, stockReceived, stockSold } from '../testing/fixtures';
import type { CountStockCommand } from '../commands';
import type { DomainEvent } from '../../../schemas/types';

const count = (countedQuantity: number, countedAt: string, now: string, over: Partial<CountStockCommand> = {}): CountStockCommand => ({
  type: 'CountStock', locationId: 'A', countId: 'c1', countedAt, lines: [{ sku: 'X', countedQuantity }], now, ...over,
});
const counted = (countedQuantity: number, bookQuantity: number, countedAt: string, now: string): DomainEvent => ({
  type: 'StockCounted',
  data: {
    locationId: 'A', countId: 'c1', lines: [{ sku: 'X', countedQuantity, bookQuantity, adjustment: countedQuantity - bookQuantity }],
    occurredAt: countedAt, recordedAt: now,
  },
});
const onHand = (...events: DomainEvent[]) => onHandOf(foldWorld([...chain, ...events]).location('A'), 'X');

describe('counting stock', () => {
  it('sets the balance: adjustment = counted - book', () => {
    given(chain, stockReceived('A', 'X', 10, at(0))).when(count(7, at(60), at(60))).then([counted(7, 10, at(60), at(60))]);
    expect(onHand(stockReceived('A', 'X', 10, at(0)), counted(7, 10, at(60), at(60)))).toBe(7);
  });

  it('takes the book quantity as of countedAt: movements after it are not part of the book', () => {
    // counted at 10:30, recorded at 11:00; a sale at 10:45 is already in the log
    given(chain, stockReceived('A', 'X', 10, at(0)), stockSold('A', 'X', 2, at(45)))
      .when(count(9, at(30), at(60))).then([counted(9, 10, at(30), at(60))]);
  });

  it('keeps movements that occurred after the count on top of it', () => {
    expect(onHand(stockReceived('A', 'X', 10, at(0)), stockSold('A', 'X', 2, at(45)), counted(9, 10, at(30), at(60)))).toBe(7);
  });

  it('ignores a late movement that occurred before the count (the count already saw it)', () => {
    const late = stockSold('A', 'X', 3, at(20), 'offline-till', at(90));
    expect(onHand(stockReceived('A', 'X', 10, at(0)), counted(9, 10, at(30), at(60)), late)).toBe(9);
  });

  it('applies a late movement that occurred after the count', () => {
    const late = stockSold('A', 'X', 3, at(40), 'offline-till', at(90));
    expect(onHand(stockReceived('A', 'X', 10, at(0)), counted(9, 10, at(30), at(60)), late)).toBe(6);
  });

  it('treats a movement at exactly countedAt as counted', () => {
    expect(onHand(stockReceived('A', 'X', 10, at(0)), counted(9, 10, at(30), at(60)), stockSold('A', 'X', 1, at(30)))).toBe(9);
  });

  it('counts from a negative balance', () => {
    given(chain, stockSold('A', 'X', 4, at(0))).when(count(0, at(10), at(10))).then([counted(0, -4, at(10), at(10))]);
  });

  it('defaults nothing itself: countedAt and now come in the command', () => {
    given(chain).when(count(3, at(5), at(5))).then([counted(3, 0, at(5), at(5))]);
  });

  it('refuses a count in the future beyond the clock skew', () => {
    given(chain).when(count(3, at(10), at(0))).thenThrows(BusinessRuleViolation, 'count-in-future');
  });

  it('accepts a count a little in the future (handheld clock ahead)', () => {
    given(chain).when(count(3, at(2), at(0))).then([counted(3, 0, at(2), at(0))]);
  });

  it('refuses a count older than the 7-day horizon', () => {
    given(chain).when(count(3, at(0), at(8 * 24 * 60))).thenThrows(BusinessRuleViolation, 'count-too-old');
  });

  it('refuses a count dated at or before a later count of the same sku', () => {
    given(chain, stockCounted('A', 'X', 5, 0, at(30), at(31))).when(count(3, at(20), at(40))).thenThrows(BusinessRuleViolation, 'count-superseded');
  });

  it('computes the book from the previous count and what followed it', () => {
    given(chain, stockReceived('A', 'X', 10, at(0)), stockCounted('A', 'X', 8, 10, at(30), at(31)), stockSold('A', 'X', 1, at(40)))
      .when(count(6, at(50), at(50))).then([counted(6, 7, at(50), at(50))]);
  });

  it('refuses a sku named twice, an unknown sku or location', () => {
    given(chain).when(count(1, at(0), at(0), { lines: [{ sku: 'X', countedQuantity: 1 }, { sku: 'X', countedQuantity: 2 }] }))
      .thenThrows(InvalidCommand, 'duplicate-sku');
    given(chain).when(count(1, at(0), at(0), { lines: [{ sku: 'NOPE', countedQuantity: 1 }] })).thenThrows(NotFound, 'unknown-sku');
    given(chain).when(count(1, at(0), at(0), { locationId: 'Z' })).thenThrows(NotFound, 'unknown-location');
  });

  it('decides nothing for a count id already applied', () => {
    given(chain, counted(7, 0, at(0), at(0))).when(count(7, at(0), at(1))).then([]);
  });

  it('keeps the book exact after old movements are pruned past the horizon', () => {
    const day = 24 * 60;
    const history = [stockReceived('A', 'X', 10, at(0)), stockSold('A', 'X', 1, at(day)), stockSold('A', 'X', 2, at(9 * day))];
    // the sale at day 9 is after countedAt (day 8.5): taken out of the book; older ones are in it
    given(chain, history).when(count(7, at(8.5 * day), at(9 * day + 1))).then([counted(7, 9, at(8.5 * day), at(9 * day + 1))]);
    const ledger = foldWorld([...chain, ...history]).location('A').ledgers.get('X');
    expect(ledger?.movements.length).toBe(1);
  });
});
