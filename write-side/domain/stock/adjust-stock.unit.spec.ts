import { describe, it } from 'vitest';
import { BusinessRuleViolation, NotFound } from '../errors';
import { given } from '../testing/spec';
import { T0, chain, stockAdjusted, stockReceived, stockSold } from '../testing/fixtures';
import type { AdjustStockCommand } from '../commands';

const adjust = (quantity: number, over: Partial<AdjustStockCommand> = {}): AdjustStockCommand => ({
  type: 'AdjustStock', locationId: 'A', adjustmentId: 'a1', sku: 'X', quantity, reason: 'damaged', now: T0, ...over,
});

describe('adjusting stock', () => {
  it('writes off units that are on hand', () => {
    given(chain, stockReceived('A', 'X', 5)).when(adjust(-5, { note: 'dropped' })).then([{
      type: 'StockAdjusted',
      data: { locationId: 'A', adjustmentId: 'a1', sku: 'X', quantity: -5, reason: 'damaged', note: 'dropped', occurredAt: T0, recordedAt: T0 },
    }]);
  });

  it('refuses to take the balance below zero', () => {
    given(chain, stockReceived('A', 'X', 5)).when(adjust(-6)).thenThrows(BusinessRuleViolation, 'insufficient-stock');
  });

  it('refuses any write-off from a negative balance', () => {
    given(chain, stockSold('A', 'X', 2)).when(adjust(-1)).thenThrows(BusinessRuleViolation, 'insufficient-stock');
  });

  it('always accepts a positive adjustment, even on a negative balance', () => {
    given(chain, stockSold('A', 'X', 2)).when(adjust(3, { reason: 'found' })).then([{
      type: 'StockAdjusted',
      data: { locationId: 'A', adjustmentId: 'a1', sku: 'X', quantity: 3, reason: 'found', occurredAt: T0, recordedAt: T0 },
    }]);
  });

  it('decides nothing for an adjustment id already applied', () => {
    given(chain, stockReceived('A', 'X', 1), stockAdjusted('A', 'X', -1, T0, 'a1')).when(adjust(-1)).then([]);
  });

  it('refuses an unknown sku or location', () => {
    given(chain).when(adjust(1, { sku: 'NOPE' })).thenThrows(NotFound, 'unknown-sku');
    given(chain).when(adjust(1, { locationId: 'Z' })).thenThrows(NotFound, 'unknown-location');
  });
});
