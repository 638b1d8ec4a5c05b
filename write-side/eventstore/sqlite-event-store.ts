/**
 * Embedded event store: one SQLite file (better-sqlite3), WAL with synchronous=FULL, so an
 * acknowledged append survives power loss.
 *
 * - One global log; `position` is the rowid (strictly growing), (stream, revision) is unique.
 * - Event ids are unique: re-appending ids already stored answers the original result
 *   (exact idempotency, not a best-effort cache).
 * - Group commit: appends that arrive in the same turn of the event loop share one
 *   transaction (one fsync); each append runs in its own savepoint, so one append's
 *   concurrency error never undoes its neighbours.
 * - One writer per file: live delivery to `subscribe` comes from this instance's own commits,
 *   so two processes appending to one file would not see each other's events live.
 */
import Database from 'better-sqlite3';
import { openSqlite } from '../../storage/sqlite';
import { isDeepStrictEqual } from 'node:util';
import { Observable, Subject } from 'rxjs';
import {
  ConcurrencyError, IdempotencyConflictError,
  type AppendResult, type EventStore, type EventToAppend, type ExpectedRevision, type ReadAllOptions,
  type ReadStreamOptions, type RecordedEvent,
} from './port';

interface Row {
  position: number;
  id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

interface PendingAppend {
  streamId: string;
  events: readonly EventToAppend[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; result: AppendResult; stored: RecordedEvent[] } | { ok: false; error: unknown };

const CATCH_UP_PAGE = 2000;
const DEFAULT_READ_ALL_PAGE = 1000;

/** Thrown inside an append's savepoint when one of its ids is already stored: undo, then answer as a replay. */
class DuplicateIdSignal extends Error {}

const toRecorded = (row: Row): RecordedEvent => ({
  id: row.id,
  streamId: row.stream_id,
  revision: BigInt(row.revision),
  position: BigInt(row.position),
  type: row.type,
  data: JSON.parse(row.data) as Record<string, unknown>,
  metadata: JSON.parse(row.metadata) as RecordedEvent['metadata'],
});

export interface SqliteEventStoreOptions {
  /** File path, or ':memory:' for tests. */
  readonly path: string;
}

export class SqliteEventStore implements EventStore {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  private readonly live = new Subject<RecordedEvent>();
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly stmt;
  private readonly appendInSavepoint: (p: PendingAppend, observed: boolean) => { result: AppendResult; stored: RecordedEvent[] };
  private readonly commitBatch: (batch: PendingAppend[], observed: boolean) => Outcome[];

