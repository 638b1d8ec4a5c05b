import { join } from 'node:path';
import type { LeaseStore } from './port';
import { SqliteLeaseStore } from './sqlite-lease-store';

/**
 * The lease store beside the read store it fences: MongoDB when `mongodbUri` is given, else
 * PostgreSQL when `databaseUrl` is (the `leases` table in the read store's schema), else the
 * `leases` table of `${dataDir}/read.sqlite`.
 */
export async function openLeaseStore(options: { mongodbUri?: string; dataDir: string; databaseUrl?: string }): Promise<LeaseStore> {
  const uri = options.mongodbUri?.trim();
  if (uri) return (await import('./mongo-lease-store')).MongoLeaseStore.open(uri); // the driver only when used
  const databaseUrl = options.databaseUrl?.trim();
  if (databaseUrl) return (await import('./postgres-lease-store')).PostgresLeaseStore.open({ url: databaseUrl });
  return new SqliteLeaseStore(join(options.dataDir, 'read.sqlite'));
}
