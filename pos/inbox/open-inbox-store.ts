import { join } from 'node:path';
import type { InboxStore } from './inbox-store';
import { MongoInboxStore } from './mongo-inbox-store';
import { PostgresInboxStore } from './postgres-inbox-store';
import { SqliteInboxStore } from './sqlite-inbox-store';

/** The POS inbox: MongoDB when `mongodbUri` is given, else PostgreSQL when `databaseUrl` is, else `${dataDir}/pos-inbox.sqlite`. */
/** `checkpointInWorker`: the embedded file's WAL is checkpointed off the api thread (sqlite-inbox-store.ts). */
export async function openInboxStore(options: { mongodbUri?: string; dataDir: string; databaseUrl?: string; checkpointInWorker?: boolean }): Promise<InboxStore> {
  if (options.mongodbUri) return MongoInboxStore.open(options.mongodbUri);
  if (options.databaseUrl?.trim()) return PostgresInboxStore.open({ url: options.databaseUrl.trim() });
  return new SqliteInboxStore(join(options.dataDir, 'pos-inbox.sqlite'), { ...(options.checkpointInWorker && { checkpointInWorker: true }) });
}
