/**
 * Embedded POS store: one SQLite file (`${dataDir}/pos.sqlite`), WAL with synchronous=FULL so
 * a quarantined payload acknowledged with 202 survives a crash.
 *
 * Connections are cached in memory (every webhook looks its own up). A write through this store
 * updates the cache at once (an update or a secret rotation through the api takes effect with the
 * next request). A write through any other connection to the file (another api process, the
 * outbound worker) is seen through `PRAGMA data_version`, which changes when another connection
 * commits: it is read at most once per `recheckMs` (50 ms) and empties the cache when it moved,
 * so a change made elsewhere takes effect here within that time. Unknown ids are not cached (a
 * flood of made-up ids cannot grow the cache).
 */
import Database from 'better-sqlite3';
import { openSqlite } from '../../storage/sqlite';
import {
  ConnectionExists,
  type ConnectionStore, type NewQuarantineItem, type PosConnection, type QuarantineFilter, type QuarantineItem,
  type QuarantineResolution,
} from './connection-store';

interface QuarantineRow { id: string; doc: string }

export class SqliteConnectionStore implements ConnectionStore {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  /** Prepared once: every webhook looks its connection up. */
  private readonly connectionById: Database.Statement<[string], { doc: string }>;
  private readonly dataVersion: Database.Statement<[], number>;
  private readonly cached = new Map<string, PosConnection>();
  private seenVersion = -1;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private readonly recheckMs: number;
  private readonly now: () => number;

