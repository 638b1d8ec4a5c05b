import { join } from 'node:path';
import type { ConnectionStore } from './connection-store';
import { MongoConnectionStore } from './mongo-connection-store';
import { SqliteConnectionStore } from './sqlite-connection-store';

/** The POS store: MongoDB when `mongodbUri` is given, else `${dataDir}/pos.sqlite`. */
export async function openPosStore(options: { mongodbUri?: string; dataDir: string }): Promise<ConnectionStore> {
  if (options.mongodbUri) return MongoConnectionStore.open(options.mongodbUri);
  return new SqliteConnectionStore(join(options.dataDir, 'pos.sqlite'));
}
