/**
 * Export cursors: every row carries one; passing it back resumes right after that row. Opaque
 * to clients (base64url), a kind letter then the store key, checked on the way in so a cursor
 * of another export or a forged one is a 400 naming `cursor`.
 */
import { HttpProblem } from '../../server/http/problem';

export type CursorKind = 'm' | 's' | 'd' | 'e';

const SHAPES: Record<CursorKind, RegExp> = {
  m: /^[0-9]{20}-[0-9]{5}$/, // ledger key: position, line
  s: /^[^|]{1,200}\|[^|]{1,200}$/, // stock key: location | sku
  d: /^[^|]{1,200}\|[^|]{1,200}\|\d{4}-\d{2}-\d{2}$/, // daily sales key: sku | location | day
  e: /^(0|[1-9][0-9]{0,39})$/, // event position
};

export const encodeExportCursor = (kind: CursorKind, key: string): string => Buffer.from(`${kind}:${key}`, 'utf8').toString('base64url');

export function decodeExportCursor(kind: CursorKind, cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const key = text.startsWith(`${kind}:`) ? text.slice(2) : undefined;
  if (key === undefined || !SHAPES[kind].test(key)) {
    throw new HttpProblem(400, 'invalid cursor: pass the `cursor` of a row of this same export', {
      errors: [{ instancePath: '/cursor', keyword: 'cursor', message: 'not a cursor of this export' }],
    });
  }
  return key;
}
