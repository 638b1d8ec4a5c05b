import { describe, expect, test } from 'vitest';
import { moneyAmount } from './csv';
import { matchesSearch, pageOf, sortRows, stockStatus } from './list-query';

describe('list conventions', () => {
  test('search is case-insensitive, partial, and every word must match some text', () => {
    expect(matchesSearch('mug', ['MUG-CER', 'Ceramic mug'])).toBe(true);
    expect(matchesSearch('cer upt', ['MUG-CER', 'Ceramic mug', 'Uptown'])).toBe(true);
    expect(matchesSearch('cer down', ['MUG-CER', 'Ceramic mug', 'Uptown'])).toBe(false);
    expect(matchesSearch(undefined, [])).toBe(true);
  });
  test('sorting by a column, descending with a minus, ties broken stably, missing values last', () => {
    const rows = [{ k: 'b', n: 2 }, { k: 'a', n: 2 }, { k: 'c', n: undefined }, { k: 'd', n: 10 }];
    const key = (r: { n?: number }, c: string) => (c === 'n' ? r.n : undefined);
    expect(sortRows([...rows], 'n', key, (r) => r.k).map((r) => r.k)).toEqual(['a', 'b', 'd', 'c']);
    expect(sortRows([...rows], '-n', key, (r) => r.k).map((r) => r.k)).toEqual(['d', 'a', 'b', 'c']);
  });
  test('pages cover every row once', () => {
    const rows = Array.from({ length: 7 }, (_, i) => i);
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = pageOf(rows, 3, cursor);
      expect(page.total).toBe(7);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(rows);
  });
  test('stock status: negative, out, low at or under the reorder point, ok', () => {
    expect([stockStatus(-1, 3), stockStatus(0, 3), stockStatus(3, 3), stockStatus(4, 3), stockStatus(1, undefined)]).toEqual(['negative', 'out', 'low', 'ok', 'ok']);
  });
  test('money in CSV is an amount in the currency', () => {
    expect(moneyAmount(270, 'USD')).toBe('2.70');
    expect(moneyAmount(5, 'EUR')).toBe('0.05');
    expect(moneyAmount(-1234, 'USD')).toBe('-12.34');
    expect(moneyAmount(2500, 'JPY')).toBe('2500');
    expect(moneyAmount(1005, 'BHD')).toBe('1.005');
    expect(moneyAmount(undefined, 'USD')).toBeUndefined();
  });
});
