import { describe, expect, it } from 'vitest';
import type { PosConnection } from '../pos/connections/connection-store';
import type { PosItemDoc } from './catalog-collections';
import { pushMapOf } from './derived-map';

const connection = (kind: PosConnection['kind'], skuMap: Record<string, string> = {}): PosConnection => ({
  id: 'c', kind, secret: 'webhook-secret-1', locationMap: {}, skuMap, disabled: false, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
});
const item = (posItemId: string, sku: string, aliases: string[] = []): PosItemDoc =>
  ({ _id: `c|${posItemId}`, connectionId: 'c', posItemId, sku, aliases, position: '1' });
const alias = (posItemId: string, sku: string, of: string): PosItemDoc =>
  ({ _id: `c|${posItemId}`, connectionId: 'c', posItemId, sku, aliases: [], aliasOf: of, position: '1' });

describe('push map derived from the catalog', () => {
  const shopifyDocs = [item('V1', 'A', ['INV1']), alias('INV1', 'A', 'V1'), item('V2', 'B', ['INV2']), alias('INV2', 'B', 'V2'), item('V3', 'C')];

  it('given Shopify links, then only inventory item ids are push targets (never variant ids)', () => {
    expect(pushMapOf(connection('shopify'), shopifyDocs)).toEqual({ INV1: 'A', INV2: 'B' });
  });

  it('given a hand-made entry keyed by a known variant, then it overrides that variant\'s inventory item', () => {
    expect(pushMapOf(connection('shopify', { V2: 'Z' }), shopifyDocs)).toEqual({ INV1: 'A', INV2: 'Z' });
  });

  it('given a hand-made entry keyed by an id the catalog does not know, then it is a push id itself, and wins over the derived one', () => {
    expect(pushMapOf(connection('shopify', { INV9: 'Q', INV1: 'Y' }), shopifyDocs)).toEqual({ INV1: 'Y', INV2: 'B', INV9: 'Q' });
  });

  it('given Square links, then the item variation ids are the push targets; the hand map overrides', () => {
    expect(pushMapOf(connection('square', { VAR2: 'Z' }), [item('VAR1', 'A'), item('VAR2', 'B')])).toEqual({ VAR1: 'A', VAR2: 'Z' });
  });

  it('given no catalog, then the hand-made map is the push map, as before', () => {
    expect(pushMapOf(connection('shopify', { INV1: 'A' }), [])).toEqual({ INV1: 'A' });
  });
});
