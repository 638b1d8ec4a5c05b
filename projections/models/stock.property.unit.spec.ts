import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerDoc, LotsDoc, StockDoc } from './collections';
import { projections } from './index';
import { project, recorded } from './testing/project';
import { stockOp as op, stockOpsToEvents as toEvents } from './testing/stock-ops';

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
