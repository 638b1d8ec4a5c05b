/**
 * Catalog store on PostgreSQL (`DATABASE_URL`): import jobs and per-connection catalog settings,
 * shared by every api process on the database (an import started through one instance is listed
 * and resumed by any). A job's cursor is acknowledged after its COMMIT. Documents are JSON text
 * as in the embedded store; the columns beside them are what the listing filters and orders on.
 */
import { migrate, openPostgres, type Migration, type PostgresHandle } from '../../storage/postgres';
import type { CatalogStore, ConnectionCatalogSettings, ImportJob } from './catalog-store';

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

  async close(): Promise<void> {
    await this.db.release();
  }
}
