/**
 * Snapshot store on PostgreSQL (`DATABASE_URL`): one table `snapshots` shared by every api
 * process on the database, so a stream folded by one instance loads from its snapshot on the
 * others. The state is kept as text (the exact JSON the codec wrote; JSONB would refuse
 * `\u0000` and respell numbers). A snapshot is a cache (port.ts): one the log does not confirm
 * is ignored by the loader, so a shared one is as safe as a per-process one.
 */
import { migrate, openPostgres, type Migration, type PostgresHandle } from '../../../storage/postgres';
import type { SnapshotStore, StreamSnapshot } from './port';

export const SNAPSHOT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'snapshots',
    // numeric(20): revisions compared as numbers whatever their size (the port's are bigint).
    sql: `CREATE TABLE snapshots (
      stream_id text COLLATE "C" PRIMARY KEY,
      version integer NOT NULL,
      revision numeric(20) NOT NULL,
      position numeric(20) NOT NULL,
      state text NOT NULL)`,
  },
];

interface Row { version: number; revision: string; position: string; state: string }

export class PostgresSnapshotStore implements SnapshotStore {
  readonly kind = 'postgres' as const;

  private constructor(private readonly db: PostgresHandle) {}

  static async open(options: { url: string; schema?: string }): Promise<PostgresSnapshotStore> {
    const db = await openPostgres(options);
    try {
      await migrate(db.pool, 'snapshots', SNAPSHOT_MIGRATIONS);
    } catch (error) {
      await db.release();
      throw error;
    }
    return new PostgresSnapshotStore(db);
  }

  async load(streamId: string): Promise<StreamSnapshot | undefined> {
    const row = (await this.db.pool.query<Row>('SELECT version, revision::text, position::text, state FROM snapshots WHERE stream_id = $1', [streamId])).rows[0];
    if (!row) return undefined;
    return { streamId, version: row.version, revision: BigInt(row.revision), position: BigInt(row.position), state: JSON.parse(row.state) };
  }

  async save(snapshot: StreamSnapshot): Promise<void> {
    // One statement: two writers racing on a stream serialize on its row and the newer stays.
    await this.db.pool.query(
      `INSERT INTO snapshots (stream_id, version, revision, position, state) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (stream_id) DO UPDATE SET
         version = excluded.version, revision = excluded.revision, position = excluded.position, state = excluded.state
       WHERE excluded.version <> snapshots.version OR excluded.revision > snapshots.revision`,
      [snapshot.streamId, snapshot.version, snapshot.revision.toString(), snapshot.position.toString(), JSON.stringify(snapshot.state)],
    );
  }

  async close(): Promise<void> {
    await this.db.release();
  }
}
