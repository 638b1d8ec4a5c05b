/** Picks the read store from configuration: MongoDB when a URI is given, else the embedded file. */
import { join } from 'node:path';
import { MongoReadStore } from './mongo-read-store';
import type { ReadStore } from './port';
import { SqliteReadStore } from './sqlite-read-store';

export interface OpenReadStoreOptions {
  /** `MONGODB_URI` (a replica set: commits are transactions); empty or unset: embedded store. */
  readonly mongodbUri?: string;
  /** `IMS_DATA_DIR`: the embedded store lives at `${dataDir}/read.sqlite`. */
  readonly dataDir: string;
}

export async function openReadStore(options: OpenReadStoreOptions): Promise<ReadStore> {
  const uri = options.mongodbUri?.trim();
  if (uri) return MongoReadStore.open({ uri });
  return new SqliteReadStore({ path: join(options.dataDir, 'read.sqlite') });
}
