/**
 * Given/when/then for the pure domain:
 *
 *   given(events).when(command).then(expectedEvents)
 *   given(events).when(command).thenThrows(BusinessRuleViolation, 'insufficient-stock')
 *
 * `given` events are routed to their streams (`streamOf`) and folded with each stream's evolve,
 * exactly as the command service loads them; `when` decides against those states.
 */
import type { DomainEvent } from '../../../schemas/types';
import type { StockCommand } from '../commands';
import { decide, locationStream, productStream, streamOf, streams, transferStream } from '../decide';
import type { LocationState } from '../locations/location-state';
import type { ProductState } from '../catalog/product-state';
import type { TransferState } from '../transfers/transfer-state';
import type { DecisionView } from '../view';
import { thenFor } from './then';

/** Folds events into per-stream states; also usable on its own to inspect state in a test. */
export function foldWorld(events: readonly DomainEvent[]): DecisionView {
  const byStream = new Map<string, DomainEvent[]>();
  for (const event of events) {
    const id = streamOf(event);
    byStream.set(id, [...(byStream.get(id) ?? []), event]);
  }
  const locations = new Map<string, LocationState>();
  const products = new Map<string, ProductState>();
  const transfers = new Map<string, TransferState>();
  const load = <S>(cache: Map<string, S>, stream: string, kind: { initial: () => S; evolve: (s: S, e: DomainEvent) => S }) => {
    let state = cache.get(stream);
    if (!state) {
      state = (byStream.get(stream) ?? []).reduce(kind.evolve, kind.initial());
      cache.set(stream, state);
    }
    return state;
  };
  return {
    location: (id) => load(locations, locationStream(id), streams.location),
    product: (sku) => load(products, productStream(sku), streams.product),
    transfer: (id) => load(transfers, transferStream(id), streams.transfer),
  };
}

export function given(...events: Array<DomainEvent | readonly DomainEvent[]>) {
  const history = events.flat() as DomainEvent[];
  return { when: (command: StockCommand) => thenFor(() => decide(command, foldWorld(history))) };
}
