/**
 * The balance of one sku at one location, defined over occurredAt (CONTRACT: "a count sets the
 * balance as of countedAt, and movements recorded after it still apply").
 *
 * - `onHand` is the balance now.
 * - `lastCountAt`: a movement that occurred at or before it is already reflected in the
 *   physical count, so it does not change `onHand` even when it arrives late.
 * - `movements` keeps the recent (occurredAt, delta) pairs, so the balance at an earlier instant
 *   (a count's book quantity, a POS total) is `onHand` minus what occurred after that instant.
 *   Entries are kept in arrival order and pruned from the front once older than the horizon.
 */
export interface Movement {
  readonly at: number;
  readonly delta: number;
}

export interface SkuLedger {
  onHand: number;
  lastCountAt: number | undefined;
  movements: Movement[];
  reorderPoint: number | undefined;
}

export const emptyLedger = (): SkuLedger => ({ onHand: 0, lastCountAt: undefined, movements: [], reorderPoint: undefined });

/** True when a movement at `at` still changes the balance (it is not before the last count). */
export const movementApplies = (ledger: SkuLedger, at: number): boolean =>
  ledger.lastCountAt === undefined || at > ledger.lastCountAt;

export function applyMovement(ledger: SkuLedger, at: number, delta: number): void {
  if (!movementApplies(ledger, at)) return;
  ledger.onHand += delta;
  ledger.movements.push({ at, delta });
}

/** A count sets the balance at `at`; its adjustment is kept as a movement so earlier balances stay answerable. */
export function applyCount(ledger: SkuLedger, at: number, adjustment: number): void {
  ledger.onHand += adjustment;
  ledger.lastCountAt = at;
  if (adjustment !== 0) ledger.movements.push({ at, delta: adjustment });
}

/** The balance at instant `at`: everything that occurred after it is taken back out. */
export function balanceAt(ledger: SkuLedger | undefined, at: number): number {
  if (!ledger) return 0;
  let balance = ledger.onHand;
  for (const m of ledger.movements) if (m.at > at) balance -= m.delta;
  return balance;
}

/** Drops leading movements older than `before`; only instants at or after `before` are ever asked for. */
export function pruneLedger(ledger: SkuLedger, before: number): void {
  let drop = 0;
  while (drop < ledger.movements.length && ledger.movements[drop]!.at < before) drop += 1;
  if (drop > 0) ledger.movements.splice(0, drop);
}
