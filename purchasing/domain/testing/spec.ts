/**
 * Given/when/then for purchasing, like write-side/domain/testing/spec.ts: `given` events are
 * routed to their streams (`streamOf`) and folded with purchasing's evolve functions.
 */
import { expect } from 'vitest';
import type { DomainEvent } from '../../../schemas/types';
import { evolveProduct, initialProductState } from '../../../write-side/domain/catalog/product-state';
import { locationStream, productStream, streamOf } from '../../../write-side/domain/decide';
import type { DomainError } from '../../../write-side/domain/errors';
import type { PurchasingCommand } from '../commands';
import { decidePurchasing } from '../decide';
import { evolveOrdersAtLocation, initialOrdersAtLocation } from '../orders-at-location';
import { evolvePurchaseOrder, initialPurchaseOrderState } from '../purchase-order-state';
import { purchaseOrderStream, supplierStream } from '../streams';
import { evolveSupplier, initialSupplierState } from '../supplier-state';
import type { PurchasingView } from '../view';

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

type ErrorClass = abstract new (...args: never[]) => DomainError;

export function given(...events: Array<DomainEvent | readonly DomainEvent[]>) {
  const history = events.flat() as DomainEvent[];
  return {
    when(command: PurchasingCommand) {
      const run = () => decidePurchasing(command, foldPurchasing(history));
      return {
        then(expected: readonly DomainEvent[]): DomainEvent[] {
          const actual = run();
          expect(actual).toEqual(expected);
          return actual;
        },
        events: run,
        thenThrows(errorClass: ErrorClass, code?: string, field?: string): void {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(thrown, 'expected the command to be rejected').toBeInstanceOf(errorClass);
          if (code !== undefined) expect((thrown as DomainError).code).toBe(code);
          if (field !== undefined) expect((thrown as { field?: string }).field).toBe(field);
        },
      };
    },
  };
}
