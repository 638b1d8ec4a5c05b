/**
 * The on-hand rule, in one place for every model that keeps a balance (the stock model, the
 * outbox's announced balances). Same rule as the domain: a movement whose occurredAt is at or
 * before the last count of that location and SKU does not change on-hand (the physical count
 * already saw it); a count moves on-hand by its adjustment; in-transit and lost units never do.
 */
import type { Effect } from './stock-effects';

export interface Balance {
  readonly onHand: number;
  /** occurredAt of the latest count (movements at or before it were already counted). */
  readonly lastCountAt?: string;
}

/** True when a movement at `at` was already reflected by the last count. */
export const alreadyCounted = (balance: Balance, at: string): boolean =>
  balance.lastCountAt !== undefined && at <= balance.lastCountAt;

/** The balance after one line effect that occurred at `at` (ISO, UTC). Pure. */
export function applyToBalance(balance: Balance, effect: Effect, at: string): Balance {
  switch (effect.type) {
    case 'transit':
    case 'transfer_shortfall':
      return balance;
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
    case 'transfer_in':
      return alreadyCounted(balance, at) ? balance : { ...balance, onHand: balance.onHand + effect.quantity };
    default: {
      const _exhaustive: never = effect.type;
      return _exhaustive;
    }
  }
}
