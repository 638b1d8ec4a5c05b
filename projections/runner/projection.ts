/**
 * What a projector is: a name, the collections it owns, and a pure-ish `apply` that turns one
 * recorded event into document writes through a unit of work. The runner batches events,
 * gives each batch one unit of work (reads are cached, writes are buffered), commits the
 * writes together with the checkpoint, and only then publishes the batch's changes.
 */
import type { RecordedEvent } from '../../write-side/eventstore/port';
import type { Doc, IndexSpec } from '../readstore/port';
import type { Fold } from './sync-fold';

/** Something the live layers (SSE, outbound webhooks, UI) care about, published after commit. */
export type ReadModelChange =
  | {
      readonly kind: 'stock';
      readonly locationId: string;
      readonly sku: string;
      readonly onHand: number;
      readonly inTransitIn: number;
      readonly inTransitOut: number;
      readonly reorderPoint?: number;
      readonly position: string;
    }
  | {
      readonly kind: 'alert';
      readonly alertId: string;
      readonly alertType: 'low_stock' | 'negative_stock' | 'transfer_overdue' | 'pos_discrepancy';
      readonly status: 'open' | 'cleared';
      readonly locationId: string;
      readonly sku?: string;
      readonly transferId?: string;
      readonly message: string;
      readonly details?: Record<string, unknown>;
      readonly position: string;
    }
  | {
      readonly kind: 'transfer';
      readonly transferId: string;
      readonly status: 'created' | 'dispatched' | 'partially_received' | 'received' | 'cancelled';
      readonly fromLocationId: string;
      readonly toLocationId: string;
      readonly position: string;
    };

export interface UnitOfWork {
  /** Reads a document as this batch left it (its own writes first, then the store). */
  get<T extends Doc>(collection: string, id: string): Promise<T | undefined>;
  put(collection: string, doc: Doc): void;
  delete(collection: string, id: string): void;
  /** Queues a change; it is published only after the batch is durably committed. */
  emit(change: ReadModelChange): void;
}

export interface Projection {
  readonly name: string;
  /** Collections this projection owns (dropped on rebuild). */
  readonly collections: readonly string[];
  readonly indexes: readonly IndexSpec[];
  /** Must be deterministic: a rebuild from position zero gives identical documents. */
  apply(event: RecordedEvent, uow: UnitOfWork): Promise<void>;
  /**
   * Optional fast path (sync-fold.ts): the same projector as plain synchronous code, used by the
   * rebuild and the bulk catch-up. A projection that has it sets `apply: foldApply(fold)`, so
   * both always agree; one without it folds through `apply`, only slower.
   */
  readonly fold?: Fold;
}
