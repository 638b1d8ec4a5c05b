/** The read models, in the order the runner should register them. */
import type { Projection } from '../runner/projection';
import { catalogProjection } from './catalog';
import { stockProjection } from './stock';
import { transfersProjection } from './transfers';

export const projections: Projection[] = [catalogProjection, stockProjection, transfersProjection];

export { COLLECTIONS } from './collections';
export { stockAsOf, balanceAsOf } from './as-of';
export { agingReport } from './aging';
export { turnoverReport } from './turnover';
export { overdueTransferAlerts, transferOverdueHoursFromEnv } from './transfers';
