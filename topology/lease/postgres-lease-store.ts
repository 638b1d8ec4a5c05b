/**
 * Lease store on PostgreSQL (`DATABASE_URL`): the `leases` table in the read store's schema, so
 * `PostgresReadStore.commit(…, fence)` checks the token inside the projection commit's own
 * transaction. Each operation is one transaction that locks the lease row (`FOR UPDATE`; the row
 * is created first when missing), so racing standbys serialize on it. Times are epoch
 * milliseconds from the injected clock, as in the embedded store.
 */
import { migrate, openPostgres, transaction, type Migration, type PostgresHandle } from '../../storage/postgres';
import type { Lease, LeaseStore } from './port';

export const LEASE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'leases',
    // token 0 = never held (such a row only exists so that it can be locked).
    sql: 'CREATE TABLE leases (name text PRIMARY KEY, holder text NOT NULL, token bigint NOT NULL, expires_at bigint NOT NULL)',
  },
];

interface Row { name: string; holder: string; token: string; expires_at: string }

const toLease = (r: Row): Lease => ({ name: r.name, holder: r.holder, token: BigInt(r.token), expiresAt: Number(r.expires_at) });

export class PostgresLeaseStore implements LeaseStore {
  readonly kind = 'postgres' as const;

  private constructor(private readonly db: PostgresHandle, private readonly now: () => number) {}

  static async open(options: { url: string; schema?: string }, now: () => number = Date.now): Promise<PostgresLeaseStore> {
    const db = await openPostgres(options);
    try {
      await migrate(db.pool, 'lease', LEASE_MIGRATIONS);
    } catch (error) {
      await db.release();
      throw error;
    }
    return new PostgresLeaseStore(db, now);
  }

  async acquire(name: string, holder: string, ttlMs: number): Promise<Lease | undefined> {
    return transaction(this.db.pool, async (client) => {
      await client.query("INSERT INTO leases (name, holder, token, expires_at) VALUES ($1, '', 0, 0) ON CONFLICT (name) DO NOTHING", [name]);
      const row = (await client.query<Row>('SELECT * FROM leases WHERE name = $1 FOR UPDATE', [name])).rows[0]!;
      const now = this.now();
      const running = row.token !== '0' && Number(row.expires_at) > now;
      if (running && row.holder !== holder) return undefined;
      // Ours and still running: same token. Free, expired or released: a new token.
      const token = running ? BigInt(row.token) : BigInt(row.token) + 1n;
      await client.query('UPDATE leases SET holder = $2, token = $3, expires_at = $4 WHERE name = $1', [name, holder, token.toString(), now + ttlMs]);
      return { name, holder, token, expiresAt: now + ttlMs };
    });
  }

  async renew(lease: Lease, ttlMs: number): Promise<Lease | undefined> {
    return transaction(this.db.pool, async (client) => {
      const row = (await client.query<Row>('SELECT * FROM leases WHERE name = $1 FOR UPDATE', [lease.name])).rows[0];
      // Still ours only if nobody took it (an expired lease nobody took is still safe to extend).
      if (!row || BigInt(row.token) !== lease.token || row.holder !== lease.holder || row.expires_at === '0') return undefined;
      const expiresAt = this.now() + ttlMs;
      await client.query('UPDATE leases SET expires_at = $2 WHERE name = $1', [lease.name, expiresAt]);
      return { ...lease, expiresAt };
    });
  }

  async release(lease: Lease): Promise<void> {
    await this.db.pool.query('UPDATE leases SET expires_at = 0 WHERE name = $1 AND token = $2', [lease.name, lease.token.toString()]);
  }

  async current(name: string): Promise<Lease | undefined> {
    const row = (await this.db.pool.query<Row>('SELECT * FROM leases WHERE name = $1 AND token > 0', [name])).rows[0];
    return row && toLease(row);
  }

  async close(): Promise<void> {
    await this.db.release();
  }
}
