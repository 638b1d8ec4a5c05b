import { describe, expect, it } from 'vitest';
import { projections } from './index';
import { ev, project, recorded } from './testing/project';

describe('catalog projection', () => {
  it('given products and locations registered, then their documents appear', async () => {
    const r = await project(projections, recorded(
      ev('LocationRegistered', { locationId: 'store-1', name: 'Main St', locationType: 'store' }, '2026-03-01T08:00:00.000Z'),
      ev('ProductRegistered', { sku: 'S1', name: 'Soap', unitCost: 120, reorderPoint: 4 }, '2026-03-01T08:00:00.000Z'),
    ));
    expect(r.docs('locations')).toEqual([{ _id: 'store-1', id: 'store-1', name: 'Main St', type: 'store', position: '1' }]);
    expect(r.docs('products')).toEqual([{ _id: 'S1', sku: 'S1', name: 'Soap', unitCost: 120, reorderPoint: 4, position: '2' }]);
  });
});
