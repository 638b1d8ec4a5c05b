/**
 * Translates a checked `Query` into SQL over a collection table `(id TEXT PRIMARY KEY, doc TEXT)`.
 *
 * Names are spliced only after `assertName` (letters, digits, underscore); every value is a
 * bound parameter. Each field is addressed by two expressions, its type rank and its value,
 * and `ensureIndexes` indexes exactly these expressions, so equality, ranges and ordering
 * on indexed fields are served by the index (SQLite matches index expressions verbatim).
 */
import type { Scalar } from './port';
import { totalOrder, typeRank, type CheckedQuery, type Condition } from './query-rules';

/** The type rank of `field` in SQL, the same order as `typeRank` (JSON true/false extract as 1/0). */
export const rankSql = (field: string): string =>
  field === '_id'
    ? '2'
    : `(CASE json_type(doc, '$.${field}') WHEN 'integer' THEN 1 WHEN 'real' THEN 1 WHEN 'text' THEN 2 ` +
      `WHEN 'true' THEN 4 WHEN 'false' THEN 4 WHEN 'object' THEN 3 WHEN 'array' THEN 3 ELSE 0 END)`;

export const valueSql = (field: string): string => (field === '_id' ? 'id' : `json_extract(doc, '$.${field}')`);

/** The index expressions for a compound index over `fields`. */
export const indexColumnsSql = (fields: readonly string[]): string =>
  fields.flatMap((f) => (f === '_id' ? ['id'] : [rankSql(f), valueSql(f)])).join(', ');

const bindable = (value: Scalar): string | number | null =>
  typeof value === 'boolean' ? (value ? 1 : 0) : value;

function conditionSql(c: Condition, params: unknown[]): string {
  const rankIs = (rank: number) => (c.field === '_id' ? (rank === 2 ? '' : '0 AND ') : `${rankSql(c.field)} = ${rank} AND `);
  switch (c.kind) {
    case 'eq': {
      const rank = typeRank(c.value);
      if (rank === 0) return c.field === '_id' ? '0' : `${rankSql(c.field)} = 0`;
      params.push(bindable(c.value));
      return `(${rankIs(rank)}${valueSql(c.field)} = ?)`;
    }
    case 'range': {
      params.push(c.value);
      const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[c.op];
      return `(${rankIs(typeRank(c.value))}${valueSql(c.field)} ${op} ?)`;
    }
    case 'in': {
      // One group per type, each a single parameter (a JSON array), so the SQL text does not
      // depend on the list's length and prepared statements are reused.
      const groups = new Map<number, Scalar[]>();
      for (const v of c.values) groups.set(typeRank(v), [...(groups.get(typeRank(v)) ?? []), v]);
      const parts = [...groups].map(([rank, values]) => {
        if (rank === 0) return c.field === '_id' ? '0' : `${rankSql(c.field)} = 0`;
        params.push(JSON.stringify(values.map(bindable)));
        return `(${rankIs(rank)}${valueSql(c.field)} IN (SELECT value FROM json_each(?)))`;
      });
      return parts.length === 0 ? '0' : `(${parts.join(' OR ')})`;
    }
    default: {
      const _exhaustive: never = c;
      return _exhaustive;
    }
  }
}

export interface SqlQuery {
  readonly where: string;
  readonly orderBy: string;
  readonly params: unknown[];
}

export function toSql(query: CheckedQuery): SqlQuery {
  const params: unknown[] = [];
  const where = query.conditions.length === 0 ? '1' : query.conditions.map((c) => conditionSql(c, params)).join(' AND ');
  // Where a condition pins a field to one type, its rank term is constant and left out of the
  // ORDER BY: SQLite would otherwise sort in a temp b-tree instead of walking the index.
  const oneType = new Set(query.conditions
    .filter((c) => c.kind === 'range' || (c.kind === 'eq' && c.value !== null))
    .map((c) => c.field));
  const orderBy = totalOrder(query.orderBy)
    .flatMap(([field, direction]) => {
      const dir = direction === 'asc' ? 'ASC' : 'DESC';
      if (field === '_id') return [`id ${dir}`];
      return oneType.has(field) ? [`${valueSql(field)} ${dir}`] : [`${rankSql(field)} ${dir}`, `${valueSql(field)} ${dir}`];
    })
    .join(', ');
  return { where, orderBy, params };
}
