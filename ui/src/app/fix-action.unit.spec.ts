import { describe, expect, it } from 'vitest';
import type { QueuedAction } from './db';
import { FixProblem, applyFix, fixableFields, sessionOfScan } from './fix-action';

const refused = { status: 'attention' as const, problem: { status: 409, detail: 'no' }, at: '2026-12-03T07:00:00.000Z', seq: 4 };
const adjustment: QueuedAction = {
  ...refused, id: 'adj-1', kind: 'adjustment', path: '/api/stock/adjustments', label: 'Scan tee -500 (damaged)',
  body: { locationId: 'S', sku: 'TEE', quantity: -500, reason: 'damaged', adjustmentId: 'adj-1', occurredAt: '2026-12-03T07:00:00.000Z' },
};
const scan: QueuedAction = {
  ...refused, id: 'scan-1', kind: 'count-scan', path: '/api/count-sessions/cs-1/scans', label: 'Scan tee +1 (count)',
  body: { deviceId: 'phone-1', lines: [{ scanId: 'scan-1', sku: 'TEE', quantity: 1, countedAt: '2026-12-03T07:00:00.000Z' }] },
};
const receipt: QueuedAction = {
  ...refused, id: 'r-1', kind: 'po-receipt', path: '/api/purchase-orders/po-1/receive', label: 'Receipt of purchase order po-1 (5 units)',
  body: { receiptId: 'r-1', lines: [{ sku: 'MUG', quantity: 3 }, { sku: 'TEE', quantity: 2 }], receivedAt: '2026-12-03T07:00:00.000Z' },
};

describe('fixing a refused action', () => {
  it('offers the quantities of each kind of action, an adjustment as units whatever its sign', () => {
    expect(fixableFields(adjustment)).toEqual([{ key: 'quantity', label: 'TEE units', value: 500 }]);
    expect(fixableFields(receipt).map((f) => [f.key, f.value])).toEqual([['lines.0.quantity', 3], ['lines.1.quantity', 2]]);
  });

  it('given a write-off of more than is on hand, when fixed to 1, then it removes 1 under the same adjustment id and time, and says so', () => {
    const fixed = applyFix(adjustment, { quantity: 1 });
    expect(fixed.body).toEqual({ ...adjustment.body, quantity: -1 });
    expect(fixed.id).toBe('adj-1');
    expect(fixed.label).toBe('Scan tee -1 (damaged)');
    expect(adjustment.body.quantity).toBe(-500); // the stored action is not changed in place
  });

  it('given a scan for a count closed meanwhile, when moved to another count, then it goes there with its scan id', () => {
    const fixed = applyFix(scan, { 'lines.0.quantity': 3 }, 'cs-2');
    expect(fixed.path).toBe('/api/count-sessions/cs-2/scans');
    expect(sessionOfScan(fixed)).toBe('cs-2');
    expect(fixed.body.lines).toEqual([{ scanId: 'scan-1', sku: 'TEE', quantity: 3, countedAt: '2026-12-03T07:00:00.000Z' }]);
    expect(fixed.label).toBe('Scan tee +3 (count)');
  });

  it('a receipt line may become 0 but not every line; the label counts the units', () => {
    expect(applyFix(receipt, { 'lines.0.quantity': 0 }).label).toBe('Receipt of purchase order po-1 (2 units)');
    expect(() => applyFix(receipt, { 'lines.0.quantity': 0, 'lines.1.quantity': 0 })).toThrow(FixProblem);
  });

  it('refuses what is not a whole positive number, a field the action lacks, and moving anything but a scan', () => {
    expect(() => applyFix(adjustment, { quantity: 0 })).toThrow(FixProblem);
    expect(() => applyFix(adjustment, { quantity: 1.5 })).toThrow(FixProblem);
    expect(() => applyFix(scan, { 'lines.3.quantity': 1 })).toThrow(FixProblem);
    expect(() => applyFix(adjustment, {}, 'cs-2')).toThrow(FixProblem);
  });
});
