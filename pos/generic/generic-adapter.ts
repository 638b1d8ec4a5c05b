/**
 * The generic webhook (and CSV tickets): `{eventId,type,locationId,occurredAt,lines}` with the
 * POS's own location id and SKUs, mapped through the connection's maps. Pure.
 */
import type { FromSchema } from 'json-schema-to-ts';
import { GenericPosEvent } from '../../schemas/pos';
import { assertValid } from '../../schemas/validation';
import { isoTime, lookup, MalformedPayload, mergeLines, type ConnectionMaps, type PosEffect } from '../effects';

export type GenericEvent = FromSchema<typeof GenericPosEvent>;

export function genericEffect(payload: unknown, c: ConnectionMaps): PosEffect {
  assertValid<GenericEvent>(GenericPosEvent, payload, 'POS event');
  return genericEventEffect(payload, c);
}

/** For an already validated event (the CSV import builds them row by row). */
export function genericEventEffect(event: GenericEvent, c: ConnectionMaps): PosEffect {
  const occurredAt = isoTime(event.occurredAt);
  if (!occurredAt) throw new MalformedPayload('occurredAt is not a date');
  const locationId = lookup(c.locationMap, event.locationId);
  if (!locationId) {
    return { kind: 'quarantine', posEventId: event.eventId, reason: 'unmapped-location', detail: `POS location ${event.locationId} is not in the location map` };
  }
  // A POS SKU maps through the SKU map when it has an entry, else it is taken as ours.
  const lines = mergeLines(event.lines.map((l) => ({ sku: lookup(c.skuMap, l.sku) ?? l.sku, quantity: l.quantity })));
  return { kind: event.type, tickets: [{ eventId: event.eventId, locationId, occurredAt, lines }] };
}
