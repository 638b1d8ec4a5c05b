/**
 * What the dedupe window promises (docs/streams.md, "What bounds what"): a repeat of a fact that
 * occurred inside the window decides nothing; the window is counted from the fact's occurredAt
 * back from the latest recordedAt of the stream, so a late till or a days-long POS retry is
 * always inside it.
 */
import { describe, expect, it } from 'vitest';
import type { StockCommand } from '../commands';
import { DEDUPE_WINDOW_MS } from '../time';
import { foldWorld, given } from '../testing/spec';
import { T0, chain, stockReceived, stockSold } from '../testing/fixtures';

const DAY = 24 * 60 * 60 * 1000;
const plus = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const sale = (now: string): StockCommand => ({ type: 'RecordSale', locationId: 'A', saleId: 'shop1:42', occurredAt: T0, now, lines: [{ sku: 'X', quantity: 1 }] });

describe('the dedupe window', () => {
  it('given a sale, when the POS redelivers it 29 days later (other sales recorded meanwhile), then nothing is decided', () => {
    given(chain, stockSold('A', 'X', 1, T0, 'shop1:42'), stockSold('A', 'X', 1, plus(29 * DAY), 'other'))
      .when(sale(plus(29 * DAY)))
      .then([]);
  });

  it('given a sale from an offline till a day late, when it is redelivered, then nothing is decided', () => {
    given(chain, stockSold('A', 'X', 1, T0, 'shop1:42', plus(DAY)), stockSold('A', 'X', 1, plus(10 * DAY), 'later'))
      .when(sale(plus(10 * DAY)))
      .then([]);
  });

  it('given a sale older than the window, then the state no longer holds its key (the event store id dedupe answers a repeat)', () => {
    const history = [...chain, stockReceived('A', 'X', 5), stockSold('A', 'X', 1, T0, 'shop1:42'), stockSold('A', 'X', 1, plus(DEDUPE_WINDOW_MS + DAY), 'later')];
    const state = foldWorld(history).location('A');
    expect(state.seen.has('sale:shop1:42')).toBe(false);
    expect(state.seen.has('sale:later')).toBe(true);
    expect(state.ledgers.get('X')!.onHand).toBe(3);
  });
});
