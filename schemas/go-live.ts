/** Schemas of the go-live capability (`go-live/`): opening balances, location modes, readiness. */
import { id, money, position, sku, timestamp } from './common';

const object = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;

export const OpeningBalancesQuery = object({ asOf: timestamp }, [] as const);
export const OpeningBalancesJson = object({
  asOf: timestamp,
  lines: {
    type: 'array', minItems: 1, maxItems: 50_000,
    items: object({ locationId: id, sku, quantity: { type: 'integer' }, unitCost: money }, ['locationId', 'sku', 'quantity'] as const),
  },
}, ['lines'] as const);
export const OpeningBalancesAnswer = object({
  imported: { type: 'integer' }, unchanged: { type: 'integer' }, asOf: { type: 'string' }, position,
  errors: { type: 'array', items: object({ line: { type: 'integer' }, message: { type: 'string' } }, ['line', 'message'] as const) },
}, ['imported', 'unchanged', 'errors'] as const);
