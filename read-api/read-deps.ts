import type { AlertDoc } from '../projections/models/collections';
import type { ReadStore } from '../projections/readstore/port';
import type { ConsistencyDeps } from './respond';

/** An alert computed when asked; its type may be one the projections never store. */
export interface ComputedAlert {
  readonly _id: string;
  readonly alertType: AlertDoc['alertType'] | 'purchase_order_overdue';
  readonly status: 'open';
  readonly locationId: string;
  readonly sku?: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
  readonly raisedAt: string;
  readonly position: string;
  readonly positionKey: string;
}

/** What the read routes need from the process. */
export interface ReadRouteDeps extends ConsistencyDeps {
  readStore: ReadStore;
  /** The clock, for `asOf` defaults and overdue transfers. */
  clock?: () => Date;
  /** Hours after dispatch when a transfer in transit raises an alert (default `IMS_TRANSFER_OVERDUE_HOURS` or 48). */
  transferOverdueHours?: number;
  /** More clock-dependent alerts computed at read time (purchase orders past their expected date). */
  computedAlerts?: ReadonlyArray<(now: Date) => Promise<ComputedAlert[]>>;
  /** ISO 4217 code of every amount (`IMS_CURRENCY`); CSV answers write money in it. Default USD. */
  currency?: string;
}
