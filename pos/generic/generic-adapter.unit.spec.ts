import { describe, expect, it } from 'vitest';
import { SchemaViolation } from '../../schemas/validation';
import type { ConnectionMaps } from '../effects';
import { genericEffect } from './generic-adapter';

const c: ConnectionMaps = { id: 'till', kind: 'generic', locationMap: { A: 'store-1' }, skuMap: { 'ITEM 9': 'SKU-9' } };
const event = { eventId: 'e1', type: 'sale', locationId: 'A', occurredAt: '2024-06-01T09:00:00+02:00', lines: [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-1', quantity: 2 }, { sku: 'ITEM 9', quantity: 1 }] };

describe('genericEffect', () => {
  it('maps the POS location and SKUs, merges repeated SKUs and keeps the till time in UTC', () => {
    expect(genericEffect(event, c)).toEqual({
      kind: 'sale',
      tickets: [{ eventId: 'e1', locationId: 'store-1', occurredAt: '2024-06-01T07:00:00.000Z', lines: [{ sku: 'SKU-1', quantity: 3 }, { sku: 'SKU-9', quantity: 1 }] }],
    });
  });

  it('an unmapped location is quarantined; a body off its schema is rejected', () => {
    expect(genericEffect({ ...event, locationId: 'B' }, c)).toMatchObject({ kind: 'quarantine', reason: 'unmapped-location', posEventId: 'e1' });
    expect(() => genericEffect({ ...event, type: 'gift' }, c)).toThrow(SchemaViolation);
    expect(() => genericEffect({ ...event, extra: 1 }, c)).toThrow(SchemaViolation);
  });
});
