/**
 * PostgreSQL event store (`DATABASE_URL`). Schema and ordering decision in
 * `postgres-event-log.sql.ts`; why and how it is proven in docs/postgres.md.
 *
 * - Group commit: appends issued while a batch is in flight are sent together as the next
 *   batch, one `append_events` call (one round trip, one transaction, one WAL flush). Each
 *   append's outcome is its own. Should the whole call fail for a reason that is not the
 *   connection (e.g. a value PostgreSQL refuses), the appends are retried one by one so only
 *   the culprit fails.
 * - Exact idempotency on event id, as the embedded store: a replay answers the original
 *   result, an id re-used with other content is `IdempotencyConflictError`.
 * - Several processes may append to one database: positions are still handed out in commit
 *   order (advisory lock), and `subscribe` reads the table after its last position, woken by
 *   LISTEN/NOTIFY (plus a poll), so every process sees every event once, in order.
 */
import type pg from 'pg';
import { EMPTY, Observable, Subject, catchError, concatMap, defer, filter, from, of, retry, share, takeUntil, timer } from 'rxjs';
import { migrate, openPostgres, type PostgresHandle } from '../../storage/postgres';
import { notifications } from '../../storage/postgres-notifications';
import { EVENT_LOG_MIGRATIONS, eventsChannel } from './postgres-event-log.sql';
import {
  ConcurrencyError, IdempotencyConflictError,
  type AppendResult, type EventStore, type EventToAppend, type ExpectedRevision, type ReadAllOptions,
  type ReadStreamOptions, type RecordedEvent,
} from './port';

interface Row {
  position: string;
  id: string;
  stream_id: string;
  revision: string;
  type: string;
  data: Record<string, unknown>;
  metadata: RecordedEvent['metadata'];
}

type Outcome =
  | { ok: true; revision: number | string; position: number | string }
  | { ok: false; error: 'concurrency'; actual: number | string | null }
  | { ok: false; error: 'idempotency'; id: string };

interface PendingAppend {
  readonly streamId: string;
  readonly events: readonly EventToAppend[];
  readonly expected: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

const COLUMNS = 'position, id, stream_id, revision, type, data, metadata';
const DEFAULT_READ_ALL_PAGE = 1000;
const CATCH_UP_PAGE = 2000;
const MAX_GROUP = 500;

const toRecorded = (row: Row): RecordedEvent => ({
  id: row.id,
  streamId: row.stream_id,
  revision: BigInt(row.revision),
  position: BigInt(row.position),
  type: row.type,
  data: row.data,
  metadata: row.metadata,
});

export interface PostgresEventStoreOptions {
  readonly url: string;
  /** Default `public`; tests use a fresh schema each. */
  readonly schema?: string;
  /** Safety-net poll of the live subscription. Default 1000 ms. */
  readonly pollMs?: number;
}

export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres' as const;
  private queue: PendingAppend[] = [];
  private flushing = false;
  private closed = false;
  private readonly closing = new Subject<void>();
  /** "Something may have committed at or before this position" (undefined: look anyway). */
  private readonly wakeups: Observable<bigint | undefined>;

  private constructor(private readonly db: PostgresHandle, pollMs: number) {
    // One LISTEN connection per store, shared by all its subscribers. A "look now" tick (poll,
    // reconnect) becomes one head query, so idle subscribers do not each read the table.
    this.wakeups = notifications({ url: db.url, channel: eventsChannel(db.schema), pollMs }).pipe(
      concatMap((payload) => (payload === undefined || payload === ''
        ? from(this.headPosition()).pipe(catchError(() => of(undefined)))
        : of(BigInt(payload)))),
      share(),
    );
  }

