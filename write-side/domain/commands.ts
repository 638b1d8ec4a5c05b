/**
 * Commands as the pure domain receives them: every id is resolved and `now` (the recordedAt of
 * the resulting events) is given, so deciding needs no clock and no randomness.
 * Shapes are derived from the event and request schemas, never copied by hand.
 */
import type { CommandBody, EventData } from '../../schemas/types';

type Times = 'occurredAt' | 'recordedAt';
/** When the command is handled, as an ISO string (= recordedAt of its events). */
interface Stamp {
  readonly now: string;
}

export type RegisterLocationCommand = { type: 'RegisterLocation' } & Omit<EventData<'LocationRegistered'>, Times> & Stamp;
export type RegisterProductCommand = { type: 'RegisterProduct' } & Omit<EventData<'ProductRegistered'>, Times> & Stamp;
export type SetReorderPointCommand = { type: 'SetReorderPoint' } & Omit<EventData<'ReorderPointSet'>, Times> & Stamp;
export type ReceiveStockCommand = {
  type: 'ReceiveStock';
  locationId: string;
  receiptId: string;
  reference?: string;
  /** When the goods arrived; defaults to `now`. */
  receivedAt?: string;
  lines: CommandBody<'ReceiveStock'>['lines'];
} & Stamp;
/** `occurredAt`: when it happened (a phone's queued action); absent = `now`. */
export type AdjustStockCommand = { type: 'AdjustStock' } & Omit<EventData<'StockAdjusted'>, Times> & { occurredAt?: string } & Stamp;
export type CountStockCommand = {
  type: 'CountStock';
  locationId: string;
  countId: string;
  /** Defaults to `now` at the edge. */
  countedAt: string;
  lines: CommandBody<'CountStock'>['lines'];
} & Stamp;
/** `occurredAt` is the till's time (possibly hours ago); `saleId` is `{connectionId}:{eventId}` for POS sales. */
export type RecordSaleCommand = { type: 'RecordSale' } & Omit<EventData<'StockSold'>, 'recordedAt'> & Stamp;
export type RecordReturnCommand = { type: 'RecordReturn' } & Omit<EventData<'StockReturned'>, 'recordedAt'> & Stamp;
export type ReconcilePosTotalCommand = {
  type: 'ReconcilePosTotal';
  locationId: string;
  sku: string;
  connectionId: string;
  posEventId: string;
  posQuantity: number;
  observedAt: string;
} & Stamp;
export type CreateTransferCommand = { type: 'CreateTransfer' } & Omit<EventData<'TransferCreated'>, Times> & Stamp;
export type DispatchTransferCommand = { type: 'DispatchTransfer'; transferId: string } & Stamp;
export type ReceiveTransferCommand = {
  type: 'ReceiveTransfer';
  transferId: string;
  /** Absent: receive everything outstanding. */
  lines?: CommandBody<'ReceiveTransfer'>['lines'];
  /** True: what is still outstanding after this receipt is recorded as shortfall. */
  final: boolean;
  /** The client's key of this delivery: a repeat decides nothing, the same key with other lines is refused. */
  receiptId?: string;
} & Stamp;
export type CancelTransferCommand = { type: 'CancelTransfer'; transferId: string; reason?: string } & Stamp;

export type StockCommand =
  | RegisterLocationCommand
  | RegisterProductCommand
  | SetReorderPointCommand
  | ReceiveStockCommand
  | AdjustStockCommand
  | CountStockCommand
  | RecordSaleCommand
  | RecordReturnCommand
  | ReconcilePosTotalCommand
  | CreateTransferCommand
  | DispatchTransferCommand
  | ReceiveTransferCommand
  | CancelTransferCommand;
