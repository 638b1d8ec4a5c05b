import { describe, expect, it } from 'vitest';
import { projections } from './index';
import { ev, project, recorded } from './testing/project';
import { daysBetween, turnoverReport } from './turnover';

const at = (day: string) => `2026-${day}T12:00:00.000Z`;
const receive = (day: string, quantity: number, unitCost: number, locationId = 'A') =>
  ev('StockReceived', { locationId, receiptId: `r-${day}-${locationId}`, lines: [{ sku: 'S1', quantity, unitCost }] }, at(day));
const sell = (day: string, quantity: number) =>
  ev('StockSold', { locationId: 'A', saleId: `s-${day}`, lines: [{ sku: 'S1', quantity }] }, at(day));

describe('turnover', () => {
  it('enumerates the days of [from, to)', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });

  it('given sales and receipts around a period, then COGS, average value, turnover and days of inventory are hand-computed', async () => {
    const r = await project(projections, recorded(
      receive('02-27', 10, 100), // closing 1000
      sell('02-28', 1), //          COGS 100 (before the period), closing 900
      receive('03-01', 2, 50, 'B'), // B closing 100, no sales
      sell('03-02', 4), //          COGS 400, closing 500
      receive('03-03', 5, 120), //  closing 500 + 600 = 1100
      sell('03-04', 2), //          COGS 200, closing 900
    ));
    const report = await turnoverReport(await r.store(), { from: '2026-03-01', to: '2026-03-05', scope: 'all' });
    // A: closings 900 (carried), 500, 1100, 900 -> average 850; COGS 600; 600/850 = 0.70588; 4 days / 0.70588 = 5.67
    expect(report.items).toEqual([
      { locationId: 'A', sku: 'S1', cogs: 600, averageInventoryValue: 850, turnover: 0.7059, daysOfInventory: 5.67 },
      { locationId: 'B', sku: 'S1', cogs: 0, averageInventoryValue: 100, turnover: 0, daysOfInventory: null },
    ]);
    // Chain: average 850 + 100 = 950; 600/950 = 0.63158; 4 / 0.63158 = 6.33
    expect(report).toMatchObject({ from: '2026-03-01', to: '2026-03-05', days: 4, cogs: 600, averageInventoryValue: 950, turnover: 0.6316, daysOfInventory: 6.33 });
    expect(report.locations.map((l) => l.locationId)).toEqual(['A', 'B']);
    const onlyB = await turnoverReport(await r.store(), { from: '2026-03-01', to: '2026-03-05', scope: ['B'] });
    expect(onlyB.items.map((i) => i.locationId)).toEqual(['B']);
  });

  it('answers null turnover for a period without inventory', async () => {
    const r = await project(projections, recorded(receive('03-10', 1, 100)));
    const report = await turnoverReport(await r.store(), { from: '2026-03-01', to: '2026-03-05', scope: 'all' });
    expect(report).toMatchObject({ cogs: 0, averageInventoryValue: 0, turnover: null, daysOfInventory: null });
  });
});
