/**
 * POS inbox on PostgreSQL (`DATABASE_URL`): table `pos_inbox`, shared by every api process on
 * the database. `receive` is acknowledged after its COMMIT (the server's `synchronous_commit`,
 * docs/postgres.md), before the webhook goes on. `settle`/`defer` lock the entry's row
 * (`FOR UPDATE`) and apply the port's rules (inbox-rules.ts) in one transaction, so two
 * processors of one entry (two api instances recovering pending entries at once) serialize and a
 * settled entry never changes. The entry is kept as JSON text (raw bodies may hold `\u0000`,
 * which JSONB refuses); the columns beside it are what the queries filter and order on.
 */
import { migrate, openPostgres, transaction, type Migration, type PostgresHandle } from '../../storage/postgres';
import { deferEntry, settleEntry } from './inbox-rules';
import type { InboxDeferral, InboxEntry, InboxSettlement, InboxStats, InboxStore, NewInboxEntry } from './inbox-store';

export const INBOX_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'pos inbox',
    sql: `CREATE TABLE pos_inbox (
        seq bigserial PRIMARY KEY,
        id text COLLATE "C" NOT NULL UNIQUE,
        connection_id text COLLATE "C" NOT NULL,
        status text NOT NULL,
        received_at text COLLATE "C" NOT NULL,
        test boolean NOT NULL DEFAULT false,
        error_at text COLLATE "C",
        doc text NOT NULL);
      CREATE INDEX pos_inbox_pending ON pos_inbox (seq) WHERE status = 'pending';
      CREATE INDEX pos_inbox_connection ON pos_inbox (connection_id, received_at);
      CREATE INDEX pos_inbox_connection_seq ON pos_inbox (connection_id, seq);`,
  },
];

interface Row { doc: string }
const parse = (rows: Row[]): InboxEntry[] => rows.map((r) => JSON.parse(r.doc) as InboxEntry);

export class PostgresInboxStore implements InboxStore {
  readonly kind = 'postgres' as const;

  private constructor(private readonly db: PostgresHandle) {}

  static async open(options: { url: string; schema?: string }): Promise<PostgresInboxStore> {
    const db = await openPostgres(options);
    try {
      await migrate(db.pool, 'pos-inbox', INBOX_MIGRATIONS);
    } catch (error) {
      await db.release();
      throw error;
    }
    return new PostgresInboxStore(db);
  }

  async receive(entry: NewInboxEntry): Promise<void> {
    const stored: InboxEntry = { ...entry, status: 'pending', attempts: 0 };
    await this.db.pool.query(
      `INSERT INTO pos_inbox (id, connection_id, status, received_at, doc) VALUES ($1, $2, 'pending', $3, $4)
       ON CONFLICT (id) DO NOTHING`,
      [entry.id, entry.connectionId, entry.receivedAt, JSON.stringify(stored)],
    );
  }

  async receiveSettled(entry: NewInboxEntry, settlement: InboxSettlement): Promise<void> {
    const stored = settleEntry({ ...entry, status: 'pending', attempts: 0 }, settlement);
    const test = stored.outcome?.status === 'ignored' && stored.outcome.test === true;
    const inserted = await this.db.pool.query(
      `INSERT INTO pos_inbox (id, connection_id, status, received_at, test, error_at, doc) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO NOTHING`,
      [entry.id, entry.connectionId, stored.status, entry.receivedAt, test, stored.lastErrorAt ?? null, JSON.stringify(stored)],
    );
    if (inserted.rowCount === 0) await this.settle(entry.id, settlement);
  }

  /**
   * Every `receive` is durable at its COMMIT already (`durable: false` changes nothing here; an
   * asynchronous commit with a later synchronous one as `sync` would be the PostgreSQL version
   * of the embedded store's saving).
   */
  async sync(): Promise<void> {}

  async get(id: string): Promise<InboxEntry | undefined> {
    return parse((await this.db.pool.query<Row>('SELECT doc FROM pos_inbox WHERE id = $1', [id])).rows)[0];
  }

  private change(id: string, next: (entry: InboxEntry) => InboxEntry): Promise<InboxEntry | undefined> {
    return transaction(this.db.pool, async (client) => {
      const current = parse((await client.query<Row>('SELECT doc FROM pos_inbox WHERE id = $1 FOR UPDATE', [id])).rows)[0];
      if (!current) return undefined;
      const changed = next(current);
      if (changed !== current) {
        const test = changed.outcome?.status === 'ignored' && changed.outcome.test === true;
        await client.query('UPDATE pos_inbox SET status = $2, test = $3, error_at = $4, doc = $5 WHERE id = $1',
          [id, changed.status, test, changed.lastErrorAt ?? null, JSON.stringify(changed)]);
      }
      return changed;
    });
  }

  settle(id: string, settlement: InboxSettlement): Promise<InboxEntry | undefined> {
    return this.change(id, (entry) => settleEntry(entry, settlement));
  }

  defer(id: string, deferral: InboxDeferral): Promise<InboxEntry | undefined> {
    return this.change(id, (entry) => deferEntry(entry, deferral));
  }

  async listPending(limit = 1000): Promise<InboxEntry[]> {
    return parse((await this.db.pool.query<Row>("SELECT doc FROM pos_inbox WHERE status = 'pending' ORDER BY seq LIMIT $1", [limit])).rows);
  }

  async listRecent(connectionId: string, limit = 50): Promise<InboxEntry[]> {
    return parse((await this.db.pool.query<Row>('SELECT doc FROM pos_inbox WHERE connection_id = $1 ORDER BY seq DESC LIMIT $2', [connectionId, limit])).rows);
  }

  async stats(connectionId: string, since: readonly string[]): Promise<InboxStats> {
    // One round trip for the whole health row.
    const { rows } = await this.db.pool.query<{
      last: string | null; pending: string; tests: string; last_test: string | null; since: string[]; error: string | null;
    }>(
      `SELECT max(received_at) AS last,
              count(*) FILTER (WHERE status = 'pending') AS pending,
              count(*) FILTER (WHERE test) AS tests,
              max(received_at) FILTER (WHERE test) AS last_test,
              -- one indexed range count per instant, in the order asked
              coalesce((SELECT array_agg((SELECT count(*) FROM pos_inbox i WHERE i.connection_id = $1 AND i.received_at >= s.at) ORDER BY s.n)
                          FROM unnest($2::text[]) WITH ORDINALITY AS s(at, n)), '{}')::text[] AS since,
              (SELECT doc FROM pos_inbox WHERE connection_id = $1 AND error_at IS NOT NULL ORDER BY error_at DESC LIMIT 1) AS error
         FROM pos_inbox WHERE connection_id = $1`,
      [connectionId, since],
    );
    const row = rows[0]!;
    const errored = row.error ? (JSON.parse(row.error) as InboxEntry) : undefined;
    return {
      ...(row.last && { lastReceivedAt: row.last }),
      receivedSince: row.since.map(Number),
      pending: Number(row.pending),
      tests: Number(row.tests),
      ...(row.last_test && { lastTestAt: row.last_test }),
      ...(errored?.lastErrorAt && errored.lastError && { lastError: { at: errored.lastErrorAt, message: errored.lastError } }),
    };
  }

  async prune(before: string): Promise<number> {
    return (await this.db.pool.query("DELETE FROM pos_inbox WHERE status <> 'pending' AND received_at < $1", [before])).rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.db.release();
  }
}
