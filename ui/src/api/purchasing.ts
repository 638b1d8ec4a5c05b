/** Purchasing answers as the dashboard reads them, derived from schemas/purchasing.ts. */
import type { FromSchema } from 'json-schema-to-ts';
import type { OnOrderItem, PurchaseOrder, Suggestion, SuggestionsAnswer, Supplier } from '../../../schemas/purchasing';

export type SupplierView = FromSchema<typeof Supplier>;
export type PurchaseOrderView = FromSchema<typeof PurchaseOrder>;
export type PurchaseOrderLineView = PurchaseOrderView['lines'][number];
export type SuggestionView = FromSchema<typeof Suggestion>;
export type SuggestionsView = FromSchema<typeof SuggestionsAnswer>;
export type OnOrderView = FromSchema<typeof OnOrderItem>;

export interface SuggestionActionAnswer {
  position: string;
  transfers?: Array<{ id: string; fromLocationId: string; toLocationId: string; duplicate?: boolean }>;
  purchaseOrders?: Array<{ id: string; supplierId: string; locationId: string; duplicate?: boolean }>;
}

/** A fresh receipt id per receive form: a retried submit (flaky phone network) has one effect. */
export const newReceiptId = (): string => `rcv-${crypto.randomUUID()}`;
