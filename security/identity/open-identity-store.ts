import type { IdentityStore } from './port';
import { MongoIdentityStore } from './mongo-identity-store';
import { SqliteIdentityStore } from './sqlite-identity-store';

/** The identity store: MongoDB when `mongodbUri` is given (database from the URI), else `${dataDir}/identity.sqlite`. */
export async function openIdentityStore(options: { mongodbUri?: string; dataDir: string }): Promise<IdentityStore> {
  if (options.mongodbUri) return MongoIdentityStore.connect(options.mongodbUri);
  return SqliteIdentityStore.inDataDir(options.dataDir);
}