  constructor(path: string, options: { readonly recheckMs?: number; readonly now?: () => number } = {}) {
    this.recheckMs = options.recheckMs ?? 50;
    this.now = options.now ?? Date.now;
    this.db = openSqlite(path, { synchronous: 'FULL' });
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS pos_connections (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS pos_quarantine (
        seq           INTEGER PRIMARY KEY AUTOINCREMENT,
        id            TEXT NOT NULL UNIQUE,
        connection_id TEXT NOT NULL,
        pos_event_id  TEXT NOT NULL,
        status        TEXT NOT NULL,
        doc           TEXT NOT NULL,
        UNIQUE (connection_id, pos_event_id)
      );
      CREATE INDEX IF NOT EXISTS pos_quarantine_status ON pos_quarantine (status, seq);
      CREATE TABLE IF NOT EXISTS pos_processed (
        connection_id TEXT NOT NULL,
        pos_event_id  TEXT NOT NULL,
        position      TEXT NOT NULL,
        at            TEXT NOT NULL,
        PRIMARY KEY (connection_id, pos_event_id)
      );`);
    this.connectionById = this.db.prepare<[string], { doc: string }>('SELECT doc FROM pos_connections WHERE id = ?');
    this.dataVersion = this.db.prepare<[], number>('PRAGMA data_version').pluck();
  }

  async createConnection(connection: PosConnection): Promise<void> {
    const result = this.db.prepare('INSERT OR IGNORE INTO pos_connections (id, doc) VALUES (?, ?)')
      .run(connection.id, JSON.stringify(connection));
    if (result.changes === 0) throw new ConnectionExists(connection.id);
    this.cached.delete(connection.id);
  }

  async getConnection(id: string): Promise<PosConnection | undefined> {
    const now = this.now();
    if (now - this.checkedAt >= this.recheckMs) {
      this.checkedAt = now;
      const version = this.dataVersion.get()!;
      if (version !== this.seenVersion) {
        this.seenVersion = version;
        this.cached.clear(); // another connection committed: any connection may have changed
      }
    }
    const hit = this.cached.get(id);
    if (hit) return hit;
    const row = this.connectionById.get(id);
    if (!row) return undefined;
    // Shared by every caller until it changes: frozen, so no caller can alter another's copy.
    const connection = JSON.parse(row.doc) as PosConnection;
    Object.freeze(connection.locationMap);
    Object.freeze(connection.skuMap);
    this.cached.set(id, Object.freeze(connection));
    return connection;
  }

  async listConnections(): Promise<PosConnection[]> {
    return this.db.prepare<[], { doc: string }>('SELECT doc FROM pos_connections ORDER BY id').all()
      .map((row) => JSON.parse(row.doc) as PosConnection);
  }

  async replaceConnection(connection: PosConnection): Promise<PosConnection | undefined> {
    const result = this.db.prepare('UPDATE pos_connections SET doc = ? WHERE id = ?').run(JSON.stringify(connection), connection.id);
    this.cached.delete(connection.id);
    return result.changes === 0 ? undefined : connection;
  }

  async putQuarantine(item: NewQuarantineItem): Promise<QuarantineItem> {
    const stored: QuarantineItem = { ...item, status: 'open', attempts: 0 };
    this.db.prepare(
      'INSERT OR IGNORE INTO pos_quarantine (id, connection_id, pos_event_id, status, doc) VALUES (?, ?, ?, ?, ?)',
    ).run(item.id, item.connectionId, item.posEventId, 'open', JSON.stringify(stored));
    const row = this.db.prepare<[string, string], QuarantineRow>(
      'SELECT id, doc FROM pos_quarantine WHERE connection_id = ? AND pos_event_id = ?',
    ).get(item.connectionId, item.posEventId);
    return JSON.parse(row!.doc) as QuarantineItem;
  }

  async getQuarantine(id: string): Promise<QuarantineItem | undefined> {
    const row = this.db.prepare<[string], QuarantineRow>('SELECT id, doc FROM pos_quarantine WHERE id = ?').get(id);
    return row ? (JSON.parse(row.doc) as QuarantineItem) : undefined;
  }

  async listQuarantine(filter: QuarantineFilter = {}): Promise<QuarantineItem[]> {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (filter.status) { where.push('status = ?'); args.push(filter.status); }
    if (filter.connectionId) { where.push('connection_id = ?'); args.push(filter.connectionId); }
    const sql = `SELECT id, doc FROM pos_quarantine ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT ?`;
    args.push(filter.limit ?? 1000);
    return this.db.prepare<Array<string | number>, QuarantineRow>(sql).all(...args).map((r) => JSON.parse(r.doc) as QuarantineItem);
  }

  async resolveQuarantine(id: string, resolution: QuarantineResolution): Promise<QuarantineItem | undefined> {
    return this.db.transaction(() => {
      const row = this.db.prepare<[string], QuarantineRow>('SELECT id, doc FROM pos_quarantine WHERE id = ?').get(id);
      if (!row) return undefined;
      const next = applyResolution(JSON.parse(row.doc) as QuarantineItem, resolution);
      this.db.prepare('UPDATE pos_quarantine SET status = ?, doc = ? WHERE id = ?').run(next.status, JSON.stringify(next), id);
      return next;
    })();
  }

  async getProcessed(connectionId: string, posEventId: string): Promise<string | undefined> {
    return this.db.prepare<[string, string], { position: string }>(
      'SELECT position FROM pos_processed WHERE connection_id = ? AND pos_event_id = ?',
    ).get(connectionId, posEventId)?.position;
  }

  async putProcessed(connectionId: string, posEventId: string, position: string, at: string): Promise<void> {
    this.db.prepare('INSERT OR IGNORE INTO pos_processed (connection_id, pos_event_id, position, at) VALUES (?, ?, ?, ?)')
      .run(connectionId, posEventId, position, at);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Pure: the item after a retry. A released item is never reopened. */
export function applyResolution(item: QuarantineItem, resolution: QuarantineResolution): QuarantineItem {
  if (item.status === 'released') return item;
  const attempted = { ...item, attempts: item.attempts + 1, lastAttemptAt: resolution.at };
  if (resolution.status === 'open') return { ...attempted, reason: resolution.reason, detail: resolution.detail };
  return {
    ...attempted,
    status: 'released',
    releasedAt: resolution.at,
    releasedAs: resolution.as,
    ...(resolution.position !== undefined && { releasedPosition: resolution.position }),
  };
}
