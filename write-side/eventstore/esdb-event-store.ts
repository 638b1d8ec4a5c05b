/**
 * EventStoreDB adapter (@eventstore/db-client 6.x). Thin on purpose: the client calls live here,
 * the translations in `esdb-mapping.ts`; nothing above this file imports the driver.
 *
 * - Positions are $all commit positions (see esdb-mapping.ts and docs/eventstore.md).
 * - Idempotency on event id is EventStoreDB's own: reliable for a retry with the same expected
 *   revision, best effort (a cache) for `any`; it cannot detect an id re-used with other content.
 * - System events ($-prefixed) are filtered out of readAll, subscribe and headPosition.
 */
import {
  BACKWARDS, END, EventStoreDBClient, FORWARDS, START, StreamNotFoundError, WrongExpectedVersionError,
  excludeSystemEvents, jsonEvent,
} from '@eventstore/db-client';
import { EMPTY, Observable, Subject, defer, retry, takeUntil, timer } from 'rxjs';
import {
  commitPositionOf, isSystemRecord, resubscribeDelayMs, toActualRevision, toEsdbExpected, toReadPosition,
  toRecordedEvent, type EsdbRecord,
} from './esdb-mapping';
import {
  ConcurrencyError,
  type AppendResult, type EventStore, type EventToAppend, type ExpectedRevision, type ReadAllOptions,
  type ReadStreamOptions, type RecordedEvent,
} from './port';

const DEFAULT_READ_ALL_PAGE = 1000;
const HEAD_SCAN_PAGE = 200;

export class EsdbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  private readonly closing = new Subject<void>();
  private closed = false;

  constructor(private readonly client: EventStoreDBClient) {}

  /** `url` like `esdb://localhost:2113?tls=false`. The client connects lazily on first use. */
  static connect(url: string): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(url));
  }

  async append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    const proposed = events.map((e) => jsonEvent({ id: e.id, type: e.type, data: e.data, metadata: e.metadata }));
    let result;
    try {
      result = await this.client.appendToStream(streamId, proposed, { expectedRevision: toEsdbExpected(expected) });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new ConcurrencyError(streamId, expected, toActualRevision(error.actualVersion));
      }
      throw error;
    }
    // Only with `throwOnAppendFailure=false` in the connection string does a conflict resolve.
    if (!result.success) throw new ConcurrencyError(streamId, expected, toActualRevision(result.nextExpectedRevision));
    const position = result.position?.commit ?? (await this.positionOfRevision(streamId, result.nextExpectedRevision));
    return { nextRevision: result.nextExpectedRevision, position };
  }

  /** An idempotent replay may come back without a position: look the last event up instead. */
  private async positionOfRevision(streamId: string, revision: bigint): Promise<bigint> {
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    const position = event ? event.position : 0n;
    return position > 0n ? position : this.headPosition();
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        fromRevision: options.fromRevision ?? START,
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
        direction: FORWARDS,
      });
      for await (const resolved of read) if (resolved.event) out.push(toRecordedEvent(resolved.event as EsdbRecord));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return out;
  }

  /**
   * One page of the log strictly after `after` (default: the start); `maxCount` defaults to 1000.
   * $all reads are inclusive of their start and system events are dropped here, so the loop reads
   * on until it has a full page of our events or the log ends: a short page always means "end".
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = options.maxCount ?? DEFAULT_READ_ALL_PAGE;
    const out: RecordedEvent[] = [];
    let cursor = options.after ?? 0n;
    while (out.length < maxCount) {
      const want = maxCount - out.length + 1;
      let seen = 0;
      let lastSeen = cursor;
      const read = this.client.readAll({ fromPosition: toReadPosition(cursor), maxCount: want, direction: FORWARDS });
      for await (const resolved of read) {
        seen += 1;
        const record = resolved.event as EsdbRecord | undefined;
        if (!record) continue;
        const position = commitPositionOf(record);
        if (position <= cursor) continue;
        lastSeen = position;
        if (!isSystemRecord(record)) out.push(toRecordedEvent(record));
      }
      if (seen < want || lastSeen === cursor) break;
      cursor = lastSeen;
    }
    return out.slice(0, maxCount);
  }

  subscribe(after: bigint = 0n): Observable<RecordedEvent> {
    return defer(() => {
      if (this.closed) return EMPTY;
      let last = after; // survives resubscriptions: each one resumes after the last delivered event
      const once = new Observable<RecordedEvent>((subscriber) => {
        const subscription = this.client.subscribeToAll({ fromPosition: toReadPosition(last), filter: excludeSystemEvents() });
        let stopped = false;
        // `for await` consumes one event at a time: no overlapping handlers, no reordering.
        void (async () => {
          try {
            for await (const resolved of subscription) {
              const record = resolved.event as EsdbRecord | undefined;
              if (!record || isSystemRecord(record)) continue;
              const position = commitPositionOf(record);
              if (position <= last) continue; // the server starts after `last`; this guards the resume seam
              last = position;
              subscriber.next(toRecordedEvent(record));
            }
            if (!stopped) subscriber.error(new Error('EventStoreDB subscription ended'));
          } catch (error) {
            if (!stopped) subscriber.error(error);
          }
        })();
        return () => {
          stopped = true;
          void subscription.unsubscribe().catch(() => undefined);
        };
      });
      return once.pipe(
        retry({
          resetOnSuccess: true,
          delay: (error: unknown, attempt) => {
            if (this.closed) throw error;
            console.warn(`EventStoreDB subscription dropped (${String(error)}); resubscribing after ${String(last)}`);
            return timer(resubscribeDelayMs(attempt));
          },
        }),
      );
    }).pipe(takeUntil(this.closing));
  }

  async headPosition(): Promise<bigint> {
    let from: typeof END | { commit: bigint; prepare: bigint } = END;
    for (;;) {
      let seen = 0;
      let lastSeen: bigint | undefined;
      for await (const resolved of this.client.readAll({ fromPosition: from, maxCount: HEAD_SCAN_PAGE, direction: BACKWARDS })) {
        seen += 1;
        const record = resolved.event as EsdbRecord | undefined;
        if (!record) continue;
        if (!isSystemRecord(record)) return commitPositionOf(record);
        lastSeen = commitPositionOf(record);
      }
      if (seen < HEAD_SCAN_PAGE || lastSeen === undefined) return 0n;
      from = { commit: lastSeen, prepare: lastSeen };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.next();
    this.closing.complete();
    await this.client.dispose();
  }
}
