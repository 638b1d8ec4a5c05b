/**
 * Given purchase orders with their sending and receipts, when the lead times are observed,
 * then each supplier plans over its deliveries' mean (whole days, up) and their spread.
 */
import { describe, expect, it } from 'vitest';
import { LEAD_TIME_SAMPLE, observedLeadTimes } from './lead-times';

const sentAt = (day: number) => new Date(Date.UTC(2031, 0, 1 + day, 21)).toISOString();
/** Sent on `day` at 21:00, first delivery `days` later at 07:00 (so 10 hours short of whole days). */
const order = (supplierId: string, day: number, days: number, more: number[] = []) => ({
  supplierId, sentAt: sentAt(day),
  receipts: [days, ...more].map((d, i) => ({ receiptId: `r${i}`, at: new Date(Date.parse(sentAt(day)) + d * 86_400_000 - 14 * 3_600_000).toISOString(), lines: [] })),
});

describe('observed lead times', () => {
  it('given deliveries of 5, 6, 7 and 6 days for a 5-day supplier, then 6 days with their spread', () => {
    const lead = observedLeadTimes([order('acme', 1, 5), order('acme', 2, 6), order('acme', 3, 7), order('acme', 4, 6)], new Map([['acme', 5]]));
    // Elapsed 5−14/24 … 7−14/24: mean 5.42, up to 6 whole days; sd of (5, 6, 7, 6) = 0.816.
    expect(lead.get('acme')).toEqual({ days: 6, sdDays: expect.closeTo(Math.sqrt(2 / 3), 9), observations: 4 });
  });

  it('given fewer than three deliveries, then the nominal lead time without spread', () => {
    const lead = observedLeadTimes([order('acme', 1, 9), order('acme', 2, 9)], new Map([['acme', 5], ['far', 12]]));
    expect(lead.get('acme')).toEqual({ days: 5, sdDays: 0, observations: 0 });
    expect(lead.get('far')).toEqual({ days: 12, sdDays: 0, observations: 0 });
  });

  it('given a split delivery, then the first receipt counts; orders never received or received before sent are no observation', () => {
    const orders = [order('acme', 1, 3, [8]), order('acme', 2, 3), order('acme', 3, 3), { supplierId: 'acme', sentAt: sentAt(4), receipts: [] }, order('acme', 5, -1)];
    expect(observedLeadTimes(orders, new Map([['acme', 5]])).get('acme')).toEqual({ days: 3, sdDays: 0, observations: 3 });
  });

  it(`given more than ${LEAD_TIME_SAMPLE} deliveries, then only the latest count (a supplier that got faster is planned as it is now)`, () => {
    const old = Array.from({ length: 10 }, (_, i) => order('acme', i, 9));
    const recent = Array.from({ length: LEAD_TIME_SAMPLE }, (_, i) => order('acme', 20 + i, 4));
    expect(observedLeadTimes([...recent, ...old], new Map([['acme', 9]])).get('acme')).toMatchObject({ days: 4, sdDays: 0 });
  });
});
