import { describe, expect, test } from 'vitest';
import { amountOf, sortLocally, toCsv, type Column } from './table';

describe('the DataTable helpers', () => {
  test('money exports as an amount in the currency, not minor units', () => {
    expect(amountOf(270, 2)).toBe('2.70');
    expect(amountOf(-5, 2)).toBe('-0.05');
    expect(amountOf(1500, 0)).toBe('1500');
  });
  test('local sort: numbers as numbers, text ignoring case, minus for descending', () => {
    const rows = [{ n: 10, t: 'b' }, { n: 9, t: 'A' }, { n: 100, t: 'c' }];
    expect(sortLocally(rows, 'n').map((r) => r.n)).toEqual([9, 10, 100]);
    expect(sortLocally(rows, '-t').map((r) => r.t)).toEqual(['c', 'b', 'A']);
  });
  test('CSV quotes what needs it and guards formulas, but keeps negative numbers', () => {
    const columns: Column[] = [{ key: 'a', label: 'Name, full' }, { key: 'b', label: 'B' }];
    const csv = toCsv(columns, [{ a: '=cmd()', b: '-3' }, { a: 'say "hi"', b: '1' }], (c, r) => String(r[c.key]));
    expect(csv).toBe('"Name, full",B\r\n\'=cmd(),-3\r\n"say ""hi""",1\r\n');
  });
});