  /** Connects, creates or migrates the schema, and answers the store. */
  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const db = await openPostgres({ url: options.url, schema: options.schema });
    try {
      await migrate(db.pool, 'eventstore', EVENT_LOG_MIGRATIONS);
    } catch (error) {
      await db.release();
      throw error;
    }
    return new PostgresEventStore(db, options.pollMs ?? 1000);
  }

  /** The pool, for tests and benchmarks that compare with raw SQL. */
  get pool(): pg.Pool {
    return this.db.pool;
  }

  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    if (events.length === 0) return Promise.reject(new RangeError('append needs at least one event'));
    if (new Set(events.map((e) => e.id)).size !== events.length) {
      return Promise.reject(new RangeError('an event id appears twice in one append'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ streamId, events, expected, resolve, reject });
      void this.flush();
    });
  }

  /** One batch in flight at a time: what queues meanwhile rides in the next one. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_GROUP);
        await this.commit(batch);
      }
    } finally {
      this.flushing = false;
    }
  }

  private async commit(batch: PendingAppend[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await this.call(batch);
    } catch (error) {
      if (batch.length === 1 || !isRefusedValue(error)) {
        for (const p of batch) p.reject(error);
        return;
      }
      for (const p of batch) await this.commit([p]); // isolate the append PostgreSQL refused
      return;
    }
    batch.forEach((p, i) => settle(p, outcomes[i]));
  }

  private async call(batch: readonly PendingAppend[]): Promise<Outcome[]> {
    const payload = JSON.stringify(batch.map((p) => ({
      stream: p.streamId,
      expected: typeof p.expected === 'bigint' ? p.expected.toString(10) : p.expected,
      events: p.events.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })),
    })));
    const result = await this.db.pool.query<{ outcomes: Outcome[] }>('SELECT append_events($1::jsonb) AS outcomes', [payload]);
    return result.rows[0]!.outcomes;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = (options.fromRevision ?? 0n).toString(10);
    const max = options.maxCount ?? null;
    const result = await this.db.pool.query<Row>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
      [streamId, from, max]);
    return result.rows.map(toRecorded);
  }

  /** One page of the log after `after`; `maxCount` defaults to 1000, page on with the last position. */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const result = await this.db.pool.query<Row>(
      `SELECT ${COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2`,
      [(options.after ?? 0n).toString(10), options.maxCount ?? DEFAULT_READ_ALL_PAGE]);
    return result.rows.map(toRecorded);
  }

  /**
   * Reads the table after the last delivered position whenever woken (a notification, a
   * reconnect, the poll). Positions become visible in order (see the SQL module), so reading
   * "after last" never skips. A dropped connection resubscribes after the last delivered event.
   */
  subscribe(after: bigint = 0n): Observable<RecordedEvent> {
    return defer(() => {
      if (this.closed) return EMPTY;
      let last = after; // survives retries
      const once = new Observable<RecordedEvent>((subscriber) => {
        let reading = false;
        let again = false;
        const pump = async () => {
          if (reading) {
            again = true;
            return;
          }
          reading = true;
          try {
            do {
              again = false;
              for (;;) {
                const page = await this.readAll({ after: last, maxCount: CATCH_UP_PAGE });
                for (const event of page) {
                  if (subscriber.closed) return;
                  if (event.position <= last) continue;
                  last = event.position;
                  subscriber.next(event);
                }
                if (page.length < CATCH_UP_PAGE) break;
              }
            } while (again && !subscriber.closed);
          } catch (error) {
            subscriber.error(error);
          } finally {
            reading = false;
          }
        };
        const woken = this.wakeups.pipe(filter((p) => p === undefined || p > last)).subscribe({
          next: () => void pump(),
          error: (error: unknown) => subscriber.error(error),
        });
        void pump();
        return () => woken.unsubscribe();
      });
      return once.pipe(
        retry({
          resetOnSuccess: true,
          delay: (error: unknown, attempt) => {
            if (this.closed) return EMPTY;
            console.warn(`PostgreSQL subscription dropped (${String(error)}); reading on after ${String(last)}`);
            return timer(Math.min(5000, 100 * 2 ** (attempt - 1)));
          },
        }),
      );
    }).pipe(takeUntil(this.closing));
  }

  async headPosition(): Promise<bigint> {
    const result = await this.db.pool.query<{ head: string | null }>('SELECT max(position) AS head FROM events');
    return BigInt(result.rows[0]?.head ?? 0);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing || this.queue.length > 0) {
      await this.flush();
      await new Promise((r) => setImmediate(r));
    }
    this.closing.next();
    this.closing.complete();
    await this.db.release();
  }
}

function settle(p: PendingAppend, outcome: Outcome | undefined): void {
  if (!outcome) {
    p.reject(new Error('append_events answered fewer outcomes than appends'));
    return;
  }
  if (outcome.ok) {
    p.resolve({ nextRevision: BigInt(outcome.revision), position: BigInt(outcome.position) });
    return;
  }
  switch (outcome.error) {
    case 'concurrency':
      p.reject(new ConcurrencyError(p.streamId, p.expected, outcome.actual === null ? 'no_stream' : BigInt(outcome.actual)));
      return;
    case 'idempotency':
      p.reject(new IdempotencyConflictError(outcome.id));
      return;
    default: {
      const _exhaustive: never = outcome;
      p.reject(new Error(`unknown append outcome ${JSON.stringify(_exhaustive)}`));
    }
  }
}

/** PostgreSQL refused a value of the batch (data exception, class 22), not the connection. */
function isRefusedValue(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('22');
}
