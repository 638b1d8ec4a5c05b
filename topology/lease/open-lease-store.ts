import { join } from 'node:path';
import type { LeaseStore } from './port';
import { SqliteLeaseStore } from './sqlite-lease-store';

/**
 * The lease store beside the read store it fences: MongoDB when `mongodbUri` is given, else the
 * `leases` table of `${dataDir}/read.sqlite`.
 */
export async function openLeaseStore(options: { mongodbUri?: string; dataDir: string }): Promise<LeaseStore> {
  const uri = options.mongodbUri?.trim();
  if (uri) return (await import('./mongo-lease-store')).MongoLeaseStore.open(uri); // the driver only when used
  return new SqliteLeaseStore(join(options.dataDir, 'read.sqlite'));
}
