/**
 * On-hand per (location, SKU) as the outbox projection keeps it, by the same rules as the stock
 * model: line effects come from the stock model's own `effectsOf`, and the count ordering rule
 * of `stock-apply.ts` decides whether a movement changes on-hand. The stock model's
 * `applyEffect` cannot be reused here: it also writes FIFO lots and transit documents that
 * belong to the stock projection. A unit test checks both agree on the same events.
 */
import type { Effect } from '../projections/models/stock-effects';

export interface Balance {
  readonly onHand: number;
  /** occurredAt of the latest count (movements at or before it were already counted). */
  readonly lastCountAt?: string;
}

/** The balance after one line effect that occurred at `at` (ISO, UTC). Pure. */
export function applyToBalance(balance: Balance, effect: Effect, at: string): Balance {
  switch (effect.type) {
    case 'transit':
    case 'transfer_shortfall':
      return balance; // in-transit figures and lost units never touch on-hand
    case 'count':
      return {
        onHand: balance.onHand + effect.quantity,
        lastCountAt: balance.lastCountAt === undefined || at > balance.lastCountAt ? at : balance.lastCountAt,
      };
    case 'receipt':
    case 'sale':
    case 'return':
    case 'adjustment':
    case 'transfer_out':
    case 'transfer_in': {
      const alreadyCounted = balance.lastCountAt !== undefined && at <= balance.lastCountAt;
      return alreadyCounted ? balance : { ...balance, onHand: balance.onHand + effect.quantity };
    }
    default: {
      const _exhaustive: never = effect.type;
      return _exhaustive;
    }
  }
}

/** Low stock, as the alert model defines it: a reorder point is set and on-hand is at or below it. */
export const isLow = (onHand: number, reorderPoint: number | undefined): boolean =>
  reorderPoint !== undefined && onHand <= reorderPoint;