  constructor(options: SqliteEventStoreOptions) {
    this.db = openSqlite(options.path, { synchronous: 'FULL' });
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS events (
        position  INTEGER PRIMARY KEY AUTOINCREMENT,
        id        TEXT    NOT NULL UNIQUE,
        stream_id TEXT    NOT NULL,
        revision  INTEGER NOT NULL,
        type      TEXT    NOT NULL,
        data      TEXT    NOT NULL,
        metadata  TEXT    NOT NULL,
        UNIQUE (stream_id, revision)
      );`);
    this.stmt = {
      head: this.db.prepare<[string], { revision: number }>(
        'SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1'),
      // Ids are looked up only when this insert reports a duplicate: the hot path does no id read.
      insert: this.db.prepare<[string, string, number, string, string, string]>(
        'INSERT INTO events (id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING'),
      byId: this.db.prepare<[string], Row>('SELECT * FROM events WHERE id = ?'),
      readStream: this.db.prepare<[string, bigint, number], Row>(
        'SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?'),
      readAll: this.db.prepare<[bigint, number], Row>(
        'SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?'),
      lastPosition: this.db.prepare<[], { position: number | null }>('SELECT MAX(position) AS position FROM events'),
    };
    // Nested db.transaction() runs as a SAVEPOINT inside the batch transaction.
    this.appendInSavepoint = this.db.transaction((p: PendingAppend, observed: boolean) => this.appendInTransaction(p, observed));
    this.commitBatch = this.db.transaction((batch: PendingAppend[], observed: boolean) =>
      batch.map((pending) => this.appendOne(pending, observed)));
  }

  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    if (events.length === 0) return Promise.reject(new RangeError('append needs at least one event'));
    if (new Set(events.map((e) => e.id)).size !== events.length) {
      return Promise.reject(new RangeError('an event id appears twice in one append'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ streamId, events, expected, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // Everything queued until the I/O phase has passed shares one commit.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    this.flushScheduled = false;
    if (batch.length === 0 || !this.db.open) return; // close() already flushed what was queued
    let outcomes: Outcome[];
    try {
      outcomes = this.commitBatch(batch, this.live.observed);
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing of this batch is durable.
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) pending.resolve(outcome.result);
      else pending.reject(outcome.error);
    });
    // Outcomes are in batch order and positions were handed out in that order: live order = log order.
    for (const outcome of outcomes) if (outcome.ok) for (const event of outcome.stored) this.live.next(event);
  }

  /** One append inside the batch transaction; its failure is its own unless SQLite gave up the whole transaction. */
  private appendOne(pending: PendingAppend, observed: boolean): Outcome {
    try {
      // A one-event append needs no savepoint: each way it can fail (concurrency, duplicate id,
      // a constraint) happens before or inside its single INSERT, which SQLite undoes by itself.
      const appended = pending.events.length === 1
        ? this.appendInTransaction(pending, observed)
        : this.appendInSavepoint(pending, observed);
      return { ok: true, ...appended };
    } catch (error) {
      // SQLITE_FULL/IOERR/BUSY can roll back the whole transaction; carrying on would autocommit
      // the remaining appends one by one and then fail the outer COMMIT. Abort the batch instead.
      if (!this.db.inTransaction) throw error;
      if (!(error instanceof DuplicateIdSignal)) return { ok: false, error };
      try {
        const replay = this.replayResult(pending);
        if (replay === undefined) throw new Error('duplicate id reported but not found'); // cannot happen
        return { ok: true, result: replay, stored: [] };
      } catch (replayError) {
        return { ok: false, error: replayError };
      }
    }
  }

  /** Runs in the batch transaction (in its own savepoint when it writes several events): throwing undoes this append only. */
  private appendInTransaction(p: PendingAppend, observed: boolean): { result: AppendResult; stored: RecordedEvent[] } {
    const head = this.stmt.head.get(p.streamId)?.revision;
    if (!expectedHolds(p.expected, head)) {
      // A retried append whose stream has moved on since must still answer its original result.
      const replay = this.replayResult(p);
      if (replay !== undefined) return { result: replay, stored: [] };
      throw new ConcurrencyError(p.streamId, p.expected, head === undefined ? 'no_stream' : BigInt(head));
    }
    let revision = head ?? -1;
    let lastPosition = 0 as number | bigint;
    const stored: RecordedEvent[] = [];
    for (const e of p.events) {
      revision += 1;
      const data = JSON.stringify(e.data);
      const metadata = JSON.stringify(e.metadata);
      const info = this.stmt.insert.run(e.id, p.streamId, revision, e.type, data, metadata);
      if (info.changes === 0) throw new DuplicateIdSignal();
      lastPosition = info.lastInsertRowid;
      // Live subscribers get what a reader of the log would get (JSON round trip), not the caller's objects.
      if (observed) stored.push({
        id: e.id, streamId: p.streamId, revision: BigInt(revision), position: BigInt(info.lastInsertRowid),
        type: e.type,
        data: JSON.parse(data) as Record<string, unknown>,
        metadata: JSON.parse(metadata) as RecordedEvent['metadata'],
      });
    }
    return { result: { nextRevision: BigInt(revision), position: BigInt(lastPosition) }, stored };
  }

  /**
   * The original result when every id of `p` is already stored as this very append (same stream,
   * consecutive revisions in order, same type and data); undefined when none is stored.
   * Metadata is not compared: a retried request legitimately carries a new correlation id.
   */
  private replayResult(p: PendingAppend): AppendResult | undefined {
    const rows = p.events.map((e) => this.stmt.byId.get(e.id));
    const first = rows.findIndex((row) => row !== undefined);
    if (first === -1) return undefined;
    if (rows.some((row) => row === undefined)) throw new IdempotencyConflictError(p.events[first]!.id);
    rows.forEach((row, i) => {
      const e = p.events[i]!;
      const same = row !== undefined && row.stream_id === p.streamId && row.type === e.type
        && row.revision === rows[0]!.revision + i && sameData(row.data, e.data);
      if (!same) throw new IdempotencyConflictError(e.id);
    });
    const last = rows[rows.length - 1]!;
    return { nextRevision: BigInt(last.revision), position: BigInt(last.position) };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromRevision ?? 0n;
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    return this.stmt.readStream.all(streamId, from, max).map(toRecorded);
  }

  /** One page of the log after `after`; `maxCount` defaults to 1000, page on with the last position. */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAllSync(options.after ?? 0n, options.maxCount ?? DEFAULT_READ_ALL_PAGE);
  }

  private readAllSync(after: bigint, maxCount: number): RecordedEvent[] {
    return this.stmt.readAll.all(after, maxCount).map(toRecorded);
  }

  subscribe(after: bigint = 0n): Observable<RecordedEvent> {
    return new Observable<RecordedEvent>((subscriber) => {
      let last = after;
      let caughtUp = false;
      const emit = (event: RecordedEvent) => {
        if (event.position <= last) return; // already delivered during catch-up
        last = event.position;
        subscriber.next(event);
      };
      // Live events during catch-up are ignored: a commit and its live emission happen in one
      // synchronous flush, and the last catch-up page is read in the same synchronous block that
      // flips `caughtUp`, so whatever committed before the flip is in that page (no gap) and
      // whatever commits after it arrives live (`emit` drops any overlap).
      const liveSubscription = this.live.subscribe({
        next: (event) => {
          if (caughtUp) emit(event);
        },
        complete: () => subscriber.complete(),
      });
      const catchUp = () => {
        if (subscriber.closed) return;
        try {
          const page = this.readAllSync(last, CATCH_UP_PAGE);
          page.forEach(emit);
          if (page.length === CATCH_UP_PAGE) {
            setImmediate(catchUp); // yield between pages so other requests keep flowing
            return;
          }
          caughtUp = true;
        } catch (error) {
          subscriber.error(error);
        }
      };
      catchUp();
      return () => liveSubscription.unsubscribe();
    });
  }

  async headPosition(): Promise<bigint> {
    return BigInt(this.stmt.lastPosition.get()?.position ?? 0);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.queue.length > 0) this.flush();
    this.live.complete();
    this.db.close();
  }
}

function sameData(stored: string, data: Record<string, unknown>): boolean {
  const json = JSON.stringify(data);
  return stored === json || isDeepStrictEqual(JSON.parse(stored), JSON.parse(json));
}

function expectedHolds(expected: ExpectedRevision, head: number | undefined): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return head === undefined;
    case 'stream_exists':
      return head !== undefined;
    default:
      return head !== undefined && BigInt(head) === expected;
  }
}
