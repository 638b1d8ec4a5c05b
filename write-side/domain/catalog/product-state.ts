/** State of one `product-{sku}` stream: whether the sku exists, and its catalog defaults. */
import type { DomainEvent } from '../../../schemas/types';

export interface ProductState {
  readonly registered: boolean;
  readonly name?: string;
  readonly unitCost?: number;
  readonly reorderPoint?: number;
}

export const initialProductState = (): ProductState => ({ registered: false });

export function evolveProduct(state: ProductState, event: DomainEvent): ProductState {
  if (event.type !== 'ProductRegistered') return state;
  const { name, unitCost, reorderPoint } = event.data;
  return { registered: true, name, ...(unitCost !== undefined && { unitCost }), ...(reorderPoint !== undefined && { reorderPoint }) };
}
