/**
 * Translates a checked `Query` into a MongoDB filter and sort. Every user value arrives here
 * as a checked scalar (see `checkQuery`) and is placed only under an operator we chose
 * (`$eq`, `$gt`, `$in`, ...), so a string such as `{"$ne":null}` stays a string and an
 * object is refused before it could ever become an operator.
 *
 * MongoDB's own comparison order (null < numbers < strings < objects < booleans, type
 * bracketing for ranges, `null` matching missing) is the order `query-rules.ts` defines.
 */
import type { Document, Filter, Sort } from 'mongodb';
import { totalOrder, type CheckedQuery } from './query-rules';

const OPERATOR = { gt: '$gt', gte: '$gte', lt: '$lt', lte: '$lte' } as const;

export function toMongoFilter(query: CheckedQuery): Filter<Document> {
  const byField = new Map<string, Record<string, unknown>[]>();
  const add = (field: string, clause: Record<string, unknown>) => byField.set(field, [...(byField.get(field) ?? []), clause]);
  for (const c of query.conditions) {
    switch (c.kind) {
      case 'eq':
        add(c.field, { $eq: c.value });
        break;
      case 'range':
        add(c.field, { [OPERATOR[c.op]]: c.value });
        break;
      case 'in':
        add(c.field, { $in: [...c.values] });
        break;
      default: {
        const _exhaustive: never = c;
        return _exhaustive;
      }
    }
  }
  // Each clause is its own {field: {$op: value}}, ANDed: two bounds on a field never overwrite each other.
  const clauses = [...byField].flatMap(([field, list]) => list.map((clause) => ({ [field]: clause })));
  return clauses.length === 0 ? {} : { $and: clauses };
}

export function toMongoSort(query: CheckedQuery): Sort {
  return Object.fromEntries(totalOrder(query.orderBy).map(([field, direction]) => [field, direction === 'asc' ? 1 : -1])) as Sort;
}
