/**
 * Narrows a recorded event to the typed union the read models switch over. Event types the
 * read models do not know (another capability's events) are skipped, not rejected.
 */
import { eventSchemas } from '../../schemas/events';
import type { DomainEvent } from '../../schemas/types';
import type { RecordedEvent } from '../../write-side/eventstore/port';

export function asDomainEvent(event: RecordedEvent): DomainEvent | undefined {
  if (!Object.hasOwn(eventSchemas, event.type)) return undefined;
  return { type: event.type, data: event.data } as DomainEvent;
}
