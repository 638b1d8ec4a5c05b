import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerDoc, LotsDoc, StockDoc } from './collections';
import { projections } from './index';
import { ev, project, recorded, type EventSpec } from './testing/project';

const minute = (m: number) => new Date(Date.UTC(2026, 2, 2, 8, 0) + m * 60_000).toISOString();

/** Random stock events at A and B (sales may repeat an id, times arrive out of order). */
const op = fc.oneof(
  fc.record({ kind: fc.constant('receive' as const), loc: fc.constantFrom('A', 'B'), q: fc.integer({ min: 1, max: 20 }), cost: fc.integer({ min: 0, max: 500 }), m: fc.nat(600) }),
  fc.record({ kind: fc.constant('sell' as const), loc: fc.constantFrom('A', 'B'), q: fc.integer({ min: 1, max: 20 }), id: fc.integer({ min: 1, max: 5 }), m: fc.nat(600) }),
  fc.record({ kind: fc.constant('return' as const), loc: fc.constantFrom('A', 'B'), q: fc.integer({ min: 1, max: 5 }), id: fc.integer({ min: 1, max: 5 }), m: fc.nat(600) }),
  fc.record({ kind: fc.constant('adjust' as const), loc: fc.constantFrom('A', 'B'), q: fc.integer({ min: -10, max: 10 }).filter((q) => q !== 0), m: fc.nat(600) }),
  fc.record({ kind: fc.constant('count' as const), loc: fc.constantFrom('A', 'B'), counted: fc.nat(30), adj: fc.integer({ min: -10, max: 10 }), m: fc.nat(600) }),
  fc.record({ kind: fc.constant('transfer' as const), q: fc.integer({ min: 2, max: 10 }), lost: fc.nat(1), m: fc.nat(600) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function toEvents(ops: Op[]): EventSpec[] {
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
    }
  });
}

describe('stock projection, whatever the order and repetition of events', () => {
  it('keeps FIFO lots, ledger balances and on-hand in agreement, and in-transit back to zero', async () => {
    await fc.assert(fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
      const r = await project(projections, recorded(...toEvents(ops)));
      const ledger = r.docs<LedgerDoc>('ledger');
      for (const s of r.docs<StockDoc>('stock')) {
        const lots = r.doc<LotsDoc>('stock_lots', s._id)!;
        expect(lots.lots.reduce((n, l) => n + l.quantity, 0) - lots.deficit).toBe(s.onHand);
        expect(s.value).toBe(lots.lots.reduce((n, l) => n + l.quantity * l.unitCost, 0));
        const rows = ledger.filter((l) => l.locationId === s.locationId && l.sku === s.sku);
        expect(rows.reduce((n, l) => n + (l.effective ? l.quantity : 0), 0)).toBe(s.onHand);
        expect(rows.at(-1)?.balance ?? 0).toBe(s.onHand);
        expect([s.inTransitIn, s.inTransitOut]).toEqual([0, 0]);
      }
      expect(r.docs('stock_transit')).toEqual([]);
    }), { numRuns: 60 });
  });

  it('is deterministic: projecting the same events twice gives the same documents', async () => {
    await fc.assert(fc.asyncProperty(fc.array(op, { maxLength: 15 }), async (ops) => {
      const events = recorded(...toEvents(ops));
      const [a, b] = [await project(projections, events), await project(projections, events)];
      for (const c of ['stock', 'stock_lots', 'ledger', 'alerts', 'inventory_daily', 'daily_sales']) expect(a.docs(c)).toEqual(b.docs(c));
      expect(a.changes).toEqual(b.changes);
    }), { numRuns: 25 });
  });
});
