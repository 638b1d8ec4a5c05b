/**
 * Event ids. Anything a client or a POS may send twice gets a deterministic id (uuid v5 of a
 * stable name), so the store can recognise the repeat; everything else gets a random v4.
 */
import { createHash } from 'node:crypto';
import { v4 } from 'uuid';

/** Fixed namespace of Stocktide's v5 ids: changing it would break deduplication of old repeats. */
export const STOCKTIDE_NAMESPACE = '3d5c6a0e-8f1b-4c55-9a3e-5b7e2f4d9c61';
const NAMESPACE_BYTES = Buffer.from(STOCKTIDE_NAMESPACE.replaceAll('-', ''), 'hex');

export const newId = (): string => v4();

/**
 * RFC 4122 uuid v5 (SHA-1 of namespace + UTF-8 name), byte for byte what `uuid`'s `v5` gives,
 * but hashed natively: the `uuid` package converts and hashes in JavaScript, a visible cost on
 * the webhook path (one id per sale).
 */
export function deterministicId(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE_BYTES).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The id of the event a POS sale becomes: `pos:{connectionId}:{eventId}`. */
export const posSaleEventId = (connectionId: string, eventId: string): string => deterministicId(`pos:${connectionId}:${eventId}`);
/** A return from the same POS event (a ticket with sold and returned lines) must not share the sale's id. */
export const posReturnEventId = (connectionId: string, eventId: string): string =>
  deterministicId(`pos:${connectionId}:${eventId}:return`);
