/** Schemas of the go-live capability (`go-live/`): opening balances, location modes, readiness. */
import { id, money, position, sku, timestamp } from './common';

const times = { occurredAt: timestamp, recordedAt: timestamp } as const;

const object = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;

/** `dryRun=true`: check the file (every bad row, the cut-over) and append nothing: the preview of an upload. */
export const OpeningBalancesQuery = object({ asOf: timestamp, dryRun: { type: 'boolean' } }, [] as const);
export const OpeningBalancesJson = object({
  asOf: timestamp,
  lines: {
    type: 'array', minItems: 1, maxItems: 50_000,
    items: object({ locationId: id, sku, quantity: { type: 'integer' }, unitCost: money }, ['locationId', 'sku', 'quantity'] as const),
  },
}, ['lines'] as const);
export const OpeningBalancesAnswer = object({
  imported: { type: 'integer' }, unchanged: { type: 'integer' }, asOf: { type: 'string' }, position,
  /** On a dry run: the rows that would be taken. */
  valid: { type: 'integer' }, dryRun: { type: 'boolean' },
  errors: { type: 'array', items: object({ line: { type: 'integer' }, message: { type: 'string' } }, ['line', 'message'] as const) },
}, ['imported', 'unchanged', 'errors'] as const);

export const locationMode = { type: 'string', enum: ['shadow', 'live'] } as const;

/** A location switched between shadow (Stocktide records, pushes nothing) and live. Audited by its metadata. */
export const LocationModeChanged = {
  type: 'object', additionalProperties: false,
  required: ['locationId', 'mode', 'previousMode', 'occurredAt', 'recordedAt'],
  properties: { locationId: id, mode: locationMode, previousMode: locationMode, reason: { type: 'string', maxLength: 500 }, ...times },
} as const;

/**
 * The cut-over instant T of a location's opening balances, recorded once (after its first
 * opening counts): every later opening import for that location must use the same T.
 */
export const OpeningBalancesDated = {
  type: 'object', additionalProperties: false,
  required: ['locationId', 'asOf', 'source', 'occurredAt', 'recordedAt'],
  properties: { locationId: id, asOf: timestamp, source: { type: 'string', maxLength: 300 }, ...times },
} as const;

export const goLiveEventSchemas = { LocationModeChanged, OpeningBalancesDated } as const;

export const LocationIdParams = object({ id }, ['id'] as const);
/** `minPosition`: answer once the read models include it (read your own switch). */
export const ReadinessQuery = object({ minPosition: position }, [] as const);
export const SetLocationMode = object({ mode: locationMode, reason: { type: 'string', maxLength: 500 } }, ['mode'] as const);
export const LocationModeAnswer = object({ locationId: { type: 'string' }, mode: locationMode, previousMode: locationMode, position }, ['locationId', 'mode', 'position'] as const);
const difference = object({
  sku: { type: 'string' }, posQuantity: { type: 'integer' }, ourQuantity: { type: 'integer' }, difference: { type: 'integer' },
  connectionId: { type: 'string' }, posEventId: { type: 'string' }, at: { type: 'string' },
}, ['sku'] as const);
export const ReadinessAnswer = object({
  locationId: { type: 'string' },
  mode: locationMode,
  since: { type: 'string' },
  /** The cut-over T of the location's opening balances, once it has some (a later import must use it). */
  openingAsOf: { type: 'string' },
  daysInShadow: { type: 'number' },
  lastComparison: object({ at: { type: 'string' }, skusDiffering: { type: 'integer' }, unitsDiffering: { type: 'integer' } }, ['skusDiffering', 'unitsDiffering'] as const),
  differences: { type: 'array', items: difference },
  history: { type: 'array', items: object({ mode: locationMode, at: { type: 'string' }, by: { type: 'string' } }, ['mode', 'at'] as const) },
  position,
}, ['locationId', 'mode', 'lastComparison', 'differences', 'position'] as const);

export const NoBody = { type: 'object', additionalProperties: false, maxProperties: 0, properties: {} } as const;

/** The answer of a connection test: what one call to the POS saw, or why it failed. */
export const ConnectionTestAnswer = object({
  ok: { type: 'boolean' }, kind: { type: 'string' }, error: { type: 'string' }, more: { type: 'boolean' },
  locations: {
    type: 'array',
    items: object({ posLocationId: { type: 'string' }, name: { type: 'string' }, active: { type: 'boolean' }, locationId: { type: 'string' } }, ['posLocationId', 'name', 'active'] as const),
  },
}, ['ok', 'kind'] as const);
