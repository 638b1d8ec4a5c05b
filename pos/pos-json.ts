/**
 * JSON parsing for POS payloads. Shopify order, line and location ids exceed 2^53: JSON.parse
 * would round them. Integers that do not fit a double arrive as their exact decimal text.
 */
import { isSafeNumber, parse } from 'lossless-json';
import { UnreadablePayload } from './effects';

export function parsePosJson(text: string): unknown {
  try {
    return parse(text, null, (value: string) => (isSafeNumber(value) ? Number(value) : value));
  } catch (error) {
    throw new UnreadablePayload(`body is not JSON: ${(error as Error).message}`);
  }
}

/** A POS id (text or integer) as text, exactly as sent. */
export function idText(value: string | number | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'number' ? String(value) : value;
}
