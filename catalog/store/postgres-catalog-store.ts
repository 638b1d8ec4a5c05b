/**
 * Catalog store on PostgreSQL (`DATABASE_URL`): import jobs, per-connection catalog settings,
 * product push jobs and the pusher's cursors, shared by every api process on the database (an
 * import started through one instance is listed and resumed by any). A job's cursor is acknowledged after its COMMIT. Documents are JSON text
 * as in the embedded store; the columns beside them are what the listing filters and orders on.
 */
import { migrate, openPostgres, type Migration, type PostgresHandle } from '../../storage/postgres';
import type { CatalogStore, ConnectionCatalogSettings, ImportJob } from './catalog-store';
import { applyProductPushUpdate, coalesceProductPush, type ProductPushJob, type ProductPushStatus, type ProductPushUpdate } from '../push/product-push-job';

export const CATALOG_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'catalog imports and settings',
    sql: `CREATE TABLE catalog_imports (
        id text COLLATE "C" PRIMARY KEY,
        connection_id text COLLATE "C" NOT NULL,
        status text NOT NULL,
        started_at text COLLATE "C" NOT NULL,
        doc text NOT NULL);
      CREATE INDEX catalog_imports_started ON catalog_imports (started_at DESC, id DESC);
      CREATE TABLE catalog_settings (connection_id text COLLATE "C" PRIMARY KEY, doc text NOT NULL);`,
  },
  {
    version: 2,
    name: 'product pushes and cursors',
    sql: `CREATE TABLE catalog_product_pushes (
        id text COLLATE "C" PRIMARY KEY,
        connection_id text COLLATE "C" NOT NULL,
        status text NOT NULL,
        next_attempt_at text COLLATE "C" NOT NULL,
        updated_at text COLLATE "C" NOT NULL,
        doc text NOT NULL);
      CREATE INDEX catalog_product_pushes_due ON catalog_product_pushes (status, next_attempt_at, id);
      CREATE INDEX catalog_product_pushes_log ON catalog_product_pushes (connection_id, updated_at DESC, id DESC);
      CREATE TABLE catalog_cursors (name text COLLATE "C" PRIMARY KEY, value text NOT NULL);`,
  },
];

interface Row { doc: string }

export class PostgresCatalogStore implements CatalogStore {
  private constructor(private readonly db: PostgresHandle) {}

  static async open(options: { url: string; schema?: string }): Promise<PostgresCatalogStore> {
    const db = await openPostgres(options);
    try {
      await migrate(db.pool, 'catalog', CATALOG_MIGRATIONS);
    } catch (error) {
      await db.release();
      throw error;
    }
    return new PostgresCatalogStore(db);
  }

  async putImport(job: ImportJob): Promise<void> {
    await this.db.pool.query(
      `INSERT INTO catalog_imports (id, connection_id, status, started_at, doc) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, doc = excluded.doc`,
      [job.id, job.connectionId, job.status, job.startedAt, JSON.stringify(job)],
    );
  }

  async getImport(id: string): Promise<ImportJob | undefined> {
    const row = (await this.db.pool.query<Row>('SELECT doc FROM catalog_imports WHERE id = $1', [id])).rows[0];
    return row ? (JSON.parse(row.doc) as ImportJob) : undefined;
  }

  async listImports(filter: { connectionId?: string; status?: ImportJob['status'] } = {}): Promise<ImportJob[]> {
    const { rows } = await this.db.pool.query<Row>(
      `SELECT doc FROM catalog_imports WHERE ($1::text IS NULL OR connection_id = $1) AND ($2::text IS NULL OR status = $2)
       ORDER BY started_at DESC, id DESC LIMIT 200`,
      [filter.connectionId ?? null, filter.status ?? null],
    );
    return rows.map((r) => JSON.parse(r.doc) as ImportJob);
  }

