import { describe, expect, it } from 'vitest';
import { BusinessRuleViolation, InvalidCommand, NotFound } from '../errors';
import { directionProblem, reasonDirection, signedUnits } from './adjustment-direction';
import { given } from '../testing/spec';
import { T0, at, chain, stockAdjusted, stockCounted, stockReceived, stockSold } from '../testing/fixtures';
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
    given(chain).when(adjust(-1, { sku: 'NOPE' })).thenThrows(NotFound, 'unknown-sku');
    given(chain).when(adjust(-1, { locationId: 'Z' })).thenThrows(NotFound, 'unknown-location');
  });
});

describe('the reason sets the direction', () => {
  for (const reason of ['damaged', 'theft', 'shrinkage', 'expired'] as const) {
    it(`refuses "${reason}" with a positive quantity, naming the quantity`, () => {
      given(chain, stockReceived('A', 'X', 22)).when(adjust(1, { reason })).thenThrows(InvalidCommand, 'wrong-direction');
    });
    it(`writes off with "${reason}" and a negative quantity`, () => {
      given(chain, stockReceived('A', 'X', 22)).when(adjust(-1, { reason })).then([{
        type: 'StockAdjusted',
        data: { locationId: 'A', adjustmentId: 'a1', sku: 'X', quantity: -1, reason, occurredAt: T0, recordedAt: T0 },
      }]);
    });
  }

  it('refuses "found" with a negative quantity', () => {
    given(chain, stockReceived('A', 'X', 22)).when(adjust(-1, { reason: 'found' })).thenThrows(InvalidCommand, 'wrong-direction');
  });

  it('takes "correction" and "other" either way', () => {
    for (const reason of ['correction', 'other'] as const) {
      for (const quantity of [-2, 2]) {
        given(chain, stockReceived('A', 'X', 22)).when(adjust(quantity, { reason })).then([{
          type: 'StockAdjusted',
          data: { locationId: 'A', adjustmentId: 'a1', sku: 'X', quantity, reason, occurredAt: T0, recordedAt: T0 },
        }]);
      }
    }
  });

  it('checks the direction before the idempotency key: a wrong-way repeat is refused, not silently ignored', () => {
    given(chain, stockReceived('A', 'X', 1), stockAdjusted('A', 'X', -1, T0, 'a1')).when(adjust(1)).thenThrows(InvalidCommand, 'wrong-direction');
  });
});

describe('signed units from what a person types', () => {
  it('makes removing reasons negative and "found" positive whatever was typed', () => {
    expect(signedUnits('damaged', 3, false)).toBe(-3);
    expect(signedUnits('damaged', -3, false)).toBe(-3);
    expect(signedUnits('found', 3, true)).toBe(3);
    expect(signedUnits('correction', 3, true)).toBe(-3);
    expect(signedUnits('correction', 3, false)).toBe(3);
  });
  it('agrees with the decider for every reason', () => {
    for (const reason of Object.keys(reasonDirection) as Array<keyof typeof reasonDirection>) {
      for (const removing of [true, false]) expect(directionProblem(reason, signedUnits(reason, 4, removing))).toBeUndefined();
    }
  });
});

describe('an adjustment dated when it happened (a phone that was offline)', () => {
  const late = (quantity: number, occurredAt: string, now: string, over: Partial<AdjustStockCommand> = {}) => adjust(quantity, { occurredAt, now, ...over });

  it('given stock on hand, when a write-off made 30 minutes ago arrives, then it is dated when it happened and recorded now', () => {
    given(chain, stockReceived('A', 'X', 5)).when(late(-1, at(30), at(60))).then([{
      type: 'StockAdjusted',
      data: { locationId: 'A', adjustmentId: 'a1', sku: 'X', quantity: -1, reason: 'damaged', occurredAt: at(30), recordedAt: at(60) },
    }]);
  });

  it('accepts a phone clock up to 5 minutes ahead and refuses one further ahead', () => {
    given(chain, stockReceived('A', 'X', 5)).when(late(-1, at(64), at(60))).then([{
      type: 'StockAdjusted',
      data: { locationId: 'A', adjustmentId: 'a1', sku: 'X', quantity: -1, reason: 'damaged', occurredAt: at(64), recordedAt: at(60) },
    }]);
    given(chain, stockReceived('A', 'X', 5)).when(late(-1, at(66), at(60))).thenThrows(BusinessRuleViolation, 'adjustment-in-future');
  });

  it('given a count that found none left, a write-off dated before that count is recorded (the count saw it) and not checked against the balance', () => {
    const history = [...chain, stockReceived('A', 'X', 2), stockCounted('A', 'X', 0, 2, at(10))];
    given(...history).when(late(-1, at(5), at(20))).then([{
      type: 'StockAdjusted',
      data: { locationId: 'A', adjustmentId: 'a1', sku: 'X', quantity: -1, reason: 'damaged', occurredAt: at(5), recordedAt: at(20) },
    }]);
  });

  it('given the same count, a write-off dated after it moves stock and is refused below zero', () => {
    given(chain, stockReceived('A', 'X', 2), stockCounted('A', 'X', 0, 2, at(10))).when(late(-1, at(15), at(20))).thenThrows(BusinessRuleViolation, 'insufficient-stock');
  });

  it('a resend of an applied adjustment decides nothing, whatever time it carries', () => {
    given(chain, stockReceived('A', 'X', 1), stockAdjusted('A', 'X', -1, at(5), 'a1')).when(late(-1, at(5), at(30))).then([]);
  });
});
