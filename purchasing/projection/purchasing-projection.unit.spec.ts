/** The purchasing read model: orders and their status, on order, preferred suppliers, dedupe, and overdue alerts. */
import { describe, expect, it } from 'vitest';
import { ev, project, recorded } from '../../projections/models/testing/project';
import { overduePurchaseOrderAlerts, purchaseOrderView } from '../http/views';
import { PURCHASING, type OnOrderDoc, type PreferredDoc, type PurchaseOrderDoc } from './collections';
import { purchasingProjection } from './purchasing-projection';

const T = (h: string) => `2026-03-01T${h}:00.000Z`;
const keys = { purchaseOrderId: 'po1', supplierId: 'acme', locationId: 'S1' };
const lines = [{ sku: 'A', quantity: 10, unitCost: 250 }, { sku: 'B', quantity: 4, unitCost: 90 }];
const supplier = ev('SupplierRegistered', { supplierId: 'acme', name: 'Acme', leadTimeDays: 2, currency: 'USD' }, T('08:00'));
const drafted = ev('PurchaseOrderDrafted', { ...keys, currency: 'USD', lines }, T('09:00'), { streamId: 'purchase-order-po1' });
const sent = ev('PurchaseOrderSent', { ...keys, currency: 'USD', lines, leadTimeDays: 2, expectedAt: '2026-03-03T10:00:00.000Z', supplierName: 'Acme' }, T('10:00'));
const receipt = (id: string, quantity: number) =>
  ev('StockReceived', { locationId: 'S1', receiptId: id, purchaseOrderId: 'po1', lines: [{ sku: 'A', quantity, unitCost: 250 }] }, T('11:00'));
const onOrder = (r: Awaited<ReturnType<typeof project>>, sku: string) => r.doc<OnOrderDoc>(PURCHASING.onOrder, `S1|${sku}`)?.onOrder;

describe('purchasing projection', () => {
  it('counts a draft and a sent order as on order until received or closed; a receipt stored twice counts once', async () => {
    const r = await project([purchasingProjection], recorded(supplier, drafted, sent, receipt('r1', 6), receipt('r1', 6),
      ev('PurchaseOrderLinesClosed', { ...keys, closeId: 'c1', lines: [{ sku: 'B', quantity: 4 }] }, T('12:00'))));
    const doc = r.doc<PurchaseOrderDoc>(PURCHASING.orders, 'po1')!;
    expect(doc).toMatchObject({ status: 'partially_received', supplierName: 'Acme', lines: [{ sku: 'A', received: 6, closed: 0 }, { sku: 'B', received: 0, closed: 4 }] });
    expect(doc.receipts).toHaveLength(1);
    expect(onOrder(r, 'A')).toBe(4);
    expect(onOrder(r, 'B')).toBe(0);
    const done = await project([purchasingProjection], recorded(supplier, drafted, sent, receipt('r1', 10),
      ev('PurchaseOrderLinesClosed', { ...keys, closeId: 'c1', lines: [{ sku: 'B', quantity: 4 }] }, T('12:00'))));
    expect(done.doc<PurchaseOrderDoc>(PURCHASING.orders, 'po1')).toMatchObject({ status: 'received' });
    expect([onOrder(done, 'A'), onOrder(done, 'B')]).toEqual([0, 0]);
  });

  it('a cancelled order is no longer on order', async () => {
    const r = await project([purchasingProjection], recorded(supplier, drafted, ev('PurchaseOrderCancelled', keys, T('10:00'))));
    expect(r.doc<PurchaseOrderDoc>(PURCHASING.orders, 'po1')?.status).toBe('cancelled');
    expect(onOrder(r, 'A')).toBe(0);
  });

  it('the latest preferred price wins; un-preferring clears it; deactivation keeps the prices', async () => {
    const price = (supplierId: string, preferred: boolean, h: string) =>
      ev('SupplierPriceSet', { supplierId, sku: 'A', unitCost: 100, minOrderQuantity: 1, packSize: 1, preferred }, T(h), { streamId: `supplier-${supplierId}` });
    const other = ev('SupplierRegistered', { supplierId: 'beta', name: 'Beta', leadTimeDays: 1, currency: 'USD' }, T('08:00'));
    const r = await project([purchasingProjection], recorded(supplier, other, price('acme', true, '09:00'), price('beta', true, '10:00')));
    expect(r.doc<PreferredDoc>(PURCHASING.preferred, 'A')?.supplierId).toBe('beta');
    const cleared = await project([purchasingProjection], recorded(supplier, other, price('beta', true, '09:00'), price('beta', false, '10:00'),
      ev('SupplierDeactivated', { supplierId: 'beta' }, T('11:00'))));
    expect(cleared.doc(PURCHASING.preferred, 'A')).toBeUndefined();
    expect(cleared.doc(PURCHASING.suppliers, 'beta')).toMatchObject({ active: false, prices: [{ sku: 'A', unitCost: 100 }] });
  });

  it('raises an overdue alert at read time once the expected date has passed and units are outstanding', async () => {
    const r = await project([purchasingProjection], recorded(supplier, drafted, sent, receipt('r1', 6)));
    const store = await r.store();
    expect(await overduePurchaseOrderAlerts(store, new Date('2026-03-03T09:59:00.000Z'))).toEqual([]);
    const [alert] = await overduePurchaseOrderAlerts(store, new Date('2026-03-03T10:01:00.000Z'));
    expect(alert).toMatchObject({ alertType: 'purchase_order_overdue', locationId: 'S1', raisedAt: '2026-03-03T10:00:00.000Z' });
    expect(purchaseOrderView(r.doc<PurchaseOrderDoc>(PURCHASING.orders, 'po1')!, new Date('2026-03-04T00:00:00.000Z'))).toMatchObject({
      overdue: true, totalCost: 10 * 250 + 4 * 90, lines: [{ sku: 'A', outstanding: 4, lineCost: 2500 }, { sku: 'B', outstanding: 4 }],
    });
    const received = await project([purchasingProjection], recorded(supplier, drafted, sent, receipt('r1', 10),
      ev('PurchaseOrderLinesClosed', { ...keys, closeId: 'c', lines: [{ sku: 'B', quantity: 4 }] }, T('12:00'))));
    expect(await overduePurchaseOrderAlerts(await received.store(), new Date('2026-03-05T00:00:00.000Z'))).toEqual([]);
  });
});
