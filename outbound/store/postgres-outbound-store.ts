/**
 * Outbound store on PostgreSQL (`DATABASE_URL`): subscriptions, the delivery log, push settings
 * and the sender's cursor, the same tables as the embedded store with documents as JSONB.
 * Read-modify-write steps (coalescing a push job, recording an attempt) run in a transaction
 * holding an advisory lock on the delivery id, so they are atomic even for a key not stored yet.
 */
import type pg from 'pg';
import { migrate, openPostgres, transaction, type Migration, type PostgresHandle } from '../../storage/postgres';
import {
  SubscriptionExists, applyUpdate, coalesce,
  type Delivery, type DeliveryFilter, type DeliveryUpdate, type OutboundStore, type PushJob, type Subscription, type WebhookDelivery,
} from './outbound-store';

export const OUTBOUND_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'subscriptions, deliveries, push settings, cursors',
    sql: `
CREATE TABLE webhook_subscriptions (seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, doc jsonb NOT NULL);
CREATE TABLE outbound_deliveries (
  id              text COLLATE "C" PRIMARY KEY,
  target          text NOT NULL,
  subscription_id text,
  connection_id   text,
  status          text NOT NULL,
  next_attempt_at text COLLATE "C" NOT NULL,
  updated_at      text COLLATE "C" NOT NULL,
  doc             jsonb NOT NULL
);
CREATE INDEX outbound_deliveries_due ON outbound_deliveries (status, next_attempt_at, id);
CREATE INDEX outbound_deliveries_log ON outbound_deliveries (target, updated_at, id);
CREATE TABLE outbound_push_settings (connection_id text COLLATE "C" PRIMARY KEY, enabled boolean NOT NULL);
CREATE TABLE outbound_cursors (name text PRIMARY KEY, value text NOT NULL);`,
  },
];

const UPSERT = `INSERT INTO outbound_deliveries (id, target, subscription_id, connection_id, status, next_attempt_at, updated_at, doc)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`;
const columns = (d: Delivery): unknown[] => [
  d.id, d.target, d.target === 'webhook' ? d.subscriptionId : null, d.target === 'pos-push' ? d.connectionId : null,
  d.status, d.nextAttemptAt, d.updatedAt, JSON.stringify(d),
];
const REPLACE = `${UPSERT} ON CONFLICT (id) DO UPDATE SET target = EXCLUDED.target, subscription_id = EXCLUDED.subscription_id,
  connection_id = EXCLUDED.connection_id, status = EXCLUDED.status, next_attempt_at = EXCLUDED.next_attempt_at,
  updated_at = EXCLUDED.updated_at, doc = EXCLUDED.doc`;

export class PostgresOutboundStore implements OutboundStore {
  readonly kind = 'postgres' as const;

  private constructor(private readonly db: PostgresHandle) {}

  static async open(options: { url: string; schema?: string }): Promise<PostgresOutboundStore> {
    const db = await openPostgres(options);
    try {
      await migrate(db.pool, 'outbound', OUTBOUND_MIGRATIONS);
    } catch (error) {
      await db.release();
      throw error;
    }
    return new PostgresOutboundStore(db);
  }

  private async docs<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.pool.query<{ doc: T }>(sql, params)).rows.map((r) => r.doc);
  }

  async createSubscription(subscription: Subscription): Promise<void> {
    const result = await this.db.pool.query('INSERT INTO webhook_subscriptions (id, doc) VALUES ($1, $2::jsonb) ON CONFLICT (id) DO NOTHING',
      [subscription.id, JSON.stringify(subscription)]);
    if (result.rowCount === 0) throw new SubscriptionExists(subscription.id);
  }

  async getSubscription(id: string): Promise<Subscription | undefined> {
    return (await this.docs<Subscription>('SELECT doc FROM webhook_subscriptions WHERE id = $1', [id]))[0];
  }

  async listSubscriptions(): Promise<Subscription[]> {
    return this.docs<Subscription>('SELECT doc FROM webhook_subscriptions ORDER BY seq');
  }

  async deleteSubscription(id: string): Promise<boolean> {
    return ((await this.db.pool.query('DELETE FROM webhook_subscriptions WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }

  async addDelivery(delivery: WebhookDelivery): Promise<boolean> {
    return ((await this.db.pool.query(`${UPSERT} ON CONFLICT (id) DO NOTHING`, columns(delivery))).rowCount ?? 0) > 0;
  }

  async upsertPushJob(job: PushJob): Promise<PushJob> {
    return this.locked(job.id, async (client, stored) => {
      const next = coalesce(stored as PushJob | undefined, job);
      if (next !== stored) await client.query(REPLACE, columns(next));
      return next;
    });
  }

  async getDelivery(id: string): Promise<Delivery | undefined> {
    return (await this.docs<Delivery>('SELECT doc FROM outbound_deliveries WHERE id = $1', [id]))[0];
  }

  async updateDelivery(id: string, update: DeliveryUpdate): Promise<Delivery | undefined> {
    return this.locked(id, async (client, stored) => {
      if (!stored) return undefined;
      const next = applyUpdate(stored, update);
      await client.query(REPLACE, columns(next));
      return next;
    });
  }

  async dueDeliveries(now: string, limit: number): Promise<Delivery[]> {
    return this.docs<Delivery>(
      `SELECT doc FROM outbound_deliveries WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2`,
      [now, limit]);
  }

  async listDeliveries(filter: DeliveryFilter = {}): Promise<Delivery[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    };
    add('target', filter.target);
    add('subscription_id', filter.subscriptionId);
    add('connection_id', filter.connectionId);
    add('status', filter.status);
    params.push(filter.limit ?? 100);
    return this.docs<Delivery>(`SELECT doc FROM outbound_deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY updated_at DESC, id DESC LIMIT $${params.length}`, params);
  }

  async setPushEnabled(connectionId: string, enabled: boolean): Promise<void> {
    await this.db.pool.query(
      'INSERT INTO outbound_push_settings (connection_id, enabled) VALUES ($1, $2) ON CONFLICT (connection_id) DO UPDATE SET enabled = EXCLUDED.enabled',
      [connectionId, enabled]);
  }

  async pushEnabledConnections(): Promise<string[]> {
    const { rows } = await this.db.pool.query<{ connection_id: string }>(
      'SELECT connection_id FROM outbound_push_settings WHERE enabled ORDER BY connection_id');
    return rows.map((r) => r.connection_id);
  }

  async getCursor(name: string): Promise<string | undefined> {
    const { rows } = await this.db.pool.query<{ value: string }>('SELECT value FROM outbound_cursors WHERE name = $1', [name]);
    return rows[0]?.value;
  }

  async setCursor(name: string, value: string): Promise<void> {
    await this.db.pool.query(
      'INSERT INTO outbound_cursors (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value', [name, value]);
  }

  async close(): Promise<void> {
    await this.db.release();
  }

  /** Read-modify-write of one delivery, atomic across processes (the row may not exist yet). */
  private async locked<T>(id: string, work: (client: pg.PoolClient, stored: Delivery | undefined) => Promise<T>): Promise<T> {
    return transaction(this.db.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':delivery:' || $1))", [id]);
      const { rows } = await client.query<{ doc: Delivery }>('SELECT doc FROM outbound_deliveries WHERE id = $1', [id]);
      return work(client, rows[0]?.doc);
    });
  }
}
