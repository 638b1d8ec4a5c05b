/**
 * Event ids. Anything a client or a POS may send twice gets a deterministic id (uuid v5 of a
 * stable name), so the store can recognise the repeat; everything else gets a random v4.
 */
import { v4, v5 } from 'uuid';

/** Fixed namespace of Stocktide's v5 ids: changing it would break deduplication of old repeats. */
export const STOCKTIDE_NAMESPACE = '3d5c6a0e-8f1b-4c55-9a3e-5b7e2f4d9c61';

export const newId = (): string => v4();
export const deterministicId = (name: string): string => v5(name, STOCKTIDE_NAMESPACE);

/** The id of the event a POS sale becomes: `pos:{connectionId}:{eventId}`. */
export const posSaleEventId = (connectionId: string, eventId: string): string => deterministicId(`pos:${connectionId}:${eventId}`);
/** A return from the same POS event (a ticket with sold and returned lines) must not share the sale's id. */
export const posReturnEventId = (connectionId: string, eventId: string): string =>
  deterministicId(`pos:${connectionId}:${eventId}:return`);
