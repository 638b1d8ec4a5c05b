/**
 * Given/when/then for purchasing, like write-side/domain/testing/spec.ts: `given` events are
 * routed to their streams (`streamOf`) and folded with purchasing's evolve functions.
 */
import type { DomainEvent } from '../../../schemas/types';
import { evolveProduct, initialProductState } from '../../../write-side/domain/catalog/product-state';
import { locationStream, productStream, streamOf } from '../../../write-side/domain/decide';
import type { PurchasingCommand } from '../commands';
import { decidePurchasing } from '../decide';
import { evolveOrdersAtLocation, initialOrdersAtLocation } from '../orders-at-location';
import { evolvePurchaseOrder, initialPurchaseOrderState } from '../purchase-order-state';
import { purchaseOrderStream, supplierStream } from '../streams';
import { evolveSupplier, initialSupplierState } from '../supplier-state';
import type { PurchasingView } from '../view';
import { thenFor } from '../../../write-side/domain/testing/then';

export function foldPurchasing(events: readonly DomainEvent[]): PurchasingView {
  const byStream = new Map<string, DomainEvent[]>();
  for (const event of events) {
    const id = streamOf(event);
    byStream.set(id, [...(byStream.get(id) ?? []), event]);
  }
  const fold = <S>(stream: string, initial: () => S, evolve: (s: S, e: DomainEvent) => S): S =>
    (byStream.get(stream) ?? []).reduce(evolve, initial());
  return {
    supplier: (id) => fold(supplierStream(id), initialSupplierState, evolveSupplier),
    purchaseOrder: (id) => fold(purchaseOrderStream(id), initialPurchaseOrderState, evolvePurchaseOrder),
    location: (id) => fold(locationStream(id), initialOrdersAtLocation, evolveOrdersAtLocation),
    product: (sku) => fold(productStream(sku), initialProductState, evolveProduct),
  };
}

export function given(...events: Array<DomainEvent | readonly DomainEvent[]>) {
  const history = events.flat() as DomainEvent[];
  return { when: (command: PurchasingCommand) => thenFor(() => decidePurchasing(command, foldPurchasing(history))) };
}
