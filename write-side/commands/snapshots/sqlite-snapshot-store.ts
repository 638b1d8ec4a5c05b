/**
 * Embedded snapshot store: `${dataDir}/snapshots.sqlite`, written only by the process (thread)
 * that runs the command service. synchronous=NORMAL: a snapshot lost to a power cut costs a
 * replay of the stream, never a wrong answer (port.ts).
 */
import type Database from 'better-sqlite3';
import { openSqlite } from '../../../storage/sqlite';
import type { SnapshotStore, StreamSnapshot } from './port';

interface Row {
  version: number;
  revision: string;
  position: string;
  state: string;
}

export class SqliteSnapshotStore implements SnapshotStore {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  private readonly stmt;

  constructor(path: string) {
    this.db = openSqlite(path, { synchronous: 'NORMAL' });
    // Revisions as zero-padded text: compared exactly whatever their size.
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS snapshots (
        stream_id TEXT PRIMARY KEY,
        version   INTEGER NOT NULL,
        revision  TEXT    NOT NULL,
        position  TEXT    NOT NULL,
        state     TEXT    NOT NULL
      );`);
    this.stmt = {
      load: this.db.prepare<[string], Row>('SELECT version, revision, position, state FROM snapshots WHERE stream_id = ?'),
      save: this.db.prepare<[string, number, string, string, string]>(`
        INSERT INTO snapshots (stream_id, version, revision, position, state) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (stream_id) DO UPDATE SET
          version = excluded.version, revision = excluded.revision, position = excluded.position, state = excluded.state
        WHERE excluded.version <> snapshots.version OR excluded.revision > snapshots.revision`),
    };
  }

  async load(streamId: string): Promise<StreamSnapshot | undefined> {
    const row = this.stmt.load.get(streamId);
    if (!row) return undefined;
    return { streamId, version: row.version, revision: BigInt(row.revision), position: BigInt(row.position), state: JSON.parse(row.state) };
  }

  async save(snapshot: StreamSnapshot): Promise<void> {
    this.stmt.save.run(snapshot.streamId, snapshot.version, pad(snapshot.revision), snapshot.position.toString(), JSON.stringify(snapshot.state));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

const pad = (n: bigint) => n.toString().padStart(20, '0');
