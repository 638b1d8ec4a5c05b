/**
 * The write half of the embedded event store: one group commit of queued appends on a SQLite
 * connection (WAL, synchronous=FULL). `SqliteEventStore` runs it on its own connection, or in a
 * worker thread (`sqlite-appender-worker.ts`) so the fsync of each commit blocks that thread and
 * not the event loop serving requests.
 *
 * Each append runs in its own savepoint inside the batch transaction (one fsync per batch), so
 * one append's concurrency error never undoes its neighbours. Re-appending ids already stored
 * answers the original result (exact idempotency, not a best-effort cache).
 */
import type Database from 'better-sqlite3';
import { isDeepStrictEqual } from 'node:util';
import {
  ConcurrencyError, IdempotencyConflictError,
  type AppendResult, type EventToAppend, type ExpectedRevision, type RecordedEvent,
} from './port';

/** An event as it is stored: data and metadata already JSON (serialized by the caller, on its thread). */
export interface SerializedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

export interface AppendRequest {
  readonly streamId: string;
  readonly events: readonly SerializedEvent[];
  readonly expected: ExpectedRevision;
}

/**
 * Per append of a batch, in batch order. `inserted`: its events were written now, at consecutive
 * revisions and positions ending at `result` (false: a replay answered with the original result).
 */
export type AppendOutcome = { ok: true; result: AppendResult; inserted: boolean } | { ok: false; error: unknown };

export const serializeEvent = (e: EventToAppend): SerializedEvent => ({
  id: e.id, type: e.type, data: JSON.stringify(e.data), metadata: JSON.stringify(e.metadata),
});

/** The events of an inserted append as a reader of the log gets them (JSON round trip). */
export function recordedOf(request: AppendRequest, result: AppendResult): RecordedEvent[] {
  const last = request.events.length - 1;
  return request.events.map((e, i) => ({
    id: e.id, streamId: request.streamId,
    revision: result.nextRevision - BigInt(last - i), position: result.position - BigInt(last - i),
    type: e.type, data: JSON.parse(e.data) as Record<string, unknown>, metadata: JSON.parse(e.metadata) as RecordedEvent['metadata'],
  }));
}

interface StoredRow {
  position: number;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
}

/** Thrown inside an append's savepoint when one of its ids is already stored: undo, then answer as a replay. */
class DuplicateIdSignal extends Error {}

export class SqliteAppender {
  private readonly stmt;
  private readonly appendInSavepoint: (p: AppendRequest) => { result: AppendResult; inserted: boolean };
  private readonly commitBatch: (batch: readonly AppendRequest[]) => AppendOutcome[];

  /** `db` must already hold the `events` table (SqliteEventStore creates it). */
  constructor(private readonly db: Database.Database) {
    this.stmt = {
      head: db.prepare<[string], { revision: number }>(
        'SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1'),
      // Ids are looked up only when this insert reports a duplicate: the hot path does no id read.
      insert: db.prepare<[string, string, number, string, string, string]>(
        'INSERT INTO events (id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING'),
      byId: db.prepare<[string], StoredRow>('SELECT position, stream_id, revision, type, data FROM events WHERE id = ?'),
    };
    // Nested db.transaction() runs as a SAVEPOINT inside the batch transaction.
    this.appendInSavepoint = db.transaction((p: AppendRequest) => this.appendInTransaction(p));
    this.commitBatch = db.transaction((batch: readonly AppendRequest[]) => batch.map((pending) => this.appendOne(pending)));
  }

  /**
   * Commits the batch in one transaction and answers each append's outcome. Throws when the
   * commit itself failed (disk full, I/O error): then nothing of the batch is durable.
   */
  commit(batch: readonly AppendRequest[]): AppendOutcome[] {
    return this.commitBatch(batch);
  }

  /** One append inside the batch transaction; its failure is its own unless SQLite gave up the whole transaction. */
  private appendOne(pending: AppendRequest): AppendOutcome {
    try {
      // A one-event append needs no savepoint: each way it can fail (concurrency, duplicate id,
      // a constraint) happens before or inside its single INSERT, which SQLite undoes by itself.
      const appended = pending.events.length === 1
        ? this.appendInTransaction(pending)
        : this.appendInSavepoint(pending);
      return { ok: true, ...appended };
    } catch (error) {
      // SQLITE_FULL/IOERR/BUSY can roll back the whole transaction; carrying on would autocommit
      // the remaining appends one by one and then fail the outer COMMIT. Abort the batch instead.
      if (!this.db.inTransaction) throw error;
      if (!(error instanceof DuplicateIdSignal)) return { ok: false, error };
      try {
        const replay = this.replayResult(pending);
        if (replay === undefined) throw new Error('duplicate id reported but not found'); // cannot happen
        return { ok: true, result: replay, inserted: false };
      } catch (replayError) {
        return { ok: false, error: replayError };
      }
    }
  }

  /** Runs in the batch transaction (in its own savepoint when it writes several events): throwing undoes this append only. */
  private appendInTransaction(p: AppendRequest): { result: AppendResult; inserted: boolean } {
    const head = this.stmt.head.get(p.streamId)?.revision;
    if (!expectedHolds(p.expected, head)) {
      // A retried append whose stream has moved on since must still answer its original result.
      const replay = this.replayResult(p);
      if (replay !== undefined) return { result: replay, inserted: false };
      throw new ConcurrencyError(p.streamId, p.expected, head === undefined ? 'no_stream' : BigInt(head));
    }
    let revision = head ?? -1;
    let lastPosition = 0 as number | bigint;
    for (const e of p.events) {
      revision += 1;
      const info = this.stmt.insert.run(e.id, p.streamId, revision, e.type, e.data, e.metadata);
      if (info.changes === 0) throw new DuplicateIdSignal();
      // One append's rows follow one another: positions are consecutive (see `recordedOf`).
      lastPosition = info.lastInsertRowid;
    }
    return { result: { nextRevision: BigInt(revision), position: BigInt(lastPosition) }, inserted: true };
  }

  /**
   * The original result when every id of `p` is already stored as this very append (same stream,
   * consecutive revisions in order, same type and data); undefined when none is stored.
   * Metadata is not compared: a retried request legitimately carries a new correlation id.
   */
  private replayResult(p: AppendRequest): AppendResult | undefined {
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
}

function sameData(stored: string, json: string): boolean {
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
