/**
 * MongoDB snapshot store (used when `MONGODB_URI` is set): one document per stream in the
 * `snapshots` collection. The conditional upsert keeps the newer of two racing writers: an
 * older save matches no document and its insert hits the _id, which is ignored.
 */
import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import type { SnapshotStore, StreamSnapshot } from './port';

interface SnapshotDoc {
  _id: string;
  version: number;
  /** Zero-padded decimal: compares as text exactly like the number. */
  revision: string;
  position: string;
  /** JSON text: the state is kept exactly (Mongo would reorder nothing, but may reject keys with dots). */
  state: string;
}

const DUPLICATE_KEY = 11000;
const pad = (n: bigint) => n.toString().padStart(20, '0');

export class MongoSnapshotStore implements SnapshotStore {
  readonly kind = 'mongodb' as const;
  private constructor(private readonly client: MongoClient, private readonly snapshots: Collection<SnapshotDoc>) {}

  static async open(uri: string, options: { database?: string; collection?: string } = {}): Promise<MongoSnapshotStore> {
    const client = await new MongoClient(uri).connect();
    return new MongoSnapshotStore(client, client.db(options.database).collection<SnapshotDoc>(options.collection ?? 'snapshots'));
  }

  async load(streamId: string): Promise<StreamSnapshot | undefined> {
    const doc = await this.snapshots.findOne({ _id: streamId });
    if (!doc) return undefined;
    return { streamId, version: doc.version, revision: BigInt(doc.revision), position: BigInt(doc.position), state: JSON.parse(doc.state) };
  }

  async save(snapshot: StreamSnapshot): Promise<void> {
    const revision = pad(snapshot.revision);
    const doc = { version: snapshot.version, revision, position: snapshot.position.toString(), state: JSON.stringify(snapshot.state) };
    try {
      await this.snapshots.updateOne(
        { _id: snapshot.streamId, $or: [{ version: { $ne: snapshot.version } }, { revision: { $lt: revision } }] },
        { $set: doc },
        { upsert: true },
      );
    } catch (error) {
      // A newer snapshot is stored: the filter missed it and the upsert collided with its _id.
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return;
      throw error;
    }
  }

  /** Tests only: drops the database this store writes to. */
  async dropDatabase(): Promise<void> {
    await this.snapshots.db.dropDatabase();
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
