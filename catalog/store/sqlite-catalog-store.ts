/** Embedded catalog store: one SQLite file, synchronous=FULL (a cursor acknowledged is a cursor kept). */
import type Database from 'better-sqlite3';
import { openSqlite } from '../../storage/sqlite';
import type { CatalogStore, ConnectionCatalogSettings, ImportJob } from './catalog-store';
import { applyProductPushUpdate, coalesceProductPush, type ProductPushJob, type ProductPushStatus, type ProductPushUpdate } from '../push/product-push-job';

export class SqliteCatalogStore implements CatalogStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = openSqlite(path, { synchronous: 'FULL' });
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS catalog_imports (
        id TEXT PRIMARY KEY, connection_id TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL, doc TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS catalog_settings (connection_id TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS catalog_product_pushes (
        id TEXT PRIMARY KEY, connection_id TEXT NOT NULL, status TEXT NOT NULL, next_attempt_at TEXT NOT NULL, updated_at TEXT NOT NULL, doc TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS catalog_product_pushes_due ON catalog_product_pushes (status, next_attempt_at, id);
      CREATE TABLE IF NOT EXISTS catalog_cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL);`);
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

  async upsertProductPush(job: ProductPushJob): Promise<ProductPushJob> {
    return this.db.transaction(() => {
      const stored = this.readPush(job.id);
      const next = coalesceProductPush(stored, job);
      if (next !== stored) this.writePush(next);
      return next;
    }).immediate();
  }

  async getProductPush(id: string): Promise<ProductPushJob | undefined> {
    return this.readPush(id);
  }

  async updateProductPush(id: string, update: ProductPushUpdate): Promise<ProductPushJob | undefined> {
    return this.db.transaction(() => {
      const stored = this.readPush(id);
      if (!stored) return undefined;
      const next = applyProductPushUpdate(stored, update);
      this.writePush(next);
      return next;
    }).immediate();
  }

  async dueProductPushes(now: string, limit: number): Promise<ProductPushJob[]> {
    return this.db.prepare<[string, number], { doc: string }>(
      `SELECT doc FROM catalog_product_pushes WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
    ).all(now, limit).map((r) => JSON.parse(r.doc) as ProductPushJob);
  }

  async listProductPushes(filter: { connectionId?: string; status?: ProductPushStatus; limit?: number } = {}): Promise<ProductPushJob[]> {
    return this.db.prepare<[string | null, string | null, string | null, string | null, number], { doc: string }>(
      `SELECT doc FROM catalog_product_pushes WHERE (? IS NULL OR connection_id = ?) AND (? IS NULL OR status = ?)
       ORDER BY updated_at DESC, id DESC LIMIT ?`,
    ).all(filter.connectionId ?? null, filter.connectionId ?? null, filter.status ?? null, filter.status ?? null, filter.limit ?? 100)
      .map((r) => JSON.parse(r.doc) as ProductPushJob);
  }

  async getCursor(name: string): Promise<string | undefined> {
    return this.db.prepare<[string], { value: string }>('SELECT value FROM catalog_cursors WHERE name = ?').get(name)?.value;
  }

  async setCursor(name: string, value: string): Promise<void> {
    this.db.prepare('INSERT INTO catalog_cursors (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value').run(name, value);
  }

  private readPush(id: string): ProductPushJob | undefined {
    const row = this.db.prepare<[string], { doc: string }>('SELECT doc FROM catalog_product_pushes WHERE id = ?').get(id);
    return row ? (JSON.parse(row.doc) as ProductPushJob) : undefined;
  }

  private writePush(job: ProductPushJob): void {
    this.db.prepare(
      `INSERT INTO catalog_product_pushes (id, connection_id, status, next_attempt_at, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET status = excluded.status, next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at, doc = excluded.doc`,
    ).run(job.id, job.connectionId, job.status, job.nextAttemptAt, job.updatedAt, JSON.stringify(job));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
