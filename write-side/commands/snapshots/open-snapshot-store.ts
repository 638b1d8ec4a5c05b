import { join } from 'node:path';
import { MongoSnapshotStore } from './mongo-snapshot-store';
import type { SnapshotStore } from './port';
import { PostgresSnapshotStore } from './postgres-snapshot-store';
import { SqliteSnapshotStore } from './sqlite-snapshot-store';

/** The snapshot store: MongoDB when `mongodbUri` is given, else PostgreSQL when `databaseUrl` is, else `${dataDir}/snapshots.sqlite`. */
export async function openSnapshotStore(options: { mongodbUri?: string; dataDir: string; databaseUrl?: string }): Promise<SnapshotStore> {
  const uri = options.mongodbUri?.trim();
  if (uri) return MongoSnapshotStore.open(uri);
  if (options.databaseUrl?.trim()) return PostgresSnapshotStore.open({ url: options.databaseUrl.trim() });
  return new SqliteSnapshotStore(join(options.dataDir, 'snapshots.sqlite'));
}
