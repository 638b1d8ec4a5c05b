/**
 * The stores a role worker opens. Drivers of the real stack (EventStoreDB's gRPC client, the
 * MongoDB driver) are imported only when configured: each worker loads its own module graph,
 * and on the embedded stores those drivers are over a second of start-up per worker for nothing.
 */
import { join } from 'node:path';
import type { EventStore } from '../../write-side/eventstore/port';
import { SqliteEventStore } from '../../write-side/eventstore/sqlite-event-store';
import type { ReadStore } from '../../projections/readstore/port';
import { SqliteReadStore } from '../../projections/readstore/sqlite-read-store';
import type { LeaseStore } from '../../topology/lease/port';
import { SqliteLeaseStore } from '../../topology/lease/sqlite-lease-store';
import type { OutboundStore } from '../../outbound/store/outbound-store';
import { SqliteOutboundStore } from '../../outbound/store/sqlite-outbound-store';
import type { ConnectionStore } from '../../pos/connections/connection-store';
import { SqliteConnectionStore } from '../../pos/connections/sqlite-connection-store';
import type { RoleConfig } from './role-config';

export async function roleEventStore(config: RoleConfig): Promise<EventStore> {
  if (config.eventStoreUrl || config.databaseUrl) return (await import('../../write-side/eventstore/open-event-store')).openEventStore(config);
  return new SqliteEventStore({ path: join(config.dataDir, 'events.sqlite') });
}

/** `keepChanges`: the projector keeps each batch's changes for the api (topology/projection-feed.ts). */
export async function roleReadStore(config: RoleConfig, keepChanges: boolean): Promise<ReadStore> {
  // PostgreSQL keeps every batch's changes (read_changes), whatever `keepChanges` says.
  if (config.mongodbUri || config.databaseUrl) return (await import('../../projections/readstore/open-read-store')).openReadStore(config);
  return new SqliteReadStore({ path: join(config.dataDir, 'read.sqlite'), keepChanges });
}

export async function roleLeaseStore(config: RoleConfig): Promise<LeaseStore> {
  if (config.mongodbUri || config.databaseUrl) return (await import('../../topology/lease/open-lease-store')).openLeaseStore(config);
  return new SqliteLeaseStore(join(config.dataDir, 'read.sqlite'));
}

export async function roleOutboundStore(config: RoleConfig): Promise<OutboundStore> {
  if (config.mongodbUri || config.databaseUrl) return (await import('../../outbound/store/open-outbound-store')).openOutboundStore(config);
  return new SqliteOutboundStore(join(config.dataDir, 'outbound.sqlite'));
}

export async function roleConnectionStore(config: RoleConfig): Promise<ConnectionStore> {
  if (config.mongodbUri || config.databaseUrl) return (await import('../../pos/connections/open-pos-store')).openPosStore(config);
  return new SqliteConnectionStore(join(config.dataDir, 'pos.sqlite'));
}
