/**
 * Building blocks shared by command, event and read-model schemas.
 * They are spread into schemas (no `$ref`) so json-schema-to-ts can derive exact types.
 */

/** Largest quantity accepted anywhere: far from 2^53, so sums of many lines stay exact. */
export const MAX_QUANTITY = 1_000_000_000;
/** Largest money amount in minor units (10 billion in major units). */
export const MAX_MONEY = 1_000_000_000_000;

export const id = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$',
} as const;

export const sku = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$',
} as const;

export const name = { type: 'string', minLength: 1, maxLength: 200 } as const;
export const note = { type: 'string', maxLength: 2000 } as const;
export const reference = { type: 'string', minLength: 1, maxLength: 200 } as const;

/** A strictly positive count of units. */
export const quantity = { type: 'integer', minimum: 1, maximum: MAX_QUANTITY } as const;
/** A count of units that may be zero (a physical count, a balance floor). */
export const countQuantity = { type: 'integer', minimum: 0, maximum: MAX_QUANTITY } as const;
/** A signed change of units, never zero. */
export const signedQuantity = {
  type: 'integer',
  minimum: -MAX_QUANTITY,
  maximum: MAX_QUANTITY,
  not: { const: 0 },
} as const;
/** A signed balance (a sale is never refused, so balances can go negative). */
export const balance = { type: 'integer', minimum: -1e15, maximum: 1e15 } as const;

/** Money in integer minor units (cents). */
export const money = { type: 'integer', minimum: 0, maximum: MAX_MONEY } as const;

export const timestamp = { type: 'string', format: 'date-time', maxLength: 40 } as const;

/** Positions in the global log are decimal strings: they can exceed 2^53. */
export const position = { type: 'string', pattern: '^(0|[1-9][0-9]{0,39})$' } as const;

export const locationType = { type: 'string', enum: ['store', 'warehouse'] } as const;

export const adjustmentReason = {
  type: 'string',
  enum: ['damaged', 'shrinkage', 'theft', 'correction', 'found', 'other', 'expired'],
} as const;

export const roles = ['admin', 'manager', 'staff', 'analyst', 'auditor'] as const;
export const role = { type: 'string', enum: roles } as const;

/**
 * Grants beyond a role. `view_costs` (Shopify's "view product costs"): unit costs, stock
 * values, aging values and turnover for a staff member, who does not see them by default.
 */
export const permissionNames = ['view_costs'] as const;
export const permissions = { type: 'array', maxItems: 10, uniqueItems: true, items: { type: 'string', enum: permissionNames } } as const;

/**
 * The body of a route that takes none (dispatch, logout, retries): absent or `{}`, anything
 * else is a 400. Fastify validates an absent body as `undefined`, so pair it with a
 * preValidation that turns `undefined` (and only that: a JSON `null` is a bad body) into `{}`.
 */
export const NoBody = { type: 'object', additionalProperties: false, properties: {} } as const;
