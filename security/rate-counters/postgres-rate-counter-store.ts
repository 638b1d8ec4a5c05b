/**
 * Rate counters on PostgreSQL (`DATABASE_URL`): an UNLOGGED table (no WAL per hit; emptied by a
 * server crash, which only forgives a few requests). A hit is one `INSERT … ON CONFLICT DO
 * UPDATE … RETURNING`: the row lock makes concurrent hits from every api instance count once each.
 * Times are epoch milliseconds from the injected clock, as in the embedded store.
 */
import { migrate, openPostgres, type Migration, type PostgresHandle } from '../../storage/postgres';
import type { RateCount, RateCounterStore } from './port';

export const RATE_COUNTER_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'rate_counters',
    sql: 'CREATE UNLOGGED TABLE rate_counters (key text PRIMARY KEY, count integer NOT NULL, expires_at bigint NOT NULL)',
  },
];

interface Row { count: number; expires_at: string }

export class PostgresRateCounterStore implements RateCounterStore {
  readonly kind = 'postgres' as const;

  private constructor(private readonly db: PostgresHandle, private readonly now: () => number) {}

  static async open(options: { url: string; schema?: string }, now: () => number = Date.now): Promise<PostgresRateCounterStore> {
    const db = await openPostgres(options);
    try {
      await migrate(db.pool, 'ratecounters', RATE_COUNTER_MIGRATIONS);
    } catch (error) {
      await db.release();
      throw error;
    }
    return new PostgresRateCounterStore(db, now);
  }

  async hit(key: string, windowMs: number): Promise<RateCount> {
    const now = this.now();
    const { rows } = await this.db.pool.query<Row>({
      name: 'rate-counter-hit',
      text: `INSERT INTO rate_counters AS c (key, count, expires_at) VALUES ($1, 1, $3)
        ON CONFLICT (key) DO UPDATE SET
          count = CASE WHEN c.expires_at <= $2 THEN 1 ELSE c.count + 1 END,
          expires_at = CASE WHEN c.expires_at <= $2 THEN excluded.expires_at ELSE c.expires_at END
        RETURNING count, expires_at`,
      values: [key, now, now + windowMs],
    });
    const row = rows[0]!;
    return { current: row.count, ttlMs: Number(row.expires_at) - now };
  }

  async peek(key: string): Promise<RateCount> {
    const now = this.now();
    const { rows } = await this.db.pool.query<Row>('SELECT count, expires_at FROM rate_counters WHERE key = $1 AND expires_at > $2', [key, now]);
    const row = rows[0];
    return row ? { current: row.count, ttlMs: Number(row.expires_at) - now } : { current: 0, ttlMs: 0 };
  }

  async sweep(): Promise<number> {
    return (await this.db.pool.query('DELETE FROM rate_counters WHERE expires_at <= $1', [this.now()])).rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.db.release();
  }
}
