import { join } from 'node:path';
import type { ConnectionStore } from './connection-store';
import { MongoConnectionStore } from './mongo-connection-store';
import { PostgresConnectionStore } from './postgres-connection-store';
import { SqliteConnectionStore } from './sqlite-connection-store';

/** The POS store: MongoDB when `mongodbUri` is given, else PostgreSQL when `databaseUrl` is, else `${dataDir}/pos.sqlite`. */
export async function openPosStore(options: { mongodbUri?: string; dataDir: string; databaseUrl?: string }): Promise<ConnectionStore> {
  if (options.mongodbUri) return MongoConnectionStore.open(options.mongodbUri);
  if (options.databaseUrl?.trim()) return PostgresConnectionStore.open({ url: options.databaseUrl.trim() });
  return new SqliteConnectionStore(join(options.dataDir, 'pos.sqlite'));
}
