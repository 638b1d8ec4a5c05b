/**
 * What a decision may look at: the current state of the streams it names. The command service
 * loads them before deciding; tests fold `given` events into them. Lookups are synchronous and
 * side-effect free, so deciding stays pure.
 */
import type { ProductState } from './catalog/product-state';
import type { LocationState } from './locations/location-state';
import type { TransferState } from './transfers/transfer-state';
import { NotFound } from './errors';

export interface DecisionView {
  location(locationId: string): LocationState;
  product(sku: string): ProductState;
  transfer(transferId: string): TransferState;
}

export function requireLocation(view: DecisionView, locationId: string): LocationState {
  const location = view.location(locationId);
  if (!location.registered) throw new NotFound(`unknown location ${locationId}`, 'unknown-location');
  return location;
}

export function requireProducts(view: DecisionView, skus: Iterable<string>): void {
  for (const sku of skus) {
    if (!view.product(sku).registered) throw new NotFound(`unknown sku ${sku}`, 'unknown-sku');
  }
}
