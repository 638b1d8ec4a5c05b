import { describe, it } from 'vitest';
import { NotFound } from '../errors';
import { given } from '../testing/spec';
import { T0, chain } from '../testing/fixtures';
import type { DomainEvent } from '../../../schemas/types';

const set: DomainEvent = { type: 'ReorderPointSet', data: { locationId: 'A', sku: 'X', reorderPoint: 4, occurredAt: T0, recordedAt: T0 } };

describe('setting a reorder point', () => {
  it('records it, and records nothing when it is already that value', () => {
    given(chain).when({ type: 'SetReorderPoint', locationId: 'A', sku: 'X', reorderPoint: 4, now: T0 }).then([set]);
    given(chain, set).when({ type: 'SetReorderPoint', locationId: 'A', sku: 'X', reorderPoint: 4, now: T0 }).then([]);
  });

  it('needs a known location and sku', () => {
    given(chain).when({ type: 'SetReorderPoint', locationId: 'A', sku: 'NOPE', reorderPoint: 4, now: T0 }).thenThrows(NotFound, 'unknown-sku');
  });
});
