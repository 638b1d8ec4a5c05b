import { expect, test } from 'vitest';
import { hrefOf, parseHash } from './router';

test('given a hash with parameters, when parsed, then screen and parameters', () => {
  expect(parseHash('#/movements?locationId=S1&sku=TEE%2FM')).toEqual({ name: 'movements', params: { locationId: 'S1', sku: 'TEE/M' } });
});

test('given an unknown or empty hash, when parsed, then the chain overview (the landing page)', () => {
  expect(parseHash('#/nope').name).toBe('overview');
  expect(parseHash('').name).toBe('overview');
});

test('hrefs round-trip and leave out empty parameters', () => {
  const href = hrefOf('stock', { locationId: 'S 1', sku: undefined, minPosition: '' });
  expect(href).toBe('#/stock?locationId=S+1');
  expect(parseHash(href)).toEqual({ name: 'stock', params: { locationId: 'S 1' } });
});
