import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../schemas/types';
import { assertValidEvent } from '../../schemas/validation';
import { NotFound } from '../../write-side/domain/errors';
import { decideCategorize, decideProductDetails, evolveProductDetails, initialProductDetails, POS_WINS, type SyncProductDetails } from './product-details';
import { specFor } from './testing';

const T = '2024-06-02T12:00:00.000Z';
const at = { occurredAt: T, recordedAt: T };
const product = specFor(initialProductDetails, evolveProductDetails);

const registered = (category?: string): DomainEvent => ({ type: 'ProductRegistered', data: { sku: 'S1', name: 'Shirt', ...(category && { category }), ...at } });
const categorized = (category: string | null, previous?: string): DomainEvent =>
  ({ type: 'ProductCategorized', data: { sku: 'S1', category, ...(previous !== undefined && { previous }), ...at } });
const categorize = (category: string | null) => (s: Parameters<typeof decideCategorize>[1]) => decideCategorize({ type: 'CategorizeProduct', sku: 'S1', category, now: T }, s);
const sync = (o: Partial<SyncProductDetails> = {}): SyncProductDetails => ({
  type: 'SyncProductDetails', sku: 'S1', name: 'Shirt', origin: 'pos', policy: POS_WINS, occurredAt: T, now: T, ...o,
});

describe('a person sets a product category', () => {
  it('sets a category on a product that has none', () => {
    product(registered()).when(categorize('Shirts')).then([categorized('Shirts')]);
  });

  it('changes it, naming the previous one', () => {
    product(registered('Shirts')).when(categorize('Tops')).then([categorized('Tops', 'Shirts')]);
  });

  it('clears it with null', () => {
    product(registered(), categorized('Shirts')).when(categorize(null)).then([categorized(null, 'Shirts')]);
  });

  it('appends nothing when the category is unchanged (a resend is a no-op)', () => {
    product(registered('Shirts')).when(categorize('Shirts')).then([]);
    product(registered()).when(categorize(null)).then([]);
    product(registered(), categorized('Tops'), categorized(null, 'Tops')).when(categorize(null)).then([]);
  });

  it('refuses an unknown SKU', () => {
    product().when(categorize('Shirts')).thenThrows(NotFound, 'unknown-sku');
  });

  it('decides events the log accepts, and refuses an untrimmed or too long category there', () => {
    const meta = { actor: { kind: 'user', id: 'u' }, source: 'api', correlationId: 'c' };
    expect(() => assertValidEvent('ProductCategorized', { sku: 'S1', category: null, previous: 'Shirts', ...at }, meta)).not.toThrow();
    expect(() => assertValidEvent('ProductCategorized', { sku: 'S1', category: ' Shirts', ...at }, meta)).toThrow();
    expect(() => assertValidEvent('ProductCategorized', { sku: 'S1', category: 'x'.repeat(101), ...at }, meta)).toThrow();
    expect(() => assertValidEvent('ProductRegistered', { sku: 'S1', name: 'Shirt', category: '', ...at }, meta)).toThrow();
  });
});

describe('the category from the POS', () => {
  it('registers a new product with the POS category', () => {
    product().when((s) => decideProductDetails(sync({ category: 'Shirts' }), s)).then([registered('Shirts')]);
  });

  it('follows the names rule: the POS wins by default and overwrites', () => {
    product(registered('Tops')).when((s) => decideProductDetails(sync({ category: 'Shirts' }), s)).then([categorized('Shirts', 'Tops')]);
  });

  it('with names kept in Stocktide, the POS fills an empty category but never overwrites one', () => {
    const ours = { names: 'stocktide', prices: 'pos' } as const;
    product(registered()).when((s) => decideProductDetails(sync({ category: 'Shirts', policy: ours }), s)).then([categorized('Shirts')]);
    product(registered('Tops')).when((s) => decideProductDetails(sync({ category: 'Shirts', policy: ours }), s)).then([]);
  });

  it('a POS item without a category clears nothing; the same category again is silent', () => {
    product(registered('Tops')).when((s) => decideProductDetails(sync(), s)).then([]);
    product(registered('Shirts')).when((s) => decideProductDetails(sync({ category: 'Shirts' }), s)).then([]);
  });
});
