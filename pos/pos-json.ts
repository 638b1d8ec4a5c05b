/**
 * JSON parsing for POS payloads. Shopify order, line and location ids exceed 2^53: JSON.parse
 * would round them. Integers that do not fit a double arrive as their exact decimal text.
 *
 * Text is made well-formed: an unpaired UTF-16 surrogate (only a `\uD800`-`\uDFFF` escape can make
 * one; bytes are decoded as UTF-8 before) becomes U+FFFD. The stores do not agree on such a string
 * (PostgreSQL's jsonb refuses it, BSON replaces it, SQLite keeps it), so a till's broken title
 * would project differently per store or stop a projector; replaced here, at the edge, every event
 * carries the same text everywhere. The API's own bodies refuse them instead (security/json-body.ts):
 * a POS delivery is authentic and is applied, not refused.
 */
import { isSafeNumber, parse } from 'lossless-json';
import { UnreadablePayload } from './effects';

/** An escape of a surrogate code unit, which the parse may leave unpaired. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
/** A surrogate code unit without its partner. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const wellFormed = (_key: string, value: unknown): unknown =>
  typeof value === 'string' ? value.replace(LONE_SURROGATE, '\uFFFD') : value;

export function parsePosJson(text: string): unknown {
  try {
    // The reviver walks the whole document: only when an escape could have made a lone surrogate.
    return parse(text, SURROGATE_ESCAPE.test(text) ? wellFormed : null, (value: string) => (isSafeNumber(value) ? Number(value) : value));
  } catch (error) {
    throw new UnreadablePayload(`body is not JSON: ${(error as Error).message}`);
  }
}

/** A POS id (text or integer) as text, exactly as sent. */
export function idText(value: string | number | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'number' ? String(value) : value;
}
