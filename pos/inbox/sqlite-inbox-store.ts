/**
 * Embedded POS inbox: one SQLite file (`${dataDir}/pos-inbox.sqlite`), WAL with
 * synchronous=FULL: an entry is on disk before the webhook goes on to process it.
 * Settling an entry is written through a second connection with synchronous=NORMAL (no fsync of
 * its own; the next FULL commit syncs it): a settlement lost to a power cut leaves the entry
 * pending, and processing it again at start is idempotent. One fsync per delivery saved.
 * Deliveries received together share one commit (group commit, as the event store does): a
 * synchronous fsync per delivery would stall the event loop once per request.
 * `receive(entry, { durable: false })` (the webhook route, whose answer waits for a durable
 * append instead) commits through the NORMAL connection: no fsync unless a durable entry or a
 * `sync` shares the batch. `sync(id)` rewrites the entry's row through the FULL connection, whose
 * commit fsyncs the WAL with every frame before it (the entry's own included).
 * `receiveSettled` (the webhook's usual path) writes the entry once, already settled: one INSERT
 * instead of an INSERT and, a batch later, an UPDATE.
 */
import Database from 'better-sqlite3';
import { openSqlite } from '../../storage/sqlite';
import { SAFETY_NET_PAGES, startWalCheckpointer, type WalCheckpointer } from '../../storage/wal-checkpointer';
import { deferEntry, settleEntry } from './inbox-rules';
import type { InboxDeferral, InboxEntry, InboxSettlement, InboxStats, InboxStore, NewInboxEntry } from './inbox-store';

interface Row { doc: string }
type Queued =
  | {
    readonly kind: 'receive'; readonly entry: NewInboxEntry; readonly durable: boolean;
    /** Stored settled at once (`receiveSettled`). */
    readonly settlement?: InboxSettlement;
    resolve(): void; reject(error: unknown): void;
  }
  | { readonly kind: 'sync'; readonly id: string; readonly durable: true; resolve(): void; reject(error: unknown): void }
  | {
    readonly kind: 'settle'; readonly id: string; readonly settlement: InboxSettlement; readonly durable: false;
    result?: { ok: true; entry: InboxEntry | undefined } | { ok: false; error: unknown };
    resolve(entry: InboxEntry | undefined): void; reject(error: unknown): void;
  };

export class SqliteInboxStore implements InboxStore {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  /** Same file, synchronous=NORMAL: settlements and deferrals (see above). */
  private readonly lazy: Database.Database;
  private readonly byId: Database.Statement<[string], Row>;
  /** Read-modify-write of one entry on the NORMAL connection (inside a transaction). */
  private readonly changeLazily: (id: string, next: (entry: InboxEntry) => InboxEntry) => InboxEntry | undefined;
  private readonly insertBatch: (batch: Queued[]) => void;
  /** The same batch through the NORMAL connection (no entry of it asked for an fsync). */
  private readonly insertBatchLazily: (batch: Queued[]) => void;
  private queue: Queued[] = [];
  private flushScheduled = false;

  /** Checkpoints the WAL from a worker thread (`options.checkpointInWorker`, a file only). */
  private readonly checkpointer: WalCheckpointer | undefined;

