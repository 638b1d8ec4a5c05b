/**
 * Applies one line effect to the state of its (location, SKU).
 *
 * On-hand follows `on-hand.ts` (the rule shared with the domain and the outbox); a movement
 * the last count already saw has a ledger row with `effective: false`. In-transit figures
 * are not counted, so they always move. FIFO lots follow on-hand exactly.
 *
 * Returns: the movement's cost consumed/added is folded into `slot.cogs` for sales and returns.
 */
import type { SyncUnitOfWork } from '../runner/sync-fold';
import { COLLECTIONS, type TransitDoc } from './collections';
import { addLots, consume, costOf, takeFifo, unitsOf, type Lot } from './fifo';
import { alreadyCounted, applyToBalance } from './on-hand';
import type { Effect } from './stock-effects';
import type { Slot } from './stock-slot';

const transitKey = (transferId: string, sku: string): string => `${transferId}|${sku}`;

function addTransit(uow: SyncUnitOfWork, transferId: string, sku: string, lots: readonly Lot[]): void {
  const id = transitKey(transferId, sku);
  const doc = uow.get<TransitDoc>(COLLECTIONS.transit, id) ?? { _id: id, transferId, sku, lots: [] };
  uow.put(COLLECTIONS.transit, { ...doc, lots: [...doc.lots, ...lots] });
}

/** Takes units out of transit, oldest first; if fewer are known, the rest is priced at `fallback`. */
function takeTransit(uow: SyncUnitOfWork, transferId: string, sku: string, quantity: number, fallback: Omit<Lot, 'quantity'>): Lot[] {
  const id = transitKey(transferId, sku);
  const doc = uow.get<TransitDoc>(COLLECTIONS.transit, id);
  const { taken, rest } = takeFifo(doc?.lots ?? [], quantity);
  const missing = quantity - unitsOf(taken);
  if (missing > 0) taken.push({ ...fallback, quantity: missing });
  if (rest.length === 0) uow.delete(COLLECTIONS.transit, id);
  else uow.put(COLLECTIONS.transit, { _id: id, transferId, sku, lots: rest });
  return taken;
}

/** Applies the effect; answers whether it changed on-hand (`effective`). */
export function applyEffect(uow: SyncUnitOfWork, slot: Slot, effect: Effect, at: string): boolean {
  const { doc } = slot;
  doc.inTransitIn += effect.transitIn;
  doc.inTransitOut += effect.transitOut;
  const q = effect.quantity;
  switch (effect.type) {
    case 'transit':
      return true;
    case 'count':
      ({ onHand: doc.onHand, lastCountAt: doc.lastCountAt } = applyToBalance(doc, effect, at));
      // An opening count says what the units it adds cost.
      if (effect.unitCost !== undefined) slot.lots = { ...slot.lots, lastUnitCost: effect.unitCost };
      adjustLots(slot, q, at);
      return true;
    case 'transfer_shortfall':
      // Lost on the way: the units leave transit and never reach on-hand.
      takeTransit(uow, effect.transferId!, effect.sku, effect.lost ?? 0, { receivedAt: at, unitCost: slot.lots.lastUnitCost });
      return true;
    case 'receipt':
    case 'sale':
    case 'return':
    case 'adjustment':
    case 'transfer_out':
    case 'transfer_in':
      return applyMovement(uow, slot, effect, at);
    default: {
      const _exhaustive: never = effect.type;
      return _exhaustive;
    }
  }
}

function adjustLots(slot: Slot, q: number, at: string): void {
  if (q > 0) slot.lots = addLots(slot.lots, [{ receivedAt: at, quantity: q, unitCost: slot.lots.lastUnitCost }]);
  else if (q < 0) slot.lots = consume(slot.lots, -q, at).state;
}

function applyMovement(uow: SyncUnitOfWork, slot: Slot, effect: Effect, at: string): boolean {
  const { doc } = slot;
  const q = effect.quantity;
  const effective = !alreadyCounted(doc, at);
  if (effective) doc.onHand += q;
  switch (effect.type) {
    case 'receipt':
      if (effect.unitCost !== undefined) slot.lots = { ...slot.lots, lastUnitCost: effect.unitCost };
      if (effective) slot.lots = addLots(slot.lots, [{ receivedAt: at, quantity: q, unitCost: slot.lots.lastUnitCost }]);
      break;
    case 'sale':
      if (effective) {
        const { state, taken } = consume(slot.lots, -q, at);
        slot.lots = state;
        slot.cogs += costOf(taken);
      }
      break;
    case 'return':
      // A returned unit comes back as a new lot at the cost of the most recent consumption:
      // the return rarely names the sale it reverses, and this keeps COGS net of returns
      // close to what was charged when the unit left.
      if (effective) {
        const unitCost = slot.lots.lastConsumedUnitCost ?? slot.lots.lastUnitCost;
        slot.lots = addLots(slot.lots, [{ receivedAt: at, quantity: q, unitCost }]);
        slot.cogs -= q * unitCost;
      }
      break;
    case 'adjustment':
      if (effective) adjustLots(slot, q, at);
      break;
    case 'transfer_out': {
      let taken: Lot[] = [{ receivedAt: at, quantity: -q, unitCost: slot.lots.lastUnitCost }];
      if (effective) {
        const result = consume(slot.lots, -q, at);
        slot.lots = result.state;
        taken = result.taken;
      }
      addTransit(uow, effect.transferId!, effect.sku, taken);
      break;
    }
    case 'transfer_in': {
      const taken = takeTransit(uow, effect.transferId!, effect.sku, q, { receivedAt: at, unitCost: slot.lots.lastUnitCost });
      if (effective) slot.lots = addLots(slot.lots, taken);
      break;
    }
    default:
      throw new Error(`not a movement: ${effect.type}`);
  }
  return effective;
}
