/**
 * The write side as the edges see it (HTTP routes, POS adapters, CSV import, demo seed).
 * Implemented by `write-side/commands/service.ts` over the event store port.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { CommandBody, EventMetadata } from '../../schemas/types';
import type { posOrigin } from '../../schemas/events';

export type PosOrigin = FromSchema<typeof posOrigin>;

/** Who and why, recorded in every event's metadata. `now` is injected (pure domain). */
export interface CommandContext {
  readonly actor: EventMetadata['actor'];
  readonly source: string;
  readonly correlationId: string;
  readonly causationId?: string;
  /** When the command is handled (= recordedAt of its events). */
  readonly now: Date;
}

export interface CommandResult {
  /** Global position of the command's last event (of the original append for a duplicate). */
  readonly position: bigint;
  /** True when the command had already been applied (idempotent repeat): nothing new was stored. */
  readonly duplicate: boolean;
}

export type SaleCommand = CommandBody<'RecordSale'> & { pos?: PosOrigin };
export type ReturnCommand = CommandBody<'RecordReturn'> & { pos?: PosOrigin };

/** A total reported by a POS (an observation, never a delta). */
export interface PosTotalObservation {
  readonly connectionId: string;
  readonly posEventId: string;
  readonly locationId: string;
  readonly sku: string;
  readonly posQuantity: number;
  readonly observedAt: string;
}

export interface StockCommands {
  registerLocation(cmd: CommandBody<'RegisterLocation'>, ctx: CommandContext): Promise<CommandResult>;
  registerProduct(cmd: CommandBody<'RegisterProduct'>, ctx: CommandContext): Promise<CommandResult>;
  setReorderPoint(cmd: CommandBody<'SetReorderPoint'>, ctx: CommandContext): Promise<CommandResult>;
  receiveStock(cmd: CommandBody<'ReceiveStock'>, ctx: CommandContext): Promise<CommandResult & { receiptId: string }>;
  adjustStock(cmd: CommandBody<'AdjustStock'>, ctx: CommandContext): Promise<CommandResult & { adjustmentId: string }>;
  countStock(cmd: CommandBody<'CountStock'>, ctx: CommandContext): Promise<CommandResult & { countId: string }>;
  createTransfer(cmd: CommandBody<'CreateTransfer'>, ctx: CommandContext): Promise<CommandResult & { id: string }>;
  dispatchTransfer(transferId: string, ctx: CommandContext): Promise<CommandResult>;
  receiveTransfer(transferId: string, cmd: CommandBody<'ReceiveTransfer'>, ctx: CommandContext): Promise<CommandResult>;
  cancelTransfer(transferId: string, cmd: CommandBody<'CancelTransfer'>, ctx: CommandContext): Promise<CommandResult>;
  /** Never refused for lack of stock. With `pos`, a repeat of the same POS event has no effect. */
  recordSale(cmd: SaleCommand, ctx: CommandContext): Promise<CommandResult>;
  recordReturn(cmd: ReturnCommand, ctx: CommandContext): Promise<CommandResult>;
  /** Compares a POS total with our balance at `observedAt`; records a discrepancy when they differ. */
  reconcilePosTotal(obs: PosTotalObservation, ctx: CommandContext): Promise<CommandResult & { difference: number }>;

  // Look-ups the edges need before issuing commands (POS quarantine decisions).
  locationExists(locationId: string): Promise<boolean>;
  productExists(sku: string): Promise<boolean>;
  /** On-hand balance per the write model (for tests and reconciliation). */
  onHand(locationId: string, sku: string): Promise<number>;
}