  /** `checkpointInWorker`: the WAL is checkpointed by a worker thread, not inside this thread's commits (storage/wal-checkpointer.ts). */
  constructor(path: string, options: { readonly checkpointInWorker?: boolean } = {}) {
    this.db = openSqlite(path, { synchronous: 'FULL' });
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS pos_inbox (
        seq           INTEGER PRIMARY KEY AUTOINCREMENT,
        id            TEXT NOT NULL UNIQUE,
        connection_id TEXT NOT NULL,
        status        TEXT NOT NULL,
        received_at   TEXT NOT NULL,
        test          INTEGER NOT NULL DEFAULT 0,
        error_at      TEXT,
        doc           TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS pos_inbox_status ON pos_inbox (status, seq);
      CREATE INDEX IF NOT EXISTS pos_inbox_connection ON pos_inbox (connection_id, received_at);`);
    const insertSql = 'INSERT OR IGNORE INTO pos_inbox (id, connection_id, status, received_at, test, error_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?)';
    // A no-op rewrite of the row: it dirties a page, so the FULL commit writes and fsyncs the WAL.
    const touchSql = 'UPDATE pos_inbox SET received_at = received_at WHERE id = ?';
    const batchOn = (db: Database.Database) => {
      const insert = db.prepare(insertSql);
      const touch = db.prepare(touchSql);
      const change = changeOn(db);
      return db.transaction((batch: Queued[]) => {
        for (const queued of batch) {
          switch (queued.kind) {
            case 'sync':
              touch.run(queued.id);
              break;
            case 'receive': {
              const { entry, settlement } = queued;
              const pending: InboxEntry = { ...entry, status: 'pending', attempts: 0 };
              const stored = settlement ? settleEntry(pending, settlement) : pending;
              const { changes } = insert.run(
                entry.id, entry.connectionId, stored.status, entry.receivedAt, testFlag(stored), stored.lastErrorAt ?? null, JSON.stringify(stored));
              if (changes === 0 && settlement) change(entry.id, (current) => settleEntry(current, settlement));
              break;
            }
            case 'settle':
              try {
                queued.result = { ok: true, entry: change(queued.id, (entry) => settleEntry(entry, queued.settlement)) };
              } catch (error) {
                // SQLite gave up the transaction: the whole batch fails. Otherwise this settlement only.
                if (!db.inTransaction) throw error;
                queued.result = { ok: false, error };
              }
              break;
            default: {
              const _exhaustive: never = queued;
              throw new Error(`unknown inbox write ${String(_exhaustive)}`);
            }
          }
        }
      });
    };
    this.insertBatch = batchOn(this.db);
    // ':memory:' is private to a connection: an in-memory inbox settles through the same one.
    this.lazy = path === ':memory:' ? this.db : openSqlite(path, { synchronous: 'NORMAL' });
    this.insertBatchLazily = batchOn(this.lazy);
    this.byId = this.lazy.prepare<[string], Row>('SELECT doc FROM pos_inbox WHERE id = ?');
    this.changeLazily = changeOn(this.lazy);
    if (options.checkpointInWorker && path !== ':memory:') {
      for (const db of new Set([this.db, this.lazy])) db.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
      this.checkpointer = startWalCheckpointer([path]);
    }
  }

  receive(entry: NewInboxEntry, options: { readonly durable?: boolean } = {}): Promise<void> {
    return this.enqueue((resolve, reject) => ({ kind: 'receive', entry, durable: options.durable ?? true, resolve, reject }));
  }

  /** One INSERT of the settled entry in the next batch (instead of an INSERT and an UPDATE). */
  receiveSettled(entry: NewInboxEntry, settlement: InboxSettlement, options: { readonly durable?: boolean } = {}): Promise<void> {
    return this.enqueue((resolve, reject) => ({ kind: 'receive', entry, settlement, durable: options.durable ?? true, resolve, reject }));
  }

  sync(id: string): Promise<void> {
    return this.enqueue((resolve, reject) => ({ kind: 'sync', id, durable: true, resolve, reject }));
  }

  private enqueue<T>(make: (resolve: (value: T) => void, reject: (error: unknown) => void) => Queued): Promise<T> {
    if (!this.db.open) return Promise.reject(new Error('POS inbox is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push(make(resolve, reject));
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // Everything received until the I/O phase has passed shares one commit.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    this.flushScheduled = false;
    if (batch.length === 0) return;
    try {
      if (!this.db.open) throw new Error('POS inbox is closed');
      if (batch.some((q) => q.durable)) this.insertBatch(batch);
      else this.insertBatchLazily(batch);
    } catch (error) {
      // Nothing of this batch is durable: every webhook of it fails (the POS delivers again).
      for (const queued of batch) queued.reject(error);
      return;
    }
    for (const queued of batch) {
      if (queued.kind !== 'settle') queued.resolve();
      else if (queued.result?.ok) queued.resolve(queued.result.entry);
      else queued.reject(queued.result?.error ?? new Error('settlement not written'));
    }
  }

  async get(id: string): Promise<InboxEntry | undefined> {
    const row = this.byId.get(id);
    return row ? (JSON.parse(row.doc) as InboxEntry) : undefined;
  }

  /** Written with the next batch (see above); answers the entry as it now is. */
  settle(id: string, settlement: InboxSettlement): Promise<InboxEntry | undefined> {
    return this.enqueue<InboxEntry | undefined>((resolve, reject) => ({ kind: 'settle', id, settlement, durable: false, resolve, reject }));
  }

  async defer(id: string, deferral: InboxDeferral): Promise<InboxEntry | undefined> {
    return this.lazy.transaction(() => this.changeLazily(id, (entry) => deferEntry(entry, deferral)))();
  }

  async listPending(limit = 1000): Promise<InboxEntry[]> {
    return this.db.prepare<[number], Row>("SELECT doc FROM pos_inbox WHERE status = 'pending' ORDER BY seq LIMIT ?")
      .all(limit).map((r) => JSON.parse(r.doc) as InboxEntry);
  }

  async listRecent(connectionId: string, limit = 50): Promise<InboxEntry[]> {
    return this.db.prepare<[string, number], Row>('SELECT doc FROM pos_inbox WHERE connection_id = ? ORDER BY seq DESC LIMIT ?')
      .all(connectionId, limit).map((r) => JSON.parse(r.doc) as InboxEntry);
  }

  async stats(connectionId: string, since: readonly string[]): Promise<InboxStats> {
    const one = <T>(sql: string, ...args: string[]) => this.db.prepare<string[], T>(sql).get(...args);
    const last = one<{ at: string | null }>('SELECT MAX(received_at) AS at FROM pos_inbox WHERE connection_id = ?', connectionId);
    const pending = one<{ n: number }>("SELECT COUNT(*) AS n FROM pos_inbox WHERE connection_id = ? AND status = 'pending'", connectionId);
    const tests = one<{ n: number; at: string | null }>(
      'SELECT COUNT(*) AS n, MAX(received_at) AS at FROM pos_inbox WHERE connection_id = ? AND test = 1', connectionId);
    const error = one<Row>(
      'SELECT doc FROM pos_inbox WHERE connection_id = ? AND error_at IS NOT NULL ORDER BY error_at DESC LIMIT 1', connectionId);
    const errored = error ? (JSON.parse(error.doc) as InboxEntry) : undefined;
    return {
      ...(last?.at && { lastReceivedAt: last.at }),
      receivedSince: since.map((at) =>
        one<{ n: number }>('SELECT COUNT(*) AS n FROM pos_inbox WHERE connection_id = ? AND received_at >= ?', connectionId, at)!.n),
      pending: pending!.n,
      tests: tests!.n,
      ...(tests?.at && { lastTestAt: tests.at }),
      ...(errored?.lastErrorAt && errored.lastError && { lastError: { at: errored.lastErrorAt, message: errored.lastError } }),
    };
  }

  async prune(before: string): Promise<number> {
    return this.db.prepare("DELETE FROM pos_inbox WHERE status != 'pending' AND received_at < ?").run(before).changes;
  }

  async close(): Promise<void> {
    this.flush(); // what was received before close is stored
    await this.checkpointer?.stop();
    if (this.lazy.open) this.lazy.close();
    if (this.db.open) this.db.close();
  }
}

const testFlag = (entry: InboxEntry): number => (entry.outcome?.status === 'ignored' && entry.outcome.test ? 1 : 0);

/** Read-modify-write of one entry on `db`; call it inside a transaction. */
function changeOn(db: Database.Database): (id: string, next: (entry: InboxEntry) => InboxEntry) => InboxEntry | undefined {
  const byId = db.prepare<[string], Row>('SELECT doc FROM pos_inbox WHERE id = ?');
  const update = db.prepare('UPDATE pos_inbox SET status = ?, test = ?, error_at = ?, doc = ? WHERE id = ?');
  return (id, next) => {
    const row = byId.get(id);
    if (!row) return undefined;
    const current = JSON.parse(row.doc) as InboxEntry;
    const changed = next(current);
    if (changed !== current) update.run(changed.status, testFlag(changed), changed.lastErrorAt ?? null, JSON.stringify(changed), id);
    return changed;
  };
}
