/**
 * The semantics of the small query language, shared by every adapter: validation (names,
 * scalar values, known range keys) and the one ordering of mixed types all adapters follow.
 *
 * Order of types (MongoDB's, so every adapter agrees): missing/null < numbers < strings <
 * objects/arrays < booleans. Numbers compare as numbers, strings by Unicode code point
 * (= UTF-8 bytes, SQLite's BINARY and MongoDB's simple collation), ties broken by `_id`.
 *
 * Matching follows the same brackets: `eq: null` matches missing or null; a range bound
 * matches only values of its own type (`gt: 5` never matches a string).
 */
import { InvalidQueryError, type Query, type Scalar } from './port';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RANGE_OPS = ['gt', 'gte', 'lt', 'lte'] as const;
const RANGE_KEYS = new Set<string>(['eq', 'in', ...RANGE_OPS]);
const MAX_IN = 1000;

export type RangeOp = (typeof RANGE_OPS)[number];
export type Condition =
  | { readonly kind: 'eq'; readonly field: string; readonly value: Scalar }
  | { readonly kind: 'range'; readonly field: string; readonly op: RangeOp; readonly value: string | number }
  | { readonly kind: 'in'; readonly field: string; readonly values: readonly Scalar[] };

export interface CheckedQuery {
  readonly conditions: readonly Condition[];
  readonly orderBy: ReadonlyArray<readonly [string, 'asc' | 'desc']>;
  readonly limit?: number;
}

/** Collection and field names: also what keeps names safe to splice into SQL or a Mongo filter. */
export function assertName(kind: 'collection' | 'field', name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length > 64 || !NAME.test(name)) {
    throw new InvalidQueryError(`invalid ${kind} name: ${JSON.stringify(name)}`);
  }
}

export function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value));
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) &&
  (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

/** Validates a query at run time (it may carry user input typed only by a cast) and flattens it. */
export function checkQuery(query: Query | undefined): CheckedQuery {
  if (query === undefined) return { conditions: [], orderBy: [] };
  if (!isPlainObject(query)) throw new InvalidQueryError('a query is an object');
  const conditions: Condition[] = [];
  const where: unknown = query.where ?? {};
  if (!isPlainObject(where)) throw new InvalidQueryError('where is an object');
  for (const [field, spec] of Object.entries(where)) {
    assertName('field', field);
    if (isScalar(spec)) {
      conditions.push({ kind: 'eq', field, value: spec });
      continue;
    }
    // Only a range object is accepted here; anything else (e.g. {"$ne":null}) is refused, never passed on.
    if (!isPlainObject(spec) || Object.keys(spec).length === 0) throw new InvalidQueryError(`bad condition on ${field}`);
    for (const [key, value] of Object.entries(spec)) {
      if (!RANGE_KEYS.has(key)) throw new InvalidQueryError(`unknown operator ${JSON.stringify(key)} on ${field}`);
      if (key === 'eq') {
        if (!isScalar(value)) throw new InvalidQueryError(`eq on ${field} needs a scalar`);
        conditions.push({ kind: 'eq', field, value });
      } else if (key === 'in') {
        if (!Array.isArray(value) || value.length > MAX_IN || !value.every(isScalar)) {
          throw new InvalidQueryError(`in on ${field} needs at most ${MAX_IN} scalars`);
        }
        conditions.push({ kind: 'in', field, values: value as Scalar[] });
      } else {
        if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
          throw new InvalidQueryError(`${key} on ${field} needs a string or a number`);
        }
        conditions.push({ kind: 'range', field, op: key as RangeOp, value });
      }
    }
  }
  const orderBy: unknown = query.orderBy ?? [];
  if (!Array.isArray(orderBy)) throw new InvalidQueryError('orderBy is a list');
  for (const entry of orderBy as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 2) throw new InvalidQueryError('orderBy entries are [field, direction]');
    assertName('field', entry[0]);
    if (entry[1] !== 'asc' && entry[1] !== 'desc') throw new InvalidQueryError('direction is asc or desc');
  }
  const limit: unknown = query.limit;
  if (limit !== undefined && (!Number.isSafeInteger(limit) || (limit as number) < 0)) {
    throw new InvalidQueryError('limit is a non-negative integer');
  }
  return {
    conditions,
    orderBy: orderBy as CheckedQuery['orderBy'],
    ...(limit === undefined ? {} : { limit: limit as number }),
  };
}

/** Rank of a value's type in the shared order (see the module comment). */
export function typeRank(value: unknown): number {
  if (value === undefined || value === null) return 0;
  switch (typeof value) {
    case 'number': return 1;
    case 'string': return 2;
    case 'boolean': return 4;
    default: return 3;
  }
}

/** Code point order; UTF-16 unit order differs only between surrogates and U+E000..U+FFFF. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xe000) x -= 0x800; else if (x >= 0xd800) x += 0x2000;
    if (y >= 0xe000) y -= 0x800; else if (y >= 0xd800) y += 0x2000;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** Total order over JSON values, as every adapter sorts them. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0: return 0;
    case 1: return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 2: return compareStrings(a as string, b as string);
    case 4: return Number(a) - Number(b);
    default: return compareStrings(JSON.stringify(a), JSON.stringify(b));
  }
}

function satisfies(value: unknown, condition: Condition): boolean {
  switch (condition.kind) {
    case 'eq':
      return typeRank(value) === typeRank(condition.value) && (condition.value === null || value === condition.value);
    case 'in':
      return condition.values.some((v) => satisfies(value, { kind: 'eq', field: condition.field, value: v }));
    case 'range': {
      if (typeRank(value) !== typeRank(condition.value)) return false;
      const c = compareValues(value, condition.value);
      switch (condition.op) {
        case 'gt': return c > 0;
        case 'gte': return c >= 0;
        case 'lt': return c < 0;
        case 'lte': return c <= 0;
        default: {
          const _exhaustive: never = condition.op;
          return _exhaustive;
        }
      }
    }
    default: {
      const _exhaustive: never = condition;
      return _exhaustive;
    }
  }
}

export function matches(doc: Record<string, unknown>, conditions: readonly Condition[]): boolean {
  return conditions.every((c) => satisfies(doc[c.field], c));
}

/**
 * `orderBy` made total: `_id` is the final tie-break, in the direction of the last key, so
 * an index on the ordered fields (which ends with the id) still serves the whole order.
 */
export function totalOrder(orderBy: CheckedQuery['orderBy']): ReadonlyArray<readonly [string, 'asc' | 'desc']> {
  if (orderBy.some(([field]) => field === '_id')) return orderBy;
  return [...orderBy, ['_id', orderBy.at(-1)?.[1] ?? 'asc']];
}

/** Sort comparator for a total order. */
export function docComparator(orderBy: CheckedQuery['orderBy']) {
  const order = totalOrder(orderBy);
  return (a: Record<string, unknown>, b: Record<string, unknown>): number => {
    for (const [field, direction] of order) {
      const c = compareValues(a[field], b[field]);
      if (c !== 0) return direction === 'asc' ? c : -c;
    }
    return 0;
  };
}
