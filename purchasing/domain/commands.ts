/**
 * Purchasing commands as the pure deciders receive them: ids resolved, `now` given
 * (= recordedAt of the events), so deciding needs no clock and no randomness.
 */
import type { CommandBody } from '../../schemas/types';

interface Stamp {
  readonly now: string;
}

export type RegisterSupplierCommand = {
  type: 'RegisterSupplier'; supplierId: string; name: string; email?: string; leadTimeDays: number; currency: string;
} & Stamp;
export type SetSupplierPriceCommand = { type: 'SetSupplierPrice'; supplierId: string } & CommandBody<'SetSupplierPrice'> & Stamp;
export type DeactivateSupplierCommand = { type: 'DeactivateSupplier'; supplierId: string; reason?: string } & Stamp;
export type SetReorderRuleCommand = { type: 'SetReorderRule' } & CommandBody<'SetReorderRule'> & Stamp;
export type DraftPurchaseOrderCommand = {
  type: 'DraftPurchaseOrder';
  purchaseOrderId: string;
  supplierId: string;
  locationId: string;
  lines: CommandBody<'DraftPurchaseOrder'>['lines'];
  suggestionIds?: string[];
} & Stamp;
export type SendPurchaseOrderCommand = { type: 'SendPurchaseOrder'; purchaseOrderId: string } & Stamp;
export type CancelPurchaseOrderCommand = { type: 'CancelPurchaseOrder'; purchaseOrderId: string; reason?: string } & Stamp;
export type ClosePurchaseOrderCommand = { type: 'ClosePurchaseOrder'; purchaseOrderId: string; closeId: string; reason?: string } & Stamp;
export type ReceivePurchaseOrderCommand = {
  type: 'ReceivePurchaseOrder';
  purchaseOrderId: string;
  receiptId: string;
  lines: CommandBody<'ReceivePurchaseOrder'>['lines'];
  allowOver: boolean;
  closeShort: boolean;
  receivedAt?: string;
} & Stamp;

export type PurchasingCommand =
  | RegisterSupplierCommand
  | SetSupplierPriceCommand
  | DeactivateSupplierCommand
  | SetReorderRuleCommand
  | DraftPurchaseOrderCommand
  | SendPurchaseOrderCommand
  | CancelPurchaseOrderCommand
  | ClosePurchaseOrderCommand
  | ReceivePurchaseOrderCommand;
