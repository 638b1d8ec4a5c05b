import { ANY, NO_STREAM, START, STREAM_EXISTS } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import {
  commitPositionOf, isSystemRecord, resubscribeDelayMs, toActualRevision, toEsdbExpected, toReadPosition,
  toRecordedEvent, type EsdbRecord,
} from './esdb-mapping';

const record = (over: Partial<EsdbRecord> = {}): EsdbRecord => ({
  id: 'e1', streamId: 'stock-1', revision: 4n, type: 'StockReceived', isJson: true,
  data: { sku: 'A', quantity: 2 }, metadata: { actor: { kind: 'system', id: 'x' }, source: 'system', correlationId: 'c' },
  position: { commit: 9_007_199_254_740_993n, prepare: 9_007_199_254_740_993n }, ...over,
});

describe('esdb mapping', () => {
  it('maps every expected revision to the client constant, bigint unchanged', () => {
    expect(toEsdbExpected('no_stream')).toBe(NO_STREAM);
    expect(toEsdbExpected('stream_exists')).toBe(STREAM_EXISTS);
    expect(toEsdbExpected('any')).toBe(ANY);
    expect(toEsdbExpected(17n)).toBe(17n);
  });

  it('maps the actual revision of a failed append, -1 meaning no stream', () => {
    expect(toActualRevision(NO_STREAM)).toBe('no_stream');
    expect(toActualRevision(-1n)).toBe('no_stream');
    expect(toActualRevision(3n)).toBe(3n);
  });

  it('resumes $all from the start for 0 and from commit = prepare = position otherwise', () => {
    expect(toReadPosition(0n)).toBe(START);
    expect(toReadPosition(123n)).toEqual({ commit: 123n, prepare: 123n });
  });

  it('keeps positions beyond 2^53 exact and maps a missing or max-value position to 0', () => {
    expect(commitPositionOf(record())).toBe(9_007_199_254_740_993n);
    expect(commitPositionOf(record({ position: undefined }))).toBe(0n);
    expect(commitPositionOf(record({ position: { commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n } }))).toBe(0n);
  });

  it('recognises system events by type or stream', () => {
    expect(isSystemRecord(record())).toBe(false);
    expect(isSystemRecord(record({ type: '$metadata' }))).toBe(true);
    expect(isSystemRecord(record({ streamId: '$settings' }))).toBe(true);
  });

  it('turns a JSON record into a RecordedEvent', () => {
    expect(toRecordedEvent(record())).toEqual({
      id: 'e1', streamId: 'stock-1', revision: 4n, position: 9_007_199_254_740_993n, type: 'StockReceived',
      data: { sku: 'A', quantity: 2 }, metadata: { actor: { kind: 'system', id: 'x' }, source: 'system', correlationId: 'c' },
    });
  });

  it('parses binary data and metadata as JSON and treats absent metadata as empty', () => {
    const bytes = (v: unknown) => new Uint8Array(Buffer.from(JSON.stringify(v)));
    const e = toRecordedEvent(record({ isJson: false, data: bytes({ n: 1 }), metadata: undefined }));
    expect(e.data).toEqual({ n: 1 });
    expect(e.metadata).toEqual({});
  });

  it('backs off exponentially and caps at 30 s', () => {
    expect([1, 2, 3, 4].map(resubscribeDelayMs)).toEqual([250, 500, 1000, 2000]);
    expect(resubscribeDelayMs(50)).toBe(30_000);
  });
});
