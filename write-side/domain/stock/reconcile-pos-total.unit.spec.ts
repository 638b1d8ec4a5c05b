import { describe, expect, it } from 'vitest';
import { BusinessRuleViolation, NotFound } from '../errors';
import { onHandOf } from '../locations/location-state';
import { foldWorld, given } from '../testing/spec';
import { at, chain, stockReceived, stockSold } from '../testing/fixtures';
import type { ReconcilePosTotalCommand } from '../commands';
import type { DomainEvent } from '../../../schemas/types';

const observe = (posQuantity: number, observedAt: string, now: string, over: Partial<ReconcilePosTotalCommand> = {}): ReconcilePosTotalCommand => ({
  type: 'ReconcilePosTotal', locationId: 'A', sku: 'X', connectionId: 'shop1', posEventId: 'e1', posQuantity, observedAt, now, ...over,
});
const history = [stockReceived('A', 'X', 10, at(0)), stockSold('A', 'X', 2, at(30))];

describe('reconciling a POS total', () => {
  it('records both numbers when they differ, and never overwrites the balance', () => {
    const discrepancy: DomainEvent = {
      type: 'PosDiscrepancyRecorded',
      data: {
        locationId: 'A', sku: 'X', connectionId: 'shop1', posEventId: 'e1', posQuantity: 5, ourQuantity: 8, difference: -3,
        occurredAt: at(40), recordedAt: at(41),
      },
    };
    given(chain, history).when(observe(5, at(40), at(41))).then([discrepancy]);
    expect(onHandOf(foldWorld([...chain, ...history, discrepancy]).location('A'), 'X')).toBe(8);
  });

  it('compares with our balance at the observation instant, not now', () => {
    // at 10:20 the sale (10:30) had not happened: our balance was 10
    given(chain, history).when(observe(10, at(20), at(41))).then([]);
  });

  it('refuses an observation older than the horizon, and unknown skus', () => {
    given(chain, history).when(observe(1, at(0), at(8 * 24 * 60))).thenThrows(BusinessRuleViolation, 'observation-too-old');
    given(chain, history).when(observe(1, at(0), at(1), { sku: 'NOPE' })).thenThrows(NotFound, 'unknown-sku');
  });
});
