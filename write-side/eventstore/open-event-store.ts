/** Picks the event store from configuration: EventStoreDB when a URL is given, else the embedded file. */
import { join } from 'node:path';
import { EsdbEventStore } from './esdb-event-store';
import type { EventStore } from './port';
import { SqliteEventStore } from './sqlite-event-store';

export interface OpenEventStoreOptions {
  /** `EVENTSTORE_URL`, e.g. `esdb://localhost:2113?tls=false`; empty or unset: embedded store. */
  readonly eventStoreUrl?: string;
  /** `IMS_DATA_DIR`: the embedded store lives at `${dataDir}/events.sqlite`. */
  readonly dataDir: string;
}

export async function openEventStore(options: OpenEventStoreOptions): Promise<EventStore> {
  const url = options.eventStoreUrl?.trim();
  if (url) return EsdbEventStore.connect(url);
  return new SqliteEventStore({ path: join(options.dataDir, 'events.sqlite') });
}
