import { describe, expect, test } from 'vitest';
import { costWarning, countWarnings, describeChanges } from './entry-checks';
import { resolveSku } from './sku';

const catalog = [{ sku: 'MUG-CER' }, { sku: 'Tee-S' }, { sku: 'TEE-S' }];

describe('SKUs typed in any case', () => {
  test('given a lowercase SKU with one match, when resolved, then the catalog spelling', () => {
    expect(resolveSku(' mug-cer ', catalog)).toBe('MUG-CER');
  });
  test('given an exact SKU, when resolved, then itself even where another differs by case', () => {
    expect(resolveSku('Tee-S', catalog)).toBe('Tee-S');
  });
  test('given two products differing only in case, when resolved, then no guess', () => {
    expect(resolveSku('tee-s', catalog)).toBe('tee-s');
    expect(resolveSku('nope', catalog)).toBe('nope');
  });
});

describe('counts that need a second look', () => {
  test('given a count of 0 on a stocked line, then it asks', () => {
    expect(countWarnings([{ sku: 'HOODIE', counted: 0, onHand: 28 }], 'Uptown')).toEqual(['A count of 0 sets HOODIE at Uptown from 28 to 0.']);
  });
  test('given a drop by more than half, then it asks; by half or less, then not', () => {
    expect(countWarnings([{ sku: 'X', counted: 4, onHand: 10 }], 'A')).toHaveLength(1);
    expect(countWarnings([{ sku: 'X', counted: 5, onHand: 10 }, { sku: 'Y', counted: 12, onHand: 10 }], 'A')).toEqual([]);
  });
  test('given no line yet or a negative book, then nothing to ask', () => {
    expect(countWarnings([{ sku: 'X', counted: 0, onHand: undefined }, { sku: 'Y', counted: 0, onHand: -2 }], 'A')).toEqual([]);
  });
});

describe('unit costs far from the usual', () => {
  const fmt = (m: number) => (m / 100).toFixed(2);
  test('given 100 times the usual cost, then it asks', () => {
    expect(costWarning('MUG', 27000, 270, fmt)).toBe('Unit cost 270.00 for MUG is far from its usual 2.70.');
  });
  test('given a third of the usual or less, then it asks', () => {
    expect(costWarning('MUG', 80, 270, fmt)).toBeDefined();
  });
  test('given a cost near the usual or no usual cost, then nothing', () => {
    expect(costWarning('MUG', 300, 270, fmt)).toBeUndefined();
    expect(costWarning('MUG', 300, undefined, fmt)).toBeUndefined();
  });
});

test('a change reads as before → after', () => {
  expect(describeChanges('Uptown', new Map([['MUG-CER', 22]]), [{ sku: 'MUG-CER', onHand: 21 }])).toBe('MUG-CER at Uptown: 22 → 21');
});
