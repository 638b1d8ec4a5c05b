/**
 * Translates a checked `Query` into SQL over a collection table
 * `(id TEXT PRIMARY KEY, doc TEXT, "r:<field>", "v:<field>", ...)`.
 *
 * Names are spliced only after `assertName` (letters, digits, underscore); every value is a
 * bound parameter. Each field is addressed by two terms, its type rank and its value. A field
 * that an index covers has both as typed columns, filled from the document when it is written
 * (`columnValue`, by `SqliteReadStore`'s writers): queries and index builds read plain columns, with no `json_extract` per row.
 * Any other field is addressed by the same terms as JSON expressions over `doc`.
 */
import type { Scalar } from './port';
import { totalOrder, typeRank, type CheckedQuery, type Condition } from './query-rules';

/**
 * Column names of a field: SQLite compares identifiers case-insensitively while JSON field
 * names are case-sensitive, so upper-case letters are escaped (`locationId` -> `location^Id`,
 * which no field name can spell: `^` is not allowed in one).
 */
const escaped = (field: string): string => field.replace(/[A-Z]/g, (c) => `^${c}`);
export const rankColumn = (field: string): string => `"r:${escaped(field)}"`;
export const valueColumn = (field: string): string => `"v:${escaped(field)}"`;

/** The field a column name (as `PRAGMA table_info` spells it) holds the value of, if it is one. */
export const fieldOfValueColumn = (column: string): string | undefined =>
  column.startsWith('v:') ? column.slice(2).replace(/\^([A-Z])/g, '$1') : undefined;

/** The type rank of `field` as a JSON expression, the same order as `typeRank` (JSON true/false extract as 1/0). */
export const rankExpr = (field: string): string =>
  `(CASE json_type(doc, '$.${field}') WHEN 'integer' THEN 1 WHEN 'real' THEN 1 WHEN 'text' THEN 2 ` +
  `WHEN 'true' THEN 4 WHEN 'false' THEN 4 WHEN 'object' THEN 3 WHEN 'array' THEN 3 ELSE 0 END)`;
export const valueExpr = (field: string): string => `json_extract(doc, '$.${field}')`;

/** Which fields have typed columns in the table being queried. */
export type HasColumns = (field: string) => boolean;

/**
 * A field's value as its value column holds it: what `json_extract` gives for the JSON of that
 * document (numbers and strings as they are, booleans as 1/0, objects and arrays as their JSON
 * text, missing as NULL), so a column and the JSON expression always compare alike.
 */
export function columnValue(value: unknown): string | number | null {
  switch (typeof value) {
    case 'number': case 'string': return value;
    case 'boolean': return value ? 1 : 0;
    case 'undefined': return null;
    default: return value === null ? null : JSON.stringify(value);
  }
}

const terms = (has: HasColumns) => ({
  rank: (field: string): string => (field === '_id' ? '2' : has(field) ? rankColumn(field) : rankExpr(field)),
  value: (field: string): string => (field === '_id' ? 'id' : has(field) ? valueColumn(field) : valueExpr(field)),
});

/** The index columns for a compound index over `fields` (each non-`_id` field has its columns). */
export const indexColumnsSql = (fields: readonly string[]): string =>
  fields.flatMap((f) => (f === '_id' ? ['id'] : [rankColumn(f), valueColumn(f)])).join(', ');

function conditionSql(c: Condition, params: unknown[], t: ReturnType<typeof terms>): string {
  const rankIs = (rank: number) => (c.field === '_id' ? (rank === 2 ? '' : '0 AND ') : `${t.rank(c.field)} = ${rank} AND `);
  switch (c.kind) {
    case 'eq': {
      const rank = typeRank(c.value);
      if (rank === 0) return c.field === '_id' ? '0' : `${t.rank(c.field)} = 0`;
      params.push(columnValue(c.value));
      return `(${rankIs(rank)}${t.value(c.field)} = ?)`;
    }
    case 'range': {
      params.push(c.value);
      const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[c.op];
      return `(${rankIs(typeRank(c.value))}${t.value(c.field)} ${op} ?)`;
    }
    case 'in': {
      // One group per type, each a single parameter (a JSON array), so the SQL text does not
      // depend on the list's length and prepared statements are reused.
      const groups = new Map<number, Scalar[]>();
      for (const v of c.values) groups.set(typeRank(v), [...(groups.get(typeRank(v)) ?? []), v]);
      const parts = [...groups].map(([rank, values]) => {
        if (rank === 0) return c.field === '_id' ? '0' : `${t.rank(c.field)} = 0`;
        params.push(JSON.stringify(values.map(columnValue)));
        return `(${rankIs(rank)}${t.value(c.field)} IN (SELECT value FROM json_each(?)))`;
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

export function toSql(query: CheckedQuery, has: HasColumns = () => false): SqlQuery {
  const t = terms(has);
  const params: unknown[] = [];
  const where = query.conditions.length === 0 ? '1' : query.conditions.map((c) => conditionSql(c, params, t)).join(' AND ');
  // Where a condition pins a field to one type, its rank term is constant and left out of the
  // ORDER BY: SQLite would otherwise sort in a temp b-tree instead of walking the index.
  const oneType = new Set(query.conditions
    .filter((c) => c.kind === 'range' || (c.kind === 'eq' && c.value !== null))
    .map((c) => c.field));
  const orderBy = totalOrder(query.orderBy)
    .flatMap(([field, direction]) => {
      const dir = direction === 'asc' ? 'ASC' : 'DESC';
      if (field === '_id') return [`id ${dir}`];
      return oneType.has(field) ? [`${t.value(field)} ${dir}`] : [`${t.rank(field)} ${dir}`, `${t.value(field)} ${dir}`];
    })
    .join(', ');
  return { where, orderBy, params };
}
