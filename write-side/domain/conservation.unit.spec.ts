/**
 * Property: whatever sequence of receipts, sales, returns, adjustments, transfer dispatches and
 * (partial, final or not) transfer receipts is decided and applied, no unit appears or vanishes:
 *   on hand everywhere + in transit = received - sold + returned + adjustments - shortfall.
 * Commands the domain refuses simply change nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../schemas/types';
import type { StockCommand } from './commands';
import { decide } from './decide';
import { DomainError } from './errors';
import { onHandOf } from './locations/location-state';
import { foldWorld } from './testing/spec';
import { T0, chain } from './testing/fixtures';

const LOCATIONS = ['A', 'B'] as const;
const SKUS = ['X', 'Y'] as const;

const loc = fc.constantFrom(...LOCATIONS);
const sku = fc.constantFrom(...SKUS);
const qty = fc.integer({ min: 1, max: 20 });
const transferNo = fc.integer({ min: 0, max: 4 });

const step = fc.oneof(
  fc.record({ kind: fc.constant('receive' as const), loc, sku, qty }),
  fc.record({ kind: fc.constant('sell' as const), loc, sku, qty }),
  fc.record({ kind: fc.constant('return' as const), loc, sku, qty }),
  fc.record({ kind: fc.constant('adjust' as const), loc, sku, qty: fc.integer({ min: -20, max: 20 }).filter((q) => q !== 0) }),
  fc.record({ kind: fc.constant('transfer' as const), no: transferNo, from: loc, sku, qty }),
  fc.record({ kind: fc.constant('dispatch' as const), no: transferNo }),
  fc.record({ kind: fc.constant('arrive' as const), no: transferNo, qty: fc.option(fc.integer({ min: 0, max: 20 })), final: fc.boolean() }),
  fc.record({ kind: fc.constant('repeat' as const) }),
  fc.record({ kind: fc.constant('storedTwice' as const) }),
);
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

function toCommand(s: Step, i: number, last: StockCommand | undefined): StockCommand | undefined {
  const now = T0;
  switch (s.kind) {
    case 'receive': return { type: 'ReceiveStock', locationId: s.loc, receiptId: `r${i}`, lines: [{ sku: s.sku, quantity: s.qty }], now };
    case 'sell': return { type: 'RecordSale', locationId: s.loc, saleId: `s${i}`, occurredAt: now, lines: [{ sku: s.sku, quantity: s.qty }], now };
    case 'return': return { type: 'RecordReturn', locationId: s.loc, returnId: `ret${i}`, occurredAt: now, lines: [{ sku: s.sku, quantity: s.qty }], now };
    case 'adjust': return { type: 'AdjustStock', locationId: s.loc, adjustmentId: `a${i}`, sku: s.sku, quantity: s.qty, reason: 'correction', now };
    case 'transfer': return {
      type: 'CreateTransfer', transferId: `t${s.no}`, fromLocationId: s.from, toLocationId: s.from === 'A' ? 'B' : 'A',
      lines: [{ sku: s.sku, quantity: s.qty }], now,
    };
    case 'dispatch': return { type: 'DispatchTransfer', transferId: `t${s.no}`, now };
    case 'arrive': return {
      type: 'ReceiveTransfer', transferId: `t${s.no}`, final: s.final, now,
      ...(s.qty !== null && { lines: [{ sku: 'X', quantity: s.qty }, { sku: 'Y', quantity: s.qty }] }),
    };
    case 'repeat': return last; // the same command again (a retry, a webhook delivered twice)
    case 'storedTwice': return undefined; // handled on the log itself
    default: {
      const _exhaustive: never = s;
      return undefined;
    }
  }
}

const sum = (lines: readonly { quantity: number }[]) => lines.reduce((n, l) => n + l.quantity, 0);

describe('conservation of units', () => {
  it('on hand + in transit = received - sold + returned + adjustments - shortfall', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const log: DomainEvent[] = [...chain];
        let last: StockCommand | undefined;
        steps.forEach((s, i) => {
          if (s.kind === 'storedTwice') {
            // a best-effort id dedupe let the last sale or return through twice: evolve must ignore it
            const previous = [...log].reverse().find((e) => e.type === 'StockSold' || e.type === 'StockReturned');
            if (previous) log.push(previous);
            return;
          }
          const command = toCommand(s, i, last);
          if (!command) return;
          last = command;
          try {
            log.push(...decide(command, foldWorld(log)));
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
        });

        let expected = 0;
        let inTransit = 0;
        const counted = new Set<string>();
        for (const e of log) {
          if (e.type === 'StockSold' || e.type === 'StockReturned') {
            const id = e.type === 'StockSold' ? `s:${e.data.saleId}` : `r:${e.data.returnId}`;
            if (counted.has(id)) continue; // the same fact once
            counted.add(id);
          }
          switch (e.type) {
            case 'StockReceived': expected += sum(e.data.lines); break;
            case 'StockSold': expected -= sum(e.data.lines); break;
            case 'StockReturned': expected += sum(e.data.lines); break;
            case 'StockAdjusted': expected += e.data.quantity; break;
            case 'TransferReceived': expected -= sum(e.data.shortfall); inTransit -= sum(e.data.lines) + sum(e.data.shortfall); break;
            case 'TransferDispatched': inTransit += sum(e.data.lines); break;
            default: break;
          }
        }
        const world = foldWorld(log);
        const onHand = LOCATIONS.flatMap((l) => SKUS.map((k) => onHandOf(world.location(l), k))).reduce((a, b) => a + b, 0);
        expect(inTransit).toBeGreaterThanOrEqual(0);
        expect(onHand + inTransit).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
