import { join } from 'node:path';
import type { InboxStore } from './inbox-store';
import { MongoInboxStore } from './mongo-inbox-store';
import { SqliteInboxStore } from './sqlite-inbox-store';

/** The POS inbox: MongoDB when `mongodbUri` is given, else `${dataDir}/pos-inbox.sqlite`. */
export async function openInboxStore(options: { mongodbUri?: string; dataDir: string }): Promise<InboxStore> {
  if (options.mongodbUri) return MongoInboxStore.open(options.mongodbUri);
  return new SqliteInboxStore(join(options.dataDir, 'pos-inbox.sqlite'));
}
