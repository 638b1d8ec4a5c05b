/**
 * Picks the event store from configuration: EventStoreDB when its URL is given, else PostgreSQL
 * when `DATABASE_URL` is, else the embedded file.
 */
import { join } from 'node:path';
import { EsdbEventStore } from './esdb-event-store';
import { PostgresEventStore } from './postgres-event-store';
import type { EventStore } from './port';
import { SqliteEventStore } from './sqlite-event-store';

export interface OpenEventStoreOptions {
  /** `EVENTSTORE_URL`, e.g. `esdb://localhost:2113?tls=false`; empty or unset: embedded store. */
  readonly eventStoreUrl?: string;
  /** `IMS_DATA_DIR`: the embedded store lives at `${dataDir}/events.sqlite`. */
  readonly dataDir: string;
  /** `DATABASE_URL`, e.g. `postgres://stocktide@127.0.0.1:5432/stocktide`. */
  readonly databaseUrl?: string;
  /** Embedded store only: commit in a worker thread (sqlite-event-store.ts). */
  readonly appendInWorker?: boolean;
}

export async function openEventStore(options: OpenEventStoreOptions): Promise<EventStore> {
  const url = options.eventStoreUrl?.trim();
  if (url) return EsdbEventStore.connect(url);
  const databaseUrl = options.databaseUrl?.trim();
  if (databaseUrl) return PostgresEventStore.open({ url: databaseUrl });
  return new SqliteEventStore({ path: join(options.dataDir, 'events.sqlite'), ...(options.appendInWorker && { appendInWorker: true }) });
}
