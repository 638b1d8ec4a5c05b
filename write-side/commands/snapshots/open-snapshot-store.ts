import { join } from 'node:path';
import { MongoSnapshotStore } from './mongo-snapshot-store';
import type { SnapshotStore } from './port';
import { SqliteSnapshotStore } from './sqlite-snapshot-store';

/** The snapshot store: MongoDB when `mongodbUri` is given, else `${dataDir}/snapshots.sqlite`. */
export async function openSnapshotStore(options: { mongodbUri?: string; dataDir: string }): Promise<SnapshotStore> {
  const uri = options.mongodbUri?.trim();
  if (uri) return MongoSnapshotStore.open(uri);
  return new SqliteSnapshotStore(join(options.dataDir, 'snapshots.sqlite'));
}
