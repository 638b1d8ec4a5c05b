import { join } from 'node:path';
import type { RateCounterStore } from './port';
import { SqliteRateCounterStore } from './sqlite-rate-counter-store';

/**
 * The rate counters every api instance shares: MongoDB when `mongodbUri` is given, else
 * PostgreSQL when `databaseUrl` is, else `${dataDir}/rate-limits.sqlite`.
 */
export async function openRateCounterStore(options: { mongodbUri?: string; dataDir: string; databaseUrl?: string }): Promise<RateCounterStore> {
  const uri = options.mongodbUri?.trim();
  if (uri) return (await import('./mongo-rate-counter-store')).MongoRateCounterStore.open(uri); // the driver only when used
  const databaseUrl = options.databaseUrl?.trim();
  if (databaseUrl) return (await import('./postgres-rate-counter-store')).PostgresRateCounterStore.open({ url: databaseUrl });
  return new SqliteRateCounterStore(join(options.dataDir, 'rate-limits.sqlite'));
}
