/** State of one `supplier-{id}` stream: who the supplier is, whether it is active, its prices. */
import type { DomainEvent } from '../../schemas/types';

export interface SupplierPriceState {
  readonly unitCost: number;
  readonly minOrderQuantity: number;
  readonly packSize: number;
  readonly preferred: boolean;
}

export type SupplierState =
  | { readonly registered: false }
  | {
      readonly registered: true;
      readonly supplierId: string;
      readonly name: string;
      readonly email?: string;
      readonly leadTimeDays: number;
      readonly currency: string;
      readonly active: boolean;
      readonly prices: ReadonlyMap<string, SupplierPriceState>;
    };

export const initialSupplierState = (): SupplierState => ({ registered: false });

export function evolveSupplier(state: SupplierState, event: DomainEvent): SupplierState {
  switch (event.type) {
    case 'SupplierRegistered': {
      const { supplierId, name, email, leadTimeDays, currency } = event.data;
      return { registered: true, supplierId, name, ...(email !== undefined && { email }), leadTimeDays, currency, active: true, prices: new Map() };
    }
    case 'SupplierPriceSet': {
      if (!state.registered) return state;
      const { sku, unitCost, minOrderQuantity, packSize, preferred } = event.data;
      const prices = new Map(state.prices);
      prices.set(sku, { unitCost, minOrderQuantity, packSize, preferred });
      return { ...state, prices };
    }
    case 'SupplierDeactivated':
      return state.registered ? { ...state, active: false } : state;
    default:
      return state;
  }
}
