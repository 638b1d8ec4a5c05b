/**
 * State of one `purchase-order-{id}` stream. It only ever holds the draft: every later step
 * (sent, cancelled, lines closed, receipts) is decided on, and stored in, the delivery
 * location's stream (orders-at-location.ts), so those steps exclude one another.
 */
import type { DomainEvent, EventData } from '../../schemas/types';

export type PurchaseOrderState =
  | { readonly drafted: false }
  | ({ readonly drafted: true } & Omit<EventData<'PurchaseOrderDrafted'>, 'occurredAt' | 'recordedAt'> & { readonly draftedAt: string });

export const initialPurchaseOrderState = (): PurchaseOrderState => ({ drafted: false });

export function evolvePurchaseOrder(state: PurchaseOrderState, event: DomainEvent): PurchaseOrderState {
  if (event.type !== 'PurchaseOrderDrafted' || state.drafted) return state;
  const { occurredAt, recordedAt: _r, ...draft } = event.data;
  return { drafted: true, ...draft, draftedAt: occurredAt };
}
