/**
 * State of one `transfer-{id}` stream. It only ever holds TransferCreated: what happens to the
 * transfer afterwards is decided on, and stored in, the origin and destination streams.
 */
import type { DomainEvent } from '../../../schemas/types';
import type { SkuQuantity } from '../locations/location-state';

export type TransferState =
  | { readonly created: false }
  | {
      readonly created: true;
      readonly transferId: string;
      readonly fromLocationId: string;
      readonly toLocationId: string;
      readonly lines: readonly SkuQuantity[];
    };

export const initialTransferState = (): TransferState => ({ created: false });

export function evolveTransfer(state: TransferState, event: DomainEvent): TransferState {
  if (event.type !== 'TransferCreated' || state.created) return state;
  const { transferId, fromLocationId, toLocationId, lines } = event.data;
  return { created: true, transferId, fromLocationId, toLocationId, lines };
}
