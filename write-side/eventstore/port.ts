/**
 * The event store port. Everything above it speaks these types only; adapters
 * (embedded SQLite, EventStoreDB) translate their driver's types and errors at the edge.
 *
 * Positions and revisions are bigint inside the process and decimal strings on the wire.
 */
import type { Observable } from 'rxjs';
import type { EventMetadata } from '../../schemas/types';

/** Expected state of a stream before an append (optimistic concurrency). */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint;

export interface EventToAppend {
  /** Unique id (UUID). Re-appending an id already stored is a no-op that answers the original result. */
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent {
  readonly id: string;
  readonly streamId: string;
  /** 0-based position of the event inside its stream. */
  readonly revision: bigint;
  /** Position in the global log ($all); strictly growing in log order. */
  readonly position: bigint;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: EventMetadata;
}

export interface AppendResult {
  /** Revision of the last event now in the stream. */
  readonly nextRevision: bigint;
  /** Global position of the last appended event. */
  readonly position: bigint;
}

export interface ReadStreamOptions {
  /** First revision to read (inclusive). Default 0. */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Read events strictly after this position. Default: from the start. */
  readonly after?: bigint;
  readonly maxCount?: number;
}

export interface EventStore {
  /** `embedded` or `eventstoredb`, as `/health` reports it. */
  readonly kind: 'embedded' | 'eventstoredb' | 'postgres';
  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream in revision order; [] for a stream that does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of the global log in position order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * Every event strictly after `after`, catching up from the log and then going live,
   * with no gap and no duplicate at the seam. Emits in position order.
   */
  subscribe(after?: bigint): Observable<RecordedEvent>;
  /** Position of the last event in the log (0n when empty). */
  headPosition(): Promise<bigint>;
  close(): Promise<void>;
}

/** The stream was not at the expected revision: re-read, re-decide, retry. */
export class ConcurrencyError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`stream ${streamId} is at ${String(actual)}, expected ${String(expected)}`);
    this.name = 'ConcurrencyError';
  }
}

/** An event id was re-appended with different content or to another stream: a bug upstream, never silent. */
export class IdempotencyConflictError extends Error {
  constructor(readonly eventId: string) {
    super(`event id ${eventId} was already stored with different content`);
    this.name = 'IdempotencyConflictError';
  }
}

export const positionToString = (position: bigint): string => position.toString(10);
export const parsePosition = (text: string): bigint => {
  if (!/^(0|[1-9][0-9]{0,39})$/.test(text)) throw new RangeError(`not a position: ${text}`);
  return BigInt(text);
};