  async getSettings(connectionId: string): Promise<ConnectionCatalogSettings | undefined> {
    const row = (await this.db.pool.query<Row>('SELECT doc FROM catalog_settings WHERE connection_id = $1', [connectionId])).rows[0];
    return row ? (JSON.parse(row.doc) as ConnectionCatalogSettings) : undefined;
  }

  async putSettings(connectionId: string, settings: ConnectionCatalogSettings): Promise<void> {
    await this.db.pool.query(
      'INSERT INTO catalog_settings (connection_id, doc) VALUES ($1, $2) ON CONFLICT (connection_id) DO UPDATE SET doc = excluded.doc',
      [connectionId, JSON.stringify(settings)],
    );
  }

  /** Insert if absent; else coalesce under the row's lock (the admin's retry may race the pusher). */
  async upsertProductPush(job: ProductPushJob): Promise<ProductPushJob> {
    const inserted = await this.db.pool.query(
      `INSERT INTO catalog_product_pushes (id, connection_id, status, next_attempt_at, updated_at, doc) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO NOTHING`,
      [job.id, job.connectionId, job.status, job.nextAttemptAt, job.updatedAt, JSON.stringify(job)],
    );
    if (inserted.rowCount === 1) return job;
    return this.underLock(job.id, (stored) => coalesceProductPush(stored, job)) as Promise<ProductPushJob>;
  }

  async getProductPush(id: string): Promise<ProductPushJob | undefined> {
    const row = (await this.db.pool.query<Row>('SELECT doc FROM catalog_product_pushes WHERE id = $1', [id])).rows[0];
    return row ? (JSON.parse(row.doc) as ProductPushJob) : undefined;
  }

  async updateProductPush(id: string, update: ProductPushUpdate): Promise<ProductPushJob | undefined> {
    return this.underLock(id, (stored) => applyProductPushUpdate(stored, update));
  }

  async dueProductPushes(now: string, limit: number): Promise<ProductPushJob[]> {
    const { rows } = await this.db.pool.query<Row>(
      `SELECT doc FROM catalog_product_pushes WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2`, [now, limit],
    );
    return rows.map((r) => JSON.parse(r.doc) as ProductPushJob);
  }

  async listProductPushes(filter: { connectionId?: string; status?: ProductPushStatus; limit?: number } = {}): Promise<ProductPushJob[]> {
    const { rows } = await this.db.pool.query<Row>(
      `SELECT doc FROM catalog_product_pushes WHERE ($1::text IS NULL OR connection_id = $1) AND ($2::text IS NULL OR status = $2)
       ORDER BY updated_at DESC, id DESC LIMIT $3`,
      [filter.connectionId ?? null, filter.status ?? null, filter.limit ?? 100],
    );
    return rows.map((r) => JSON.parse(r.doc) as ProductPushJob);
  }

  async getCursor(name: string): Promise<string | undefined> {
    return (await this.db.pool.query<{ value: string }>('SELECT value FROM catalog_cursors WHERE name = $1', [name])).rows[0]?.value;
  }

  async setCursor(name: string, value: string): Promise<void> {
    await this.db.pool.query('INSERT INTO catalog_cursors (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value', [name, value]);
  }

  /** Reads the job FOR UPDATE, writes `change(stored)` when it differs, in one transaction. */
  private async underLock(id: string, change: (stored: ProductPushJob) => ProductPushJob): Promise<ProductPushJob | undefined> {
    const client = await this.db.pool.connect();
    try {
      await client.query('BEGIN');
      const row = (await client.query<Row>('SELECT doc FROM catalog_product_pushes WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!row) {
        await client.query('ROLLBACK');
        return undefined;
      }
      const stored = JSON.parse(row.doc) as ProductPushJob;
      const next = change(stored);
      if (next !== stored) {
        await client.query(
          'UPDATE catalog_product_pushes SET status = $2, next_attempt_at = $3, updated_at = $4, doc = $5 WHERE id = $1',
          [id, next.status, next.nextAttemptAt, next.updatedAt, JSON.stringify(next)],
        );
      }
      await client.query('COMMIT');
      return next;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.db.release();
  }
}
