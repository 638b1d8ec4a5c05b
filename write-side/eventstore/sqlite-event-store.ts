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
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
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

const CATCH_UP_PAGE = 2000;

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

  constructor(options: SqliteEventStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
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
      insert: this.db.prepare<[string, string, number, string, string, string]>(
        'INSERT INTO events (id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)'),
      byId: this.db.prepare<[string], Row>('SELECT * FROM events WHERE id = ?'),
      readStream: this.db.prepare<[string, number, number], Row>(
        'SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?'),
      readAll: this.db.prepare<[number, number], Row>(
        'SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?'),
      lastPosition: this.db.prepare<[], { position: number | null }>('SELECT MAX(position) AS position FROM events'),
    };
  }

  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    if (events.length === 0) return Promise.reject(new RangeError('append needs at least one event'));
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
    const outcomes: Array<{ ok: true; result: AppendResult; stored: RecordedEvent[] } | { ok: false; error: unknown }> = [];
    const appendOne = this.db.transaction((p: PendingAppend) => this.appendInTransaction(p));
    try {
      this.db.transaction(() => {
        for (const pending of batch) {
          try {
            outcomes.push({ ok: true, ...appendOne(pending) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })();
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
    for (const outcome of outcomes) if (outcome.ok) for (const event of outcome.stored) this.live.next(event);
  }

  /** Runs inside a savepoint: throwing undoes this append only. */
  private appendInTransaction(p: PendingAppend): { result: AppendResult; stored: RecordedEvent[] } {
    const already = p.events.map((e) => this.stmt.byId.get(e.id));
    if (already.every((row) => row !== undefined)) return { result: this.originalResult(p, already as Row[]), stored: [] };
    if (already.some((row) => row !== undefined)) throw new IdempotencyConflictError(p.events.find((_, i) => already[i])!.id);

    const head = this.stmt.head.get(p.streamId)?.revision;
    assertExpected(p.streamId, p.expected, head);
    let revision = head === undefined ? -1 : head;
    const stored: RecordedEvent[] = [];
    for (const e of p.events) {
      revision += 1;
      const info = this.stmt.insert.run(e.id, p.streamId, revision, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata));
      stored.push({
        id: e.id, streamId: p.streamId, revision: BigInt(revision), position: BigInt(info.lastInsertRowid),
        type: e.type, data: e.data, metadata: e.metadata,
      });
    }
    const last = stored[stored.length - 1]!;
    return { result: { nextRevision: last.revision, position: last.position }, stored };
  }

  private originalResult(p: PendingAppend, rows: Row[]): AppendResult {
    rows.forEach((row, i) => {
      const e = p.events[i]!;
      const same = row.stream_id === p.streamId && row.type === e.type && isDeepStrictEqual(JSON.parse(row.data), e.data);
      if (!same) throw new IdempotencyConflictError(e.id);
    });
    const last = rows.reduce((a, b) => (b.position > a.position ? b : a));
    return { nextRevision: BigInt(last.revision), position: BigInt(last.position) };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = Number(options.fromRevision ?? 0n);
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    return this.stmt.readStream.all(streamId, from, max).map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAllSync(options.after ?? 0n, options.maxCount ?? 1000);
  }

  private readAllSync(after: bigint, maxCount: number): RecordedEvent[] {
    return this.stmt.readAll.all(Number(after), maxCount).map(toRecorded);
  }

  subscribe(after: bigint = 0n): Observable<RecordedEvent> {
    return new Observable<RecordedEvent>((subscriber) => {
      let last = after;
      let caughtUp = false;
      const pendingLive: RecordedEvent[] = [];
      const emit = (event: RecordedEvent) => {
        if (event.position <= last) return; // already delivered during catch-up
        last = event.position;
        subscriber.next(event);
      };
      // Listen before reading, so nothing committed during catch-up falls into a gap.
      const liveSubscription = this.live.subscribe({
        next: (event) => (caughtUp ? emit(event) : pendingLive.push(event)),
        complete: () => subscriber.complete(),
      });
      const catchUp = () => {
        if (subscriber.closed) return;
        try {
          const page = this.readAllSync(last, CATCH_UP_PAGE);
          page.forEach(emit);
          if (page.length === CATCH_UP_PAGE) {
            setImmediate(catchUp); // yield between pages: other requests keep flowing
            return;
          }
          // Synchronous from here to the switch: no commit can interleave.
          caughtUp = true;
          pendingLive.forEach(emit);
          pendingLive.length = 0;
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

function assertExpected(streamId: string, expected: ExpectedRevision, head: number | undefined): void {
  const actual = head === undefined ? 'no_stream' : BigInt(head);
  switch (expected) {
    case 'any':
      return;
    case 'no_stream':
      if (head !== undefined) throw new ConcurrencyError(streamId, expected, actual);
      return;
    case 'stream_exists':
      if (head === undefined) throw new ConcurrencyError(streamId, expected, actual);
      return;
    default:
      if (head === undefined || BigInt(head) !== expected) throw new ConcurrencyError(streamId, expected, actual);
  }
}
