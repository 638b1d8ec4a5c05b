import type { ReadStore } from '../projections/readstore/port';
import type { ConsistencyDeps } from './respond';

/** What the read routes need from the process. */
export interface ReadRouteDeps extends ConsistencyDeps {
  readStore: ReadStore;
  /** The clock, for `asOf` defaults and overdue transfers. */
  clock?: () => Date;
  /** Hours after dispatch when a transfer in transit raises an alert (default `IMS_TRANSFER_OVERDUE_HOURS` or 48). */
  transferOverdueHours?: number;
  /** ISO 4217 code of every amount (`IMS_CURRENCY`); CSV answers write money in it. Default USD. */
  currency?: string;
}
