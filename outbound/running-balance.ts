/**
 * On-hand per (location, SKU) as the outbox projection keeps it: the stock model's own rule
 * (`projections/models/on-hand.ts`), so announced balances can never drift from the stock model's.
 */
export { applyToBalance, type Balance } from '../projections/models/on-hand';

/** Low stock, as the alert model defines it: a reorder point is set and on-hand is at or below it. */
export const isLow = (onHand: number, reorderPoint: number | undefined): boolean =>
  reorderPoint !== undefined && onHand <= reorderPoint;
