/**
 * FIFO cost lots of one (location, SKU), as pure functions.
 *
 * Invariant: sum(lots.quantity) - deficit = on-hand units. A sale is never refused, so
 * units can leave before they arrive; they are owed as `deficit`, costed at the last known
 * unit cost, and the next receipt settles the deficit before it creates a lot.
 */
export interface Lot {
  /** When the units first entered the chain (kept across transfers, for aging). */
  readonly receivedAt: string;
  readonly quantity: number;
  /** Integer cents per unit. */
  readonly unitCost: number;
}

export interface LotState {
  readonly lots: readonly Lot[];
  readonly deficit: number;
  /** Cost of the latest receipt (or the product's cost): prices found units and a deficit. */
  readonly lastUnitCost: number;
  /** Cost of the most recently consumed unit: prices returns. */
  readonly lastConsumedUnitCost?: number;
}

export const emptyLots = (lastUnitCost = 0): LotState => ({ lots: [], deficit: 0, lastUnitCost });

export const valueOf = (state: LotState): number => state.lots.reduce((sum, lot) => sum + lot.quantity * lot.unitCost, 0);
export const costOf = (lots: readonly Lot[]): number => lots.reduce((sum, lot) => sum + lot.quantity * lot.unitCost, 0);
export const unitsOf = (lots: readonly Lot[]): number => lots.reduce((sum, lot) => sum + lot.quantity, 0);

/** Adds lots (in FIFO order by original receipt date); owed units are settled first. */
export function addLots(state: LotState, incoming: readonly Lot[]): LotState {
  let deficit = state.deficit;
  const lots = [...state.lots];
  for (const lot of incoming) {
    const settle = Math.min(deficit, lot.quantity);
    deficit -= settle;
    if (lot.quantity - settle <= 0) continue;
    const kept = { ...lot, quantity: lot.quantity - settle };
    // Stable insert: after every lot received at or before it.
    let at = lots.length;
    while (at > 0 && lots[at - 1]!.receivedAt > kept.receivedAt) at--;
    lots.splice(at, 0, kept);
  }
  return { ...state, lots, deficit };
}

/**
 * Takes `quantity` units, oldest first. Units beyond the lots become deficit and are
 * returned as a lot at `lastUnitCost` dated `at`, so the caller always gets `quantity` units.
 */
export function consume(state: LotState, quantity: number, at: string): { state: LotState; taken: Lot[] } {
  const { taken, rest } = takeFifo(state.lots, quantity);
  const missing = quantity - unitsOf(taken);
  if (missing > 0) taken.push({ receivedAt: at, quantity: missing, unitCost: state.lastUnitCost });
  const last = taken[taken.length - 1];
  return {
    state: {
      ...state,
      lots: rest,
      deficit: state.deficit + missing,
      ...(last ? { lastConsumedUnitCost: last.unitCost } : {}),
    },
    taken,
  };
}

/** Splits lots into the oldest `quantity` units and the rest (fewer if there are not enough). */
export function takeFifo(lots: readonly Lot[], quantity: number): { taken: Lot[]; rest: Lot[] } {
  const taken: Lot[] = [];
  const rest: Lot[] = [];
  let need = quantity;
  for (const lot of lots) {
    if (need <= 0) {
      rest.push(lot);
      continue;
    }
    const take = Math.min(need, lot.quantity);
    taken.push({ ...lot, quantity: take });
    need -= take;
    if (lot.quantity > take) rest.push({ ...lot, quantity: lot.quantity - take });
  }
  return { taken, rest };
}
