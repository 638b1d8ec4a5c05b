/**
 * POS store on PostgreSQL (`DATABASE_URL`): connections, quarantine and processed observations,
 * the same tables as the embedded store with documents as JSONB. Shared safely by several API
 * processes: dedupe is a unique key (`ON CONFLICT DO NOTHING`), a retry's resolution locks its
 * row (`FOR UPDATE`).
 */
import { migrate, openPostgres, transaction, type Migration, type PostgresHandle } from '../../storage/postgres';
import {
  ConnectionExists,
  type ConnectionStore, type NewQuarantineItem, type PosConnection, type QuarantineFilter, type QuarantineItem,
  type QuarantineResolution,
} from './connection-store';
import { applyResolution } from './sqlite-connection-store';

export const POS_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'connections, quarantine, processed observations',
    sql: `
CREATE TABLE pos_connections (id text COLLATE "C" PRIMARY KEY, doc jsonb NOT NULL);
CREATE TABLE pos_quarantine (
  seq           bigserial PRIMARY KEY,
  id            text NOT NULL UNIQUE,
  connection_id text NOT NULL,
  pos_event_id  text NOT NULL,
  status        text NOT NULL,
  doc           jsonb NOT NULL,
  UNIQUE (connection_id, pos_event_id)
);
CREATE INDEX pos_quarantine_status ON pos_quarantine (status, seq);
CREATE TABLE pos_processed (
  connection_id text NOT NULL,
  pos_event_id  text NOT NULL,
  position      text NOT NULL,
  at            text NOT NULL,
  PRIMARY KEY (connection_id, pos_event_id)
);`,
  },
];

export class PostgresConnectionStore implements ConnectionStore {
  readonly kind = 'postgres' as const;

  private constructor(private readonly db: PostgresHandle) {}

  static async open(options: { url: string; schema?: string }): Promise<PostgresConnectionStore> {
    const db = await openPostgres(options);
    try {
      await migrate(db.pool, 'pos', POS_MIGRATIONS);
    } catch (error) {
      await db.release();
      throw error;
    }
    return new PostgresConnectionStore(db);
  }

  private async docs<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.pool.query<{ doc: T }>(sql, params)).rows.map((r) => r.doc);
  }

  async createConnection(connection: PosConnection): Promise<void> {
    const result = await this.db.pool.query('INSERT INTO pos_connections (id, doc) VALUES ($1, $2::jsonb) ON CONFLICT (id) DO NOTHING',
      [connection.id, JSON.stringify(connection)]);
    if (result.rowCount === 0) throw new ConnectionExists(connection.id);
  }

  async getConnection(id: string): Promise<PosConnection | undefined> {
    return (await this.docs<PosConnection>('SELECT doc FROM pos_connections WHERE id = $1', [id]))[0];
  }

  async listConnections(): Promise<PosConnection[]> {
    return this.docs<PosConnection>('SELECT doc FROM pos_connections ORDER BY id');
  }

  async replaceConnection(connection: PosConnection): Promise<PosConnection | undefined> {
    const result = await this.db.pool.query('UPDATE pos_connections SET doc = $2::jsonb WHERE id = $1', [connection.id, JSON.stringify(connection)]);
    return result.rowCount === 0 ? undefined : connection;
  }

  async putQuarantine(item: NewQuarantineItem): Promise<QuarantineItem> {
    const stored: QuarantineItem = { ...item, status: 'open', attempts: 0 };
    await this.db.pool.query(
      `INSERT INTO pos_quarantine (id, connection_id, pos_event_id, status, doc) VALUES ($1, $2, $3, 'open', $4::jsonb)
       ON CONFLICT DO NOTHING`, [item.id, item.connectionId, item.posEventId, JSON.stringify(stored)]);
    const [existing] = await this.docs<QuarantineItem>(
      'SELECT doc FROM pos_quarantine WHERE connection_id = $1 AND pos_event_id = $2', [item.connectionId, item.posEventId]);
    return existing!;
  }

  async getQuarantine(id: string): Promise<QuarantineItem | undefined> {
    return (await this.docs<QuarantineItem>('SELECT doc FROM pos_quarantine WHERE id = $1', [id]))[0];
  }

  async listQuarantine(filter: QuarantineFilter = {}): Promise<QuarantineItem[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status) { params.push(filter.status); where.push(`status = $${params.length}`); }
    if (filter.connectionId) { params.push(filter.connectionId); where.push(`connection_id = $${params.length}`); }
    params.push(filter.limit ?? 1000);
    return this.docs<QuarantineItem>(
      `SELECT doc FROM pos_quarantine ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT $${params.length}`, params);
  }

  async resolveQuarantine(id: string, resolution: QuarantineResolution): Promise<QuarantineItem | undefined> {
    return transaction(this.db.pool, async (client) => {
      const { rows } = await client.query<{ doc: QuarantineItem }>('SELECT doc FROM pos_quarantine WHERE id = $1 FOR UPDATE', [id]);
      if (!rows[0]) return undefined;
      const next = applyResolution(rows[0].doc, resolution);
      await client.query('UPDATE pos_quarantine SET status = $2, doc = $3::jsonb WHERE id = $1', [id, next.status, JSON.stringify(next)]);
      return next;
    });
  }

  async getProcessed(connectionId: string, posEventId: string): Promise<string | undefined> {
    const { rows } = await this.db.pool.query<{ position: string }>(
      'SELECT position FROM pos_processed WHERE connection_id = $1 AND pos_event_id = $2', [connectionId, posEventId]);
    return rows[0]?.position;
  }

  async putProcessed(connectionId: string, posEventId: string, position: string, at: string): Promise<void> {
    await this.db.pool.query(
      'INSERT INTO pos_processed (connection_id, pos_event_id, position, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [connectionId, posEventId, position, at]);
  }

  async close(): Promise<void> {
    await this.db.release();
  }
}
