/**
 * Random stock histories for property tests of the read models: receipts, sales and returns
 * (ids repeat on purpose, as a POS may redeliver), adjustments, counts and transfers with
 * losses, at A and B, with times out of order.
 */
import fc from 'fast-check';
import { ev, type EventSpec } from './project';

const minute = (m: number) => new Date(Date.UTC(2026, 2, 2, 8, 0) + m * 60_000).toISOString();

export const stockOp = fc.oneof(
  fc.record({ kind: fc.constant('receive' as const), loc: fc.constantFrom('A', 'B'), q: fc.integer({ min: 1, max: 20 }), cost: fc.integer({ min: 0, max: 500 }), m: fc.nat(600) }),
  fc.record({ kind: fc.constant('sell' as const), loc: fc.constantFrom('A', 'B'), q: fc.integer({ min: 1, max: 20 }), id: fc.integer({ min: 1, max: 5 }), m: fc.nat(600) }),
  fc.record({ kind: fc.constant('return' as const), loc: fc.constantFrom('A', 'B'), q: fc.integer({ min: 1, max: 5 }), id: fc.integer({ min: 1, max: 5 }), m: fc.nat(600) }),
  fc.record({ kind: fc.constant('adjust' as const), loc: fc.constantFrom('A', 'B'), q: fc.integer({ min: -10, max: 10 }).filter((q) => q !== 0), m: fc.nat(600) }),
  fc.record({ kind: fc.constant('count' as const), loc: fc.constantFrom('A', 'B'), counted: fc.nat(30), adj: fc.integer({ min: -10, max: 10 }), m: fc.nat(600) }),
  fc.record({ kind: fc.constant('transfer' as const), q: fc.integer({ min: 2, max: 10 }), lost: fc.nat(1), m: fc.nat(600) }),
);
export type StockOp = typeof stockOp extends fc.Arbitrary<infer T> ? T : never;

export function stockOpsToEvents(ops: readonly StockOp[]): EventSpec[] {
  return ops.flatMap((o, i): EventSpec[] => {
    const at = minute(o.m);
    const line = (q: number) => [{ sku: 'S1', quantity: q }];
    switch (o.kind) {
      case 'receive': return [ev('StockReceived', { locationId: o.loc, receiptId: `r${i}`, lines: [{ sku: 'S1', quantity: o.q, unitCost: o.cost }] }, at)];
      case 'sell': return [ev('StockSold', { locationId: o.loc, saleId: `s${o.id}`, lines: line(o.q) }, at)];
      case 'return': return [ev('StockReturned', { locationId: o.loc, returnId: `ret${o.id}`, lines: line(o.q) }, at)];
      case 'adjust': return [ev('StockAdjusted', { locationId: o.loc, adjustmentId: `a${i}`, sku: 'S1', quantity: o.q, reason: 'correction' }, at)];
      case 'count': return [ev('StockCounted', { locationId: o.loc, countId: `c${i}`, lines: [{ sku: 'S1', countedQuantity: o.counted, bookQuantity: o.counted - o.adj, adjustment: o.adj }] }, at)];
      case 'transfer': {
        const keys = { transferId: `t${i}`, fromLocationId: 'A', toLocationId: 'B' };
        return [
          ev('TransferDispatched', { ...keys, lines: line(o.q) }, at),
          ev('TransferReceived', { ...keys, lines: line(o.q - o.lost), shortfall: o.lost ? line(o.lost) : [], completed: true }, minute(o.m + 30)),
        ];
      }
      default: {
        const _exhaustive: never = o;
        return _exhaustive;
      }
    }
  });
}
