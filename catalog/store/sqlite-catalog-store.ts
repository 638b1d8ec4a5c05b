/** Embedded catalog store: one SQLite file, synchronous=FULL (a cursor acknowledged is a cursor kept). */
import type Database from 'better-sqlite3';
import { openSqlite } from '../../storage/sqlite';
import type { CatalogStore, ConnectionCatalogSettings, ImportJob } from './catalog-store';

export class SqliteCatalogStore implements CatalogStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = openSqlite(path, { synchronous: 'FULL' });
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS catalog_imports (
        id TEXT PRIMARY KEY, connection_id TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL, doc TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS catalog_settings (connection_id TEXT PRIMARY KEY, doc TEXT NOT NULL);`);
  }

  async putImport(job: ImportJob): Promise<void> {
    this.db.prepare('INSERT INTO catalog_imports (id, connection_id, status, started_at, doc) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET status = excluded.status, doc = excluded.doc')
      .run(job.id, job.connectionId, job.status, job.startedAt, JSON.stringify(job));
  }

  async getImport(id: string): Promise<ImportJob | undefined> {
    const row = this.db.prepare<[string], { doc: string }>('SELECT doc FROM catalog_imports WHERE id = ?').get(id);
    return row ? (JSON.parse(row.doc) as ImportJob) : undefined;
  }

  async listImports(filter: { connectionId?: string; status?: ImportJob['status'] } = {}): Promise<ImportJob[]> {
    const rows = this.db.prepare<[string | null, string | null, string | null, string | null], { doc: string }>(
      'SELECT doc FROM catalog_imports WHERE (? IS NULL OR connection_id = ?) AND (? IS NULL OR status = ?) ORDER BY started_at DESC, id DESC LIMIT 200',
    ).all(filter.connectionId ?? null, filter.connectionId ?? null, filter.status ?? null, filter.status ?? null);
    return rows.map((r) => JSON.parse(r.doc) as ImportJob);
  }

  async getSettings(connectionId: string): Promise<ConnectionCatalogSettings | undefined> {
    const row = this.db.prepare<[string], { doc: string }>('SELECT doc FROM catalog_settings WHERE connection_id = ?').get(connectionId);
    return row ? (JSON.parse(row.doc) as ConnectionCatalogSettings) : undefined;
  }

  async putSettings(connectionId: string, settings: ConnectionCatalogSettings): Promise<void> {
    this.db.prepare('INSERT INTO catalog_settings (connection_id, doc) VALUES (?, ?) ON CONFLICT(connection_id) DO UPDATE SET doc = excluded.doc')
      .run(connectionId, JSON.stringify(settings));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
