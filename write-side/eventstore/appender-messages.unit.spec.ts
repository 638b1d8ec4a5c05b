import { describe, expect, it } from 'vitest';
import { decodeAppends, decodeOutcomes, encodeAppends, encodeOutcomes } from './appender-messages';
import { ConcurrencyError, IdempotencyConflictError } from './port';
import { serializeEvent, type AppendRequest } from './sqlite-appender';

const metadata = { actor: { kind: 'system', id: 'spec' }, source: 'system', correlationId: 'c' } as const;

describe('appender messages', () => {
  it('given appends of every expected kind, with NUL, quotes and non-ASCII in ids and data, then a batch survives the round trip unchanged', () => {
    const appends: AppendRequest[] = [
      { streamId: 'location-a\u0000"b"', expected: 'any', events: [serializeEvent({ id: 'e\u00001', type: 'StockSold', data: { s: 'ü\u0000\n"', n: 1 }, metadata })] },
      { streamId: 'location-b', expected: 'no_stream', events: [] },
      { streamId: 'location-c', expected: 'stream_exists', events: [serializeEvent({ id: 'e2', type: 'T', data: {}, metadata }), serializeEvent({ id: 'e3', type: 'T', data: { x: [1] }, metadata })] },
      { streamId: 'location-d', expected: 12345678901234567890n, events: [serializeEvent({ id: 'e4', type: 'T', data: { big: '123456789012345678901' }, metadata })] },
    ];
    expect(decodeAppends(encodeAppends(appends))).toEqual(appends);
    expect(decodeAppends(encodeAppends([]))).toEqual([]);
  });

  it('given outcomes and errors, then they come back as results and as the port\'s own error classes', () => {
    const decoded = decodeOutcomes(encodeOutcomes([
      { ok: true, result: { nextRevision: 9007199254740993n, position: 42n }, inserted: true },
      { ok: true, result: { nextRevision: 0n, position: 7n }, inserted: false },
      { ok: false, error: new ConcurrencyError('s', 3n, 'no_stream') },
      { ok: false, error: new ConcurrencyError('s', 'no_stream', 4n) },
      { ok: false, error: new IdempotencyConflictError('e-1') },
      { ok: false, error: new RangeError('bad \u0000 thing') },
    ]));
    expect(decoded.slice(0, 2)).toEqual([
      { ok: true, result: { nextRevision: 9007199254740993n, position: 42n }, inserted: true },
      { ok: true, result: { nextRevision: 0n, position: 7n }, inserted: false },
    ]);
    const errors = decoded.slice(2).map((o) => (o.ok ? undefined : o.error));
    expect(errors[0]).toBeInstanceOf(ConcurrencyError);
    expect(errors[0]).toMatchObject({ streamId: 's', expected: 3n, actual: 'no_stream' });
    expect(errors[1]).toMatchObject({ expected: 'no_stream', actual: 4n });
    expect(errors[2]).toBeInstanceOf(IdempotencyConflictError);
    expect(errors[2]).toMatchObject({ eventId: 'e-1' });
    expect(errors[3]).toMatchObject({ name: 'RangeError', message: 'bad \u0000 thing' });
    expect(decodeOutcomes(encodeOutcomes([]))).toEqual([]);
  });
});
