/**
 * List conventions of the read API (issue 16): forgiving search (`q`: case-insensitive, partial,
 * over every text a person may remember), sorting by a named column (`sort=-onHand`: minus for
 * descending), and paging with an opaque cursor (`limit`, `cursor` → `nextCursor`, `total`).
 * Lists are filtered and sorted in the process: a chain's stock lines (10,000s) and catalog fit
 * in memory, and a request then costs one read of the visible lines.
 */
import { HttpProblem } from '../server/http/problem';

/** `q` matches when every word of it is a substring of one of the texts, ignoring case. */
export function matchesSearch(q: string | undefined, texts: ReadonlyArray<string | undefined>): boolean {
  if (!q) return true;
  const haystack = texts.filter((t): t is string => !!t).map((t) => t.toLowerCase());
  return q.toLowerCase().split(/\s+/).filter(Boolean).every((word) => haystack.some((t) => t.includes(word)));
}

export type SortValue = string | number | undefined;

/**
 * Sorts by `sort` (`name` or `-name`) using `keyOf`, then by `tieBreak` so pages are stable.
 * Undefined values sort last either way.
 */
export function sortRows<T>(rows: T[], sort: string | undefined, keyOf: (row: T, column: string) => SortValue, tieBreak: (row: T) => string): T[] {
  const descending = sort?.startsWith('-') ?? false;
  const column = sort?.replace(/^-/, '');
  const compare = (a: SortValue, b: SortValue): number => {
    if (a === b) return 0;
    if (a === undefined) return 1;
    if (b === undefined) return -1;
    const order = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), 'en', { sensitivity: 'base', numeric: true });
    return descending ? -order : order;
  };
  return rows.sort((x, y) => {
    const byColumn = column ? compare(keyOf(x, column), keyOf(y, column)) : 0;
    if (byColumn !== 0) return byColumn;
    const a = tieBreak(x);
    const b = tieBreak(y);
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/** Opaque offset cursors: base64url of `o:<offset>`. */
export const encodeOffset = (offset: number): string => Buffer.from(`o:${offset}`, 'utf8').toString('base64url');
export function decodeOffset(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new HttpProblem(400, 'invalid cursor', { errors: [{ instancePath: '/cursor', message: 'not a cursor from this API' }] });
  return Number(match[1]);
}

/** One page of `rows`: all of them when no `limit` is given (the answer before paging existed). */
export function pageOf<T>(rows: readonly T[], limit: number | undefined, cursor: string | undefined): { items: T[]; total: number; nextCursor?: string } {
  const offset = decodeOffset(cursor);
  if (limit === undefined) return { items: rows.slice(offset), total: rows.length };
  const items = rows.slice(offset, offset + limit);
  const next = offset + items.length;
  return { items, total: rows.length, ...(next < rows.length ? { nextCursor: encodeOffset(next) } : {}) };
}

/** Stock status as people read it: below zero, none, at or under the reorder point, fine. */
export type StockStatus = 'negative' | 'out' | 'low' | 'ok';
export function stockStatus(onHand: number, reorderPoint: number | undefined): StockStatus {
  if (onHand < 0) return 'negative';
  if (onHand === 0) return 'out';
  if (reorderPoint !== undefined && onHand <= reorderPoint) return 'low';
  return 'ok';
}
