/**
 * What purchasing's route modules share: the dependencies, the request context of a command,
 * the 201 answer, and the id parameter.
 */
import type { FastifyRequest } from 'fastify';
import type { ReadStore } from '../../projections/readstore/port';
import { awaitMinPosition, type ConsistencyDeps } from '../../read-api/respond';
import { READERS, actorOf, canSeeCosts } from '../../server/http/access';
import type { CommandContext, CommandResult, StockCommands } from '../../write-side/commands/types';
import { positionToString } from '../../write-side/eventstore/port';
import type { PurchasingCommands } from '../commands/purchasing-service';
import type { ReorderPointProvider } from '../suggestions/suggest';

export interface PurchasingRouteDeps extends ConsistencyDeps {
  readonly purchasing: PurchasingCommands;
  /** The transfer flow, for "Create transfers" from suggestions. */
  readonly stock: StockCommands;
  readonly readStore: ReadStore;
  readonly clock?: () => Date;
  /** The forecasting seam (issue 12): reorder point and order-up-to per (location, SKU). */
  readonly reorderPointProvider?: ReorderPointProvider;
}

export const idParams = {
  type: 'object', additionalProperties: false, required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' } },
} as const;
const correlationHeader = /^[A-Za-z0-9._:/-]{1,200}$/;

export const answer = (r: CommandResult, ids: Record<string, string> = {}) => ({
  ...ids, position: positionToString(r.position), ...(r.duplicate && { duplicate: true }),
});

/** The clock, the read store, read-your-writes and the command context, bound once per module. */
export function routeKit(deps: PurchasingRouteDeps) {
  const clock = deps.clock ?? (() => new Date());
  const contextOf = (request: FastifyRequest): CommandContext => {
    const header = request.headers['x-correlation-id'];
    const correlationId = typeof header === 'string' && correlationHeader.test(header) ? header : request.id;
    return { actor: actorOf(request), source: 'api', correlationId, now: clock() };
  };
  return { clock, store: deps.readStore, preHandler: awaitMinPosition(deps), read: { access: { roles: READERS } }, contextOf };
}

const COST_KEYS = new Set(['unitCost', 'lineCost', 'totalCost']);

function withoutCosts<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutCosts) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !COST_KEYS.has(k)).map(([k, v]) => [k, withoutCosts(v)])) as T;
  }
  return value;
}

/** Unit costs and totals only for a principal who sees costs (staff need `view_costs`), in JSON and CSV alike. */
export const costsFor = <T>(request: FastifyRequest, value: T): T => (canSeeCosts(request) ? value : withoutCosts(value));

/** CSV columns without the cost columns for a principal who may not see costs. */
export const columnsFor = <C extends readonly [string, unknown]>(request: FastifyRequest, columns: readonly C[]): readonly C[] =>
  (canSeeCosts(request) ? columns : columns.filter(([header]) => !COST_KEYS.has(header)));
