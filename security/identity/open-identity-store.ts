import type { IdentityStore } from './port';
import { MongoIdentityStore } from './mongo-identity-store';
import { PostgresIdentityStore } from './postgres-identity-store';
import { SqliteIdentityStore } from './sqlite-identity-store';

/**
 * The identity store: MongoDB when `mongodbUri` is given (database from the URI), else PostgreSQL
 * when `databaseUrl` is, else `${dataDir}/identity.sqlite`.
 */
export async function openIdentityStore(options: { mongodbUri?: string; dataDir: string; databaseUrl?: string }): Promise<IdentityStore> {
  if (options.mongodbUri) return MongoIdentityStore.connect(options.mongodbUri);
  if (options.databaseUrl?.trim()) return PostgresIdentityStore.open({ url: options.databaseUrl.trim() });
  return SqliteIdentityStore.inDataDir(options.dataDir);
}
