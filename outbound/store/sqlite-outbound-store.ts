/**
 * Embedded outbound store: one SQLite file (`${dataDir}/outbound.sqlite`), WAL with
 * synchronous=FULL so that a recorded attempt (and a subscription's secret) survives a crash.
 * Documents are JSON; the columns hold what is filtered or ordered on.
 */
import Database from 'better-sqlite3';
import { openSqlite } from '../../storage/sqlite';
import {
  SubscriptionExists, applyUpdate, coalesce,
  type Delivery, type DeliveryFilter, type DeliveryUpdate, type OutboundStore, type PushJob, type Subscription, type WebhookDelivery,
} from './outbound-store';

interface DocRow { doc: string }

export class SqliteOutboundStore implements OutboundStore {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = openSqlite(path, { synchronous: 'FULL' });
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS webhook_subscriptions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, doc TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS outbound_deliveries (
        id              TEXT PRIMARY KEY,
        target          TEXT NOT NULL,
        subscription_id TEXT,
        connection_id   TEXT,
        status          TEXT NOT NULL,
        next_attempt_at TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        doc             TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS outbound_deliveries_due ON outbound_deliveries (status, next_attempt_at, id);
      CREATE INDEX IF NOT EXISTS outbound_deliveries_log ON outbound_deliveries (target, updated_at, id);
      CREATE TABLE IF NOT EXISTS outbound_push_settings (connection_id TEXT PRIMARY KEY, enabled INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS outbound_cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL);`);
  }

  async createSubscription(subscription: Subscription): Promise<void> {
    const result = this.db.prepare('INSERT OR IGNORE INTO webhook_subscriptions (id, doc) VALUES (?, ?)')
      .run(subscription.id, JSON.stringify(subscription));
    if (result.changes === 0) throw new SubscriptionExists(subscription.id);
  }

  async getSubscription(id: string): Promise<Subscription | undefined> {
    const row = this.db.prepare<[string], DocRow>('SELECT doc FROM webhook_subscriptions WHERE id = ?').get(id);
    return row ? (JSON.parse(row.doc) as Subscription) : undefined;
  }

  async listSubscriptions(): Promise<Subscription[]> {
    return this.db.prepare<[], DocRow>('SELECT doc FROM webhook_subscriptions ORDER BY seq').all()
      .map((row) => JSON.parse(row.doc) as Subscription);
  }

  async deleteSubscription(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM webhook_subscriptions WHERE id = ?').run(id).changes > 0;
  }

  async addDelivery(delivery: WebhookDelivery): Promise<boolean> {
    return this.insert(delivery, 'INSERT OR IGNORE') > 0;
  }

  async upsertPushJob(job: PushJob): Promise<PushJob> {
    return this.db.transaction(() => {
      const stored = this.read(job.id) as PushJob | undefined;
      const next = coalesce(stored, job);
      if (next !== stored) this.insert(next, 'INSERT OR REPLACE');
      return next;
    }).immediate();
  }

  async getDelivery(id: string): Promise<Delivery | undefined> {
    return this.read(id);
  }

  async updateDelivery(id: string, update: DeliveryUpdate): Promise<Delivery | undefined> {
    return this.db.transaction(() => {
      const stored = this.read(id);
      if (!stored) return undefined;
      const next = applyUpdate(stored, update);
      this.insert(next, 'INSERT OR REPLACE');
      return next;
    }).immediate();
  }

  async dueDeliveries(now: string, limit: number): Promise<Delivery[]> {
    return this.db.prepare<[string, number], DocRow>(
      `SELECT doc FROM outbound_deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
    ).all(now, limit).map((row) => JSON.parse(row.doc) as Delivery);
  }

  async listDeliveries(filter: DeliveryFilter = {}): Promise<Delivery[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(`${column} = ?`);
      params.push(value);
    };
    add('target', filter.target);
    add('subscription_id', filter.subscriptionId);
    add('connection_id', filter.connectionId);
    add('status', filter.status);
    params.push(filter.limit ?? 100);
    const sql = `SELECT doc FROM outbound_deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY updated_at DESC, id DESC LIMIT ?`;
    return this.db.prepare<(string | number)[], DocRow>(sql).all(...params).map((row) => JSON.parse(row.doc) as Delivery);
  }

  async setPushEnabled(connectionId: string, enabled: boolean): Promise<void> {
    this.db.prepare('INSERT OR REPLACE INTO outbound_push_settings (connection_id, enabled) VALUES (?, ?)').run(connectionId, enabled ? 1 : 0);
  }

  async pushEnabledConnections(): Promise<string[]> {
    return this.db.prepare<[], { connection_id: string }>(
      'SELECT connection_id FROM outbound_push_settings WHERE enabled = 1 ORDER BY connection_id',
    ).all().map((row) => row.connection_id);
  }

  async getCursor(name: string): Promise<string | undefined> {
    return this.db.prepare<[string], { value: string }>('SELECT value FROM outbound_cursors WHERE name = ?').get(name)?.value;
  }

  async setCursor(name: string, value: string): Promise<void> {
    this.db.prepare('INSERT OR REPLACE INTO outbound_cursors (name, value) VALUES (?, ?)').run(name, value);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private read(id: string): Delivery | undefined {
    const row = this.db.prepare<[string], DocRow>('SELECT doc FROM outbound_deliveries WHERE id = ?').get(id);
    return row ? (JSON.parse(row.doc) as Delivery) : undefined;
  }

  private insert(d: Delivery, verb: 'INSERT OR IGNORE' | 'INSERT OR REPLACE'): number {
    return this.db.prepare(
      `${verb} INTO outbound_deliveries (id, target, subscription_id, connection_id, status, next_attempt_at, updated_at, doc)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      d.id, d.target, d.target === 'webhook' ? d.subscriptionId : null, d.target === 'pos-push' ? d.connectionId : null,
      d.status, d.nextAttemptAt, d.updatedAt, JSON.stringify(d),
    ).changes;
  }
}
