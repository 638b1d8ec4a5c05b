import { describe, expect, test } from 'vitest';
import { countLabel, createdLocationId, fromLocalInput, toLocalInput } from './onboarding';

describe('the go-live flow\'s helpers', () => {
  test('a created location gets the id the POS import gives it (connection-posLocationId, safe characters, 64 at most)', () => {
    expect(createdLocationId('shop', '8100000000000900000')).toBe('shop-8100000000000900000');
    expect(createdLocationId('sq', 'L 7/ä')).toBe('sq-L-7--');
    expect(createdLocationId('c'.repeat(60), '123456789')).toHaveLength(64);
  });
  test('an import\'s counts read as words, unknown ones readably', () => {
    expect(countLabel('balances.invalidQuantity')).toBe('negative or fractional quantities left out');
    expect(countLabel('catalog.skuClash')).toBe('sku clash');
  });
  test('a datetime-local value round-trips to the same minute', () => {
    const iso = '2026-12-02T10:07:00.000Z';
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
  });
});
