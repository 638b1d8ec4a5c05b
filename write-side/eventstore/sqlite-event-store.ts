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
 * - `appendInWorker`: the commits run in a worker thread (`SqliteAppender` there) instead of on
 *   this thread, so their fsync (milliseconds each on a plain disk) no longer stalls the event
 *   loop; an append still resolves only after its commit returned. Reads stay on this thread
 *   (WAL: a reader never waits for the writer).
 */
import Database from 'better-sqlite3';
import { openSqlite } from '../../storage/sqlite';
import { Observable, Subject } from 'rxjs';
import {
  type AppendResult, type EventStore, type EventToAppend, type ExpectedRevision, type ReadAllOptions,
  type ReadStreamOptions, type RecordedEvent,
} from './port';
import { recordedOf, serializeEvent, SqliteAppender, type AppendOutcome, type AppendRequest } from './sqlite-appender';
import { WorkerAppender } from './worker-appender';

interface Row {
  position: number;
  id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

/** A row of `readAllRaw` (`readAll`'s page): position, id, stream_id, revision, type, `[data,metadata]`. */
type FoldRow = [number, string, string, number, string, string];

interface PendingAppend {
  readonly request: AppendRequest;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

const CATCH_UP_PAGE = 2000;
const DEFAULT_READ_ALL_PAGE = 1000;

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
  /** Commit in a worker thread (a file only): the fsync of each group commit leaves this thread's event loop free. */
  readonly appendInWorker?: boolean;
}

export class SqliteEventStore implements EventStore {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  private readonly live = new Subject<RecordedEvent>();
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly stmt;
  private readonly inline: SqliteAppender | undefined;
  private readonly worker: WorkerAppender | undefined;
  /** Batches handed to the worker and not answered yet (close waits for them). */
  private readonly committing = new Set<Promise<void>>();

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
      readStream: this.db.prepare<[string, bigint, number], Row>(
        'SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?'),
      lastPosition: this.db.prepare<[], { position: number | null }>('SELECT MAX(position) AS position FROM events'),
      // A page of the log: rows as arrays, data and metadata as one JSON text.
      readAllRaw: this.db.prepare<[bigint, number], FoldRow>(
        `SELECT position, id, stream_id, revision, type, '[' || data || ',' || metadata || ']' FROM events WHERE position > ? ORDER BY position LIMIT ?`).raw(true),
    };
    const inWorker = options.appendInWorker === true && options.path !== ':memory:';
    this.worker = inWorker ? new WorkerAppender(options.path) : undefined;
    this.inline = inWorker ? undefined : new SqliteAppender(this.db);
  }

  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    if (events.length === 0) return Promise.reject(new RangeError('append needs at least one event'));
    if (new Set(events.map((e) => e.id)).size !== events.length) {
      return Promise.reject(new RangeError('an event id appears twice in one append'));
    }
    let request: AppendRequest;
    try {
      request = { streamId, expected, events: events.map(serializeEvent) };
    } catch (error) {
      return Promise.reject(error); // not serializable (a bigint, a cycle): this append only
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
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
    if (batch.length === 0) return;
    if (this.worker) {
      // One batch at a time in the worker: what queues while its commit (and fsync) runs goes in
      // the next one, so batches grow with the disk's latency and each costs one message.
      if (this.committing.size > 0) {
        this.queue = batch.concat(this.queue);
        return;
      }
      const worker = this.worker;
      const done = worker.commit(batch.map((p) => p.request)).then(
        (outcomes) => this.settle(batch, outcomes),
        (error: unknown) => { for (const pending of batch) pending.reject(error); },
      );
      this.committing.add(done);
      void done.finally(() => {
        this.committing.delete(done);
        if (this.queue.length > 0) this.flush();
      });
      return;
    }
    const requests = batch.map((p) => p.request);
    if (!this.db.open) return; // close() already flushed what was queued
    let outcomes: AppendOutcome[];
    try {
      outcomes = this.inline!.commit(requests);
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing of this batch is durable.
      for (const pending of batch) pending.reject(error);
      return;
    }
    this.settle(batch, outcomes);
  }

  /** Answers each append, then hands its events to live subscribers in log order. */
  private settle(batch: readonly PendingAppend[], outcomes: readonly AppendOutcome[]): void {
    batch.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) pending.resolve(outcome.result);
      else pending.reject(outcome.error);
    });
    if (!this.live.observed) return;
    // Outcomes are in batch order and positions were handed out in that order: live order = log order.
    batch.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok && outcome.inserted) for (const event of recordedOf(pending.request, outcome.result)) this.live.next(event);
    });
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

  /**
   * A page of the log, synchronously (`readAll`, the subscription's catch-up, a bulk fold), each
   * event's data and metadata parsed in ONE `JSON.parse` (SQLite joins the two texts into a JSON
   * array) from rows read as arrays: at a million events two parses per event are measurable
   * (docs/read-store.md, round six).
   */
  private readAllSync(after: bigint, maxCount: number): RecordedEvent[] {
    const rows = this.stmt.readAllRaw.all(after, maxCount) as unknown as FoldRow[];
    const events = new Array<RecordedEvent>(rows.length);
    for (let i = 0; i < rows.length; i += 1) {
      const row = rows[i]!;
      const [data, metadata] = JSON.parse(row[5]) as [Record<string, unknown>, RecordedEvent['metadata']];
      events[i] = { id: row[1], streamId: row[2], revision: BigInt(row[3]), position: BigInt(row[0]), type: row[4], data, metadata };
    }
    return events;
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
    if (this.worker) {
      while (this.committing.size > 0) await Promise.all([...this.committing]); // each may post the next
      await this.worker.close();
    }
    this.live.complete();
    this.db.close();
  }
}

