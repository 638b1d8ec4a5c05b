/** Picks the read store from configuration: MongoDB when its URI is given, else PostgreSQL when `DATABASE_URL` is, else the embedded file. */
import { join } from 'node:path';
import { MongoReadStore } from './mongo-read-store';
import { PostgresReadStore } from './postgres-read-store';
import type { ReadStore } from './port';
import { SqliteReadStore } from './sqlite-read-store';

export interface OpenReadStoreOptions {
  /** `MONGODB_URI` (a replica set: commits are transactions); empty or unset: embedded store. */
  readonly mongodbUri?: string;
  /** `IMS_DATA_DIR`: the embedded store lives at `${dataDir}/read.sqlite`. */
  readonly dataDir: string;
  /** `DATABASE_URL`. */
  readonly databaseUrl?: string;
}

export async function openReadStore(options: OpenReadStoreOptions): Promise<ReadStore> {
  const uri = options.mongodbUri?.trim();
  if (uri) return MongoReadStore.open({ uri });
  const databaseUrl = options.databaseUrl?.trim();
  if (databaseUrl) return PostgresReadStore.open({ url: databaseUrl });
  return new SqliteReadStore({ path: join(options.dataDir, 'read.sqlite') });
}
