/**
 * Translates a checked `Query` into SQL over a collection table `(id text COLLATE "C", doc jsonb)`
 * whose indexed fields also have typed columns (`"r:<field>"`, `"n:<field>"`, `"t:<field>"`,
 * generated from `doc` and stored when a row is written): a field with columns is addressed by
 * them, any other by the same three expressions over `doc`.
 *
 * Names are spliced only after `assertName` (letters, digits, underscore); every value is a
 * bound parameter with an explicit type. Each field is addressed by three expressions: its
 * type rank (query-rules.ts order), its value as a number (numbers only) and as text (every
 * other type, byte order = code point order under COLLATE "C"). Within one rank only one of
 * the two value expressions is non-null, so (rank, num, txt) sorts exactly like
 * `compareValues`. `ensureIndexes` indexes exactly these expressions, and conditions pin all
 * three (`IS NULL` on the unused one), so an index on (a, b, c) serves equality on a and b
 * with ranges or ordering on c.
 */
import type { Scalar } from './port';
import { totalOrder, typeRank, type CheckedQuery, type Condition } from './query-rules';

const typeOf = (field: string): string => `jsonb_typeof(doc->'${field}')`;

export const rankSql = (field: string): string =>
  `(CASE ${typeOf(field)} WHEN 'number' THEN 1 WHEN 'string' THEN 2 WHEN 'object' THEN 3 WHEN 'array' THEN 3 WHEN 'boolean' THEN 4 ELSE 0 END)`;
export const numSql = (field: string): string => `(CASE WHEN ${typeOf(field)} = 'number' THEN (doc->>'${field}')::float8 END)`;
export const txtSql = (field: string): string => `((CASE WHEN ${typeOf(field)} <> 'number' THEN doc->>'${field}' END) COLLATE "C")`;

export const rankColumn = (field: string): string => `"r:${field}"`;
export const numColumn = (field: string): string => `"n:${field}"`;
export const txtColumn = (field: string): string => `"t:${field}"`;

/** Identifiers stop at 63 bytes: a longer field name keeps its expressions and gets no columns. */
export const MAX_COLUMN_FIELD = 56;

/** `ALTER TABLE` clauses giving `field` its three stored generated columns (computed once per row written). */
export const addColumnsSql = (field: string): string => [
  `ADD COLUMN IF NOT EXISTS ${rankColumn(field)} smallint GENERATED ALWAYS AS ${rankSql(field)} STORED`,
  `ADD COLUMN IF NOT EXISTS ${numColumn(field)} float8 GENERATED ALWAYS AS ${numSql(field)} STORED`,
  `ADD COLUMN IF NOT EXISTS ${txtColumn(field)} text COLLATE "C" GENERATED ALWAYS AS (CASE WHEN ${typeOf(field)} <> 'number' THEN doc->>'${field}' END) STORED`,
].join(', ');

/** Which fields have typed columns in the table being queried. */
export type HasColumns = (field: string) => boolean;

const terms = (has: HasColumns) => ({
  rank: (f: string) => (has(f) ? rankColumn(f) : rankSql(f)),
  num: (f: string) => (has(f) ? numColumn(f) : numSql(f)),
  txt: (f: string) => (has(f) ? txtColumn(f) : txtSql(f)),
});
type Terms = ReturnType<typeof terms>;

/**
 * The index elements of a compound index over `fields`, the same terms the queries use: a field's
 * columns, or its expressions when its name is too long for columns. The id closes every index.
 */
export const indexColumnsSql = (fields: readonly string[]): string => {
  const { rank, num, txt } = terms((f) => f.length <= MAX_COLUMN_FIELD);
  return [...fields.flatMap((f) => (f === '_id' ? ['id'] : [rank(f), num(f), txt(f)])), ...(fields.includes('_id') ? [] : ['id'])].join(', ');
};

class Params {
  readonly values: unknown[] = [];
  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

const textOf = (value: string | boolean): string => (typeof value === 'boolean' ? String(value) : value);

function sameType(t: Terms, field: string, rank: number, params: Params, compare: (column: string, param: (v: unknown, t: string) => string) => string): string {
  const p = (v: unknown, type: string) => params.add(v, type);
  if (field === '_id') return rank === 2 ? compare('id', p) : 'false';
  switch (rank) {
    case 1: return `(${t.rank(field)} = 1 AND ${compare(t.num(field), p)} AND ${t.txt(field)} IS NULL)`;
    default: return `(${t.rank(field)} = ${rank} AND ${t.num(field)} IS NULL AND ${compare(t.txt(field), p)})`;
  }
}

function conditionSql(c: Condition, params: Params, t: Terms): string {
  switch (c.kind) {
    case 'eq': {
      const rank = typeRank(c.value);
      if (rank === 0) return c.field === '_id' ? 'false' : `${t.rank(c.field)} = 0`;
      return sameType(t, c.field, rank, params, (column, p) =>
        rank === 1 ? `${column} = ${p(c.value, 'float8')}` : `${column} = ${p(textOf(c.value as string | boolean), 'text')}`);
    }
    case 'range': {
      const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[c.op];
      const rank = typeRank(c.value);
      return sameType(t, c.field, rank, params, (column, p) => `${column} ${op} ${p(c.value, rank === 1 ? 'float8' : 'text')}`);
    }
    case 'in': {
      const groups = new Map<number, Scalar[]>();
      for (const v of c.values) groups.set(typeRank(v), [...(groups.get(typeRank(v)) ?? []), v]);
      const parts = [...groups].map(([rank, values]) => {
        if (rank === 0) return c.field === '_id' ? 'false' : `${t.rank(c.field)} = 0`;
        return sameType(t, c.field, rank, params, (column, p) => rank === 1
          ? `${column} = ANY(${p(values, 'float8[]')})`
          : `${column} = ANY(${p(values.map((v) => textOf(v as string | boolean)), 'text[]')})`);
      });
      return parts.length === 0 ? 'false' : `(${parts.join(' OR ')})`;
    }
    default: {
      const _exhaustive: never = c;
      return _exhaustive;
    }
  }
}

export interface PgQuery {
  readonly where: string;
  readonly orderBy: string;
  readonly params: unknown[];
}

export function toPgSql(query: CheckedQuery, has: HasColumns = () => false): PgQuery {
  const t = terms(has);
  const params = new Params();
  const where = query.conditions.length === 0 ? 'true' : query.conditions.map((c) => conditionSql(c, params, t)).join(' AND ');
  const orderBy = totalOrder(query.orderBy)
    .flatMap(([field, direction]) => {
      const dir = direction === 'asc' ? 'ASC' : 'DESC';
      return field === '_id' ? [`id ${dir}`] : [t.rank(field), t.num(field), t.txt(field)].map((e) => `${e} ${dir}`);
    })
    .join(', ');
  return { where, orderBy, params: params.values };
}
