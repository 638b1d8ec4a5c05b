/**
 * Which way each adjustment reason moves stock. A reason is a claim about what happened to the
 * units ("damaged" means some are gone), so the sign of the quantity must agree with it: a
 * positive "damaged" is a typing slip that would add the units it meant to write off.
 * Pure and dependency-free: the dashboard imports it to ask for units in the right direction.
 */
import type { EventData } from '../../../schemas/types';

/** The reasons of the schema (schemas/common.ts `adjustmentReason`): a new reason breaks the table below. */
export type AdjustmentReason = EventData<'StockAdjusted'>['reason'];

/** `remove`: the quantity must be negative; `add`: positive; `either`: signed as typed. */
export type AdjustmentDirection = 'remove' | 'add' | 'either';

export const reasonDirection: Readonly<Record<AdjustmentReason, AdjustmentDirection>> = {
  damaged: 'remove',
  shrinkage: 'remove',
  theft: 'remove',
  expired: 'remove',
  found: 'add',
  correction: 'either',
  other: 'either',
};

/** Why `quantity` contradicts `reason`, or undefined when they agree. */
export function directionProblem(reason: AdjustmentReason, quantity: number): string | undefined {
  const direction = reasonDirection[reason];
  switch (direction) {
    case 'remove':
      return quantity > 0 ? `"${reason}" removes stock: quantity must be negative (e.g. -${quantity})` : undefined;
    case 'add':
      return quantity < 0 ? `"${reason}" adds stock: quantity must be positive (e.g. ${-quantity})` : undefined;
    case 'either':
      return undefined;
    default: {
      const _exhaustive: never = direction;
      return _exhaustive;
    }
  }
}

/** The signed quantity for `units` (a positive count typed by a person) under `reason`. */
export function signedUnits(reason: AdjustmentReason, units: number, removing: boolean): number {
  const direction = reasonDirection[reason];
  switch (direction) {
    case 'remove': return -Math.abs(units);
    case 'add': return Math.abs(units);
    case 'either': return removing ? -Math.abs(units) : Math.abs(units);
    default: {
      const _exhaustive: never = direction;
      return _exhaustive;
    }
  }
}
