import { describe, expect, it } from 'vitest';
import { orderQuantity, suggest, type Offer, type StockPosition } from './suggest';

const at = (locationId: string, sku: string, figures: Partial<StockPosition> = {}): StockPosition =>
  ({ locationId, sku, onHand: 0, inTransitIn: 0, plannedIn: 0, onOrder: 0, reservedOut: 0, ...figures });
const acme: Offer = { supplierId: 'acme', sku: 'X', unitCost: 120, minOrderQuantity: 1, packSize: 12, currency: 'USD', preferred: true };
const cheap: Offer = { ...acme, supplierId: 'cheap', unitCost: 90, preferred: false };
const types = new Map<string, 'store' | 'warehouse'>([['s1', 'store'], ['s2', 'store'], ['wh', 'warehouse']]);

describe('reorder suggestions', () => {
  it('orders up to max from the preferred supplier, rounded to the pack, and says why', () => {
    const out = suggest({ positions: [at('s1', 'X', { onHand: 4 })], rules: [{ locationId: 's1', sku: 'X', min: 20, max: 100 }], offers: [cheap, acme], locationTypes: types });
    expect(out.items).toEqual([expect.objectContaining({ kind: 'purchase', supplierId: 'acme', quantity: 96, unitCost: 120, lineCost: 11_520 })]);
    expect(out.items[0]!.reason).toBe('available 4 < min 20; order 96 = up to max 100, rounded to pack of 12 from preferred supplier acme');
  });

  it('counts in transit, planned transfers and what is on order, less what is reserved out', () => {
    const rules = [{ locationId: 's1', sku: 'X', min: 20, max: 100 }];
    expect(suggest({ positions: [at('s1', 'X', { onHand: 4, onOrder: 16 })], rules, offers: [acme], locationTypes: types }).items).toEqual([]);
    expect(suggest({ positions: [at('s1', 'X', { onHand: 4, inTransitIn: 10, plannedIn: 6 })], rules, offers: [acme], locationTypes: types }).items).toEqual([]);
    const reserved = suggest({ positions: [at('s1', 'X', { onHand: 30, reservedOut: 15 })], rules, offers: [acme], locationTypes: types });
    expect(reserved.items[0]).toMatchObject({ available: 15, quantity: 96 });
  });

  it('transfers surplus above max from a warehouse first, then buys only the rest', () => {
    const out = suggest({
      positions: [at('s1', 'X', { onHand: 4 }), at('wh', 'X', { onHand: 80 }), at('s2', 'X', { onHand: 90 })],
      rules: [{ locationId: 's1', sku: 'X', min: 20, max: 100 }, { locationId: 'wh', sku: 'X', min: 10, max: 50 }, { locationId: 's2', sku: 'X', min: 5, max: 40 }],
      offers: [acme], locationTypes: types,
    });
    expect(out.items.map((i) => [i.kind, i.kind === 'transfer' ? i.fromLocationId : i.supplierId, i.quantity])).toEqual([
      ['transfer', 'wh', 30], ['transfer', 's2', 50], ['purchase', 'acme', 24],
    ]);
    expect(out.items[2]!.reason).toContain('order 24 = up to max 100 after 80 by transfer (16), rounded to pack of 12');
  });

  it('never promises the same surplus twice', () => {
    const out = suggest({
      positions: [at('s1', 'X'), at('s2', 'X'), at('wh', 'X', { onHand: 30 })],
      rules: [{ locationId: 's1', sku: 'X', min: 10, max: 20 }, { locationId: 's2', sku: 'X', min: 10, max: 20 }],
      offers: [], locationTypes: types,
    });
    expect(out.items.map((i) => i.quantity)).toEqual([20, 10]);
    expect(out.unresolved).toEqual([expect.objectContaining({ locationId: 's2', reason: expect.stringContaining('no active supplier') })]);
  });

  it('respects the MOQ, and takes levels from a provider (the forecasting seam)', () => {
    expect(orderQuantity(5, { minOrderQuantity: 30, packSize: 12 })).toBe(36);
    const out = suggest({
      positions: [at('s1', 'X', { onHand: 4 })], rules: [{ locationId: 's1', sku: 'X', min: 2, max: 10 }], offers: [{ ...acme, packSize: 1 }], locationTypes: types,
      provided: new Map([['s1|X', { reorderPoint: 8, orderUpTo: 30, reason: 'forecast 2/day, lead time 3 days' }]]),
    });
    expect(out.items[0]).toMatchObject({ quantity: 26, min: 8, max: 30 });
    expect(out.items[0]!.reason).toMatch(/^forecast 2\/day, lead time 3 days; available 4 < min 8/);
  });

  it('gives a suggestion an id that changes when its figures change', () => {
    const rules = [{ locationId: 's1', sku: 'X', min: 20, max: 100 }];
    const a = suggest({ positions: [at('s1', 'X', { onHand: 4 })], rules, offers: [acme], locationTypes: types }).items[0]!;
    const b = suggest({ positions: [at('s1', 'X', { onHand: 4 })], rules, offers: [acme], locationTypes: types }).items[0]!;
    const c = suggest({ positions: [at('s1', 'X', { onHand: 5 })], rules, offers: [acme], locationTypes: types }).items[0]!;
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(c.id);
  });

  it('fills to the days-of-cover level (within min..max), and counts a source\'s surplus above that level', () => {
    const rules = [
      { locationId: 's1', sku: 'X', min: 10, max: 100, targetDaysOfCover: 14 },
      { locationId: 's2', sku: 'X', min: 5, max: 200, targetDaysOfCover: 7 },
    ];
    const out = suggest({
      positions: [at('s1', 'X', { onHand: 2 }), at('s2', 'X', { onHand: 60 })], rules, offers: [{ ...acme, packSize: 1 }], locationTypes: types,
      dailyDemand: new Map([['s1|X', 3], ['s2|X', 2]]),
    });
    // s1 fills to ceil(3 × 14) = 42: 40 needed; s2 keeps ceil(2 × 7) = 14 of its 60, so 46 are surplus (though below its max).
    expect(out.items.map((i) => [i.kind, i.quantity])).toEqual([['transfer', 40]]);
    expect(out.items[0]!.reason).toContain('surplus 46 above its days of cover');
    const slow = suggest({ positions: [at('s1', 'X', { onHand: 2 })], rules: [rules[0]!], offers: [{ ...acme, packSize: 1 }], locationTypes: types });
    // No sales: the level is min.
    expect(slow.items[0]).toMatchObject({ kind: 'purchase', quantity: 8 });
    expect(slow.items[0]!.reason).toContain('order 8 = up to 10 (14 days of cover at 0/day = 10, max 100)');
  });
});
