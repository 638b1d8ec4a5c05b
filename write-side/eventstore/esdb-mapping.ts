/**
 * Pure translation between the port's types and @eventstore/db-client 6.x's, kept apart from
 * the client calls so it can be tested without a server (and reused by a future
 * @kurrent/kurrentdb-client adapter, whose record shapes are the same).
 *
 * Positions: we carry the $all *commit* position only. For events written by the gRPC API
 * (implicit transactions) each event's commit position equals its prepare position and is
 * distinct and growing; they differ only for legacy TCP explicit transactions, which nothing of
 * ours writes. So `{ commit: p, prepare: p }` rebuilds a full $all position. See docs/eventstore.md.
 */
import {
  ANY, NO_STREAM, START, STREAM_EXISTS,
  type AppendExpectedRevision, type CurrentRevision, type Position, type ReadPosition,
} from '@eventstore/db-client';
import type { EventMetadata } from '../../schemas/types';
import type { ExpectedRevision, RecordedEvent } from './port';

/** What the mapping needs of a client record (both stream and $all reads deliver this shape). */
export interface EsdbRecord {
  readonly id: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: Position;
}

/** Servers before 22.6 report no (or a max-value) $all position on stream reads. */
const NO_POSITION = 2n ** 63n - 1n;

export function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  if (typeof expected === 'bigint') return expected;
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default: {
      const _exhaustive: never = expected;
      throw new RangeError(`unknown expected revision ${String(_exhaustive)}`);
    }
  }
}

/** The client's "current revision" of a failed append, or -1n (its way of saying no stream). */
export const toActualRevision = (current: CurrentRevision | bigint): bigint | 'no_stream' =>
  current === NO_STREAM || current === -1n ? 'no_stream' : current;

/** Where to start reading $all so that `after` itself is included or excluded by the caller's filter. */
export const toReadPosition = (after: bigint): ReadPosition => (after === 0n ? START : { commit: after, prepare: after });

/** The commit position, or 0n where the server did not give one (stream reads on old servers). */
export const commitPositionOf = (record: Pick<EsdbRecord, 'position'>): bigint => {
  const commit = record.position?.commit;
  return commit === undefined || commit < 0n || commit >= NO_POSITION ? 0n : commit;
};

/** System events ($-prefixed types or streams, link events) never leave the adapter. */
export const isSystemRecord = (record: Pick<EsdbRecord, 'type' | 'streamId'>): boolean =>
  record.type.startsWith('$') || record.streamId.startsWith('$');

const parseJson = (value: unknown): unknown => {
  if (value instanceof Uint8Array) return value.length === 0 ? {} : JSON.parse(Buffer.from(value).toString('utf8'));
  return value ?? {};
};

export const toRecordedEvent = (record: EsdbRecord): RecordedEvent => ({
  id: record.id,
  streamId: record.streamId,
  revision: record.revision,
  position: commitPositionOf(record),
  type: record.type,
  data: (record.isJson ? record.data ?? {} : parseJson(record.data)) as Record<string, unknown>,
  metadata: parseJson(record.metadata) as EventMetadata,
});

/** Exponential backoff for resubscribing: 250 ms, 500 ms, 1 s, ... capped at 30 s. */
export const resubscribeDelayMs = (attempt: number): number => Math.min(250 * 2 ** Math.max(0, attempt - 1), 30_000);
