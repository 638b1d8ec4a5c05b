import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../schemas/types';
import { locationRegistered, stockCounted, stockReceived, stockReturned, stockSold, transferDispatched, transferReceived, withReceiptId } from '../testing/fixtures';
import { DEDUPE_WINDOW_MS } from '../time';
import { evolveLocation, initialLocationState, type LocationState } from './location-state';
import { decodeLocation, encodeLocation } from './location-snapshot';

const DAY = 24 * 60 * 60 * 1000;
const BASE = Date.parse('2025-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Random histories of one location over ~120 days (longer than both the 7-day horizon and the
 * 30-day dedupe window, so pruning happens), with sale/return ids that repeat (redeliveries,
 * some after the window), facts arriving late, counts and transfers.
 */
const op = fc.record({
  kind: fc.constantFrom('sell', 'sell', 'return', 'receive', 'count', 'dispatch', 'arrive'),
  sku: fc.constantFrom('X', 'Y'),
  q: fc.integer({ min: 1, max: 9 }),
  id: fc.integer({ min: 1, max: 40 }),
  /** When it is recorded: days since BASE (grows with the history, as a log does). */
  recordedDay: fc.double({ min: 0, max: 4, noNaN: true }),
  /** How late it arrives (offline till). */
  lateHours: fc.integer({ min: 0, max: 30 }),
});
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function toEvents(ops: readonly Op[]): DomainEvent[] {
  let day = 0;
  return [locationRegistered('A', iso(BASE)), ...ops.map((o, i): DomainEvent => {
    day += o.recordedDay;
    const recorded = BASE + day * DAY;
    const occurred = iso(recorded - o.lateHours * 3600_000);
    switch (o.kind) {
      case 'sell': return stockSold('A', o.sku, o.q, occurred, `s${o.id}`, iso(recorded));
      case 'return': return { ...stockReturned('A', o.sku, o.q, occurred, `r${o.id}`), data: { ...stockReturned('A', o.sku, o.q, occurred, `r${o.id}`).data, recordedAt: iso(recorded) } } as DomainEvent;
      case 'receive': return stockReceived('A', o.sku, o.q, iso(recorded), `rc${i}`);
      case 'count': return stockCounted('A', o.sku, o.q, 0, iso(recorded - DAY), iso(recorded));
      case 'dispatch': return transferDispatched(`t${o.id}`, 'A', 'B', [{ sku: o.sku, quantity: o.q }], iso(recorded));
      case 'arrive': {
        const arrived = transferReceived(`t${o.id}`, 'B', 'A', [{ sku: o.sku, quantity: o.q }], [], o.q % 2 === 0, iso(recorded));
        return o.q % 3 === 0 ? withReceiptId(arrived, `k${o.id}`) : arrived; // some client-keyed (their receipts are state too)
      }
      default: throw new Error(o.kind);
    }
  })];
}

const fold = (events: readonly DomainEvent[], from: LocationState = initialLocationState()) => events.reduce(evolveLocation, from);
/** Through JSON text, exactly as a snapshot store keeps it. */
const throughSnapshot = (state: LocationState) => decodeLocation(JSON.parse(JSON.stringify(encodeLocation(state))));

describe('location snapshots', () => {
  it('state from a snapshot plus the tail equals the state from a full replay, wherever the snapshot was taken', () => {
    fc.assert(fc.property(fc.array(op, { minLength: 1, maxLength: 120 }), fc.nat(), (ops, cut) => {
      const events = toEvents(ops);
      const k = cut % (events.length + 1);
      const full = fold(events);
      const resumed = fold(events.slice(k), throughSnapshot(fold(events.slice(0, k))));
      expect(resumed).toEqual(full);
      // Same insertion order too: pruning from the front must drop the same keys later on.
      expect([...resumed.seen.keys()]).toEqual([...full.seen.keys()]);
      expect(encodeLocation(resumed)).toEqual(encodeLocation(full));
    }), { numRuns: 200 });
  });

  it('a snapshot round trip keeps the state exactly (infinities and undefined included)', () => {
    expect(throughSnapshot(initialLocationState())).toEqual(initialLocationState());
    const state = fold(toEvents([{ kind: 'sell', sku: 'X', q: 2, id: 1, recordedDay: 0, lateHours: 3 }]));
    expect(throughSnapshot(state)).toEqual(state);
  });

  it('the remembered keys are bounded by the dedupe window, not by the history', () => {
    // One sale an hour for a year: 8,760 facts; the window keeps about 30 days of them.
    const events = [locationRegistered('A', iso(BASE))];
    for (let h = 0; h < 365 * 24; h += 1) events.push(stockSold('A', 'X', 1, iso(BASE + h * 3600_000), `s${h}`));
    const state = fold(events);
    expect(state.seen.size).toBeLessThanOrEqual(DEDUPE_WINDOW_MS / 3600_000 + 2);
    expect(state.seen.size).toBeGreaterThanOrEqual(DEDUPE_WINDOW_MS / 3600_000);
    expect(state.ledgers.get('X')!.onHand).toBe(-365 * 24);
  });
});
