import { join } from 'node:path';
import { MongoOutboundStore } from './mongo-outbound-store';
import { PostgresOutboundStore } from './postgres-outbound-store';
import type { OutboundStore } from './outbound-store';
import { SqliteOutboundStore } from './sqlite-outbound-store';

/** The outbound store: MongoDB when `mongodbUri` is given, else PostgreSQL when `databaseUrl` is, else `${dataDir}/outbound.sqlite`. */
export async function openOutboundStore(options: { mongodbUri?: string; dataDir: string; databaseUrl?: string }): Promise<OutboundStore> {
  const uri = options.mongodbUri?.trim();
  if (uri) return MongoOutboundStore.open(uri);
  if (options.databaseUrl?.trim()) return PostgresOutboundStore.open({ url: options.databaseUrl.trim() });
  return new SqliteOutboundStore(join(options.dataDir, 'outbound.sqlite'));
}
