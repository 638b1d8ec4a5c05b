/** Purchasing deciders as specifications: given events, when a command, then events (or an error naming the field). */
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../schemas/types';
import { BusinessRuleViolation, InvalidCommand, NotFound } from '../../write-side/domain/errors';
import { foldWorld } from '../../write-side/domain/testing/spec';
import { onHandOf } from '../../write-side/domain/locations/location-state';
import { T0, at, chain } from '../../write-side/domain/testing/fixtures';
import type { ReceivePurchaseOrderCommand } from './commands';
import { foldPurchasing, given } from './testing/spec';

const stamp = (when = T0) => ({ occurredAt: when, recordedAt: when });
const acme: DomainEvent = { type: 'SupplierRegistered', data: { supplierId: 'acme', name: 'Acme', email: 'po@acme.test', leadTimeDays: 3, currency: 'USD', ...stamp() } };
const priceX: DomainEvent = { type: 'SupplierPriceSet', data: { supplierId: 'acme', sku: 'X', unitCost: 120, minOrderQuantity: 24, packSize: 12, preferred: true, ...stamp() } };
const lines = [{ sku: 'X', quantity: 10, unitCost: 120 }, { sku: 'Y', quantity: 5, unitCost: 80 }];
const drafted: DomainEvent = { type: 'PurchaseOrderDrafted', data: { purchaseOrderId: 'po1', supplierId: 'acme', locationId: 'A', currency: 'USD', lines, ...stamp() } };
const keys = { purchaseOrderId: 'po1', supplierId: 'acme', locationId: 'A' } as const;
const sent: DomainEvent = {
  type: 'PurchaseOrderSent',
  data: { ...keys, currency: 'USD', lines, leadTimeDays: 3, expectedAt: '2025-03-04T10:00:00.000Z', supplierName: 'Acme', supplierEmail: 'po@acme.test', ...stamp() },
};
const receipt = (receiptId: string, l: Array<{ sku: string; quantity: number; unitCost: number }>): DomainEvent => ({
  type: 'StockReceived', data: { locationId: 'A', receiptId, reference: 'PO po1', purchaseOrderId: 'po1', lines: l, ...stamp() },
});
const receive = (over: Partial<ReceivePurchaseOrderCommand> = {}): ReceivePurchaseOrderCommand => ({
  type: 'ReceivePurchaseOrder', purchaseOrderId: 'po1', receiptId: 'rc1', lines: [{ sku: 'X', quantity: 4 }], allowOver: false, closeShort: false, now: T0, ...over,
});
const world = [...chain, acme, priceX];

describe('suppliers', () => {
  it('registers a supplier once; the same details again decide nothing, other details conflict', () => {
    const cmd = { type: 'RegisterSupplier', supplierId: 'acme', name: 'Acme', email: 'po@acme.test', leadTimeDays: 3, currency: 'USD', now: T0 } as const;
    given(chain).when(cmd).then([acme]);
    given(chain, acme).when(cmd).then([]);
    given(chain, acme).when({ ...cmd, leadTimeDays: 9 }).thenThrows(BusinessRuleViolation, 'supplier-exists', 'id');
  });

  it('sets a price with order quantities (defaults 1) and refuses unknown skus and suppliers', () => {
    given(chain, acme).when({ type: 'SetSupplierPrice', supplierId: 'acme', sku: 'Y', unitCost: 80, now: T0 })
      .then([{ type: 'SupplierPriceSet', data: { supplierId: 'acme', sku: 'Y', unitCost: 80, minOrderQuantity: 1, packSize: 1, preferred: false, ...stamp() } }]);
    given(chain, acme).when({ type: 'SetSupplierPrice', supplierId: 'acme', sku: 'Q', unitCost: 80, now: T0 }).thenThrows(NotFound, 'unknown-sku', 'sku');
    given(chain).when({ type: 'SetSupplierPrice', supplierId: 'nope', sku: 'X', unitCost: 80, now: T0 }).thenThrows(NotFound, 'unknown-supplier', 'id');
  });

  it('deactivating keeps the supplier and its prices, refuses new orders, and is idempotent', () => {
    const off: DomainEvent = { type: 'SupplierDeactivated', data: { supplierId: 'acme', ...stamp() } };
    given(world).when({ type: 'DeactivateSupplier', supplierId: 'acme', now: T0 }).then([off]);
    given(world, off).when({ type: 'DeactivateSupplier', supplierId: 'acme', now: T0 }).then([]);
    const supplier = foldPurchasing([...world, off]).supplier('acme');
    expect(supplier.registered && supplier.prices.get('X')?.unitCost).toBe(120);
    given(world, off).when({ type: 'DraftPurchaseOrder', purchaseOrderId: 'po1', supplierId: 'acme', locationId: 'A', lines, now: T0 })
      .thenThrows(BusinessRuleViolation, 'supplier-inactive', 'supplierId');
  });
});

describe('reorder rules', () => {
  it('sets min/max and refuses min above max, naming max', () => {
    given(chain).when({ type: 'SetReorderRule', locationId: 'A', sku: 'X', min: 20, max: 100, now: T0 })
      .then([{ type: 'ReorderRuleSet', data: { locationId: 'A', sku: 'X', min: 20, max: 100, ...stamp() } }]);
    given(chain).when({ type: 'SetReorderRule', locationId: 'A', sku: 'X', min: 101, max: 100, now: T0 }).thenThrows(InvalidCommand, 'min-above-max', 'max');
    given(chain).when({ type: 'SetReorderRule', locationId: 'Z', sku: 'X', min: 1, max: 2, now: T0 }).thenThrows(NotFound, 'unknown-location', 'locationId');
  });
});

describe('drafting and sending', () => {
  const draft = { type: 'DraftPurchaseOrder', purchaseOrderId: 'po1', supplierId: 'acme', locationId: 'A', now: T0 } as const;

  it('drafts with the given unit costs, or the supplier price when absent', () => {
    given(world).when({ ...draft, lines }).then([drafted]);
    const [event] = given(world).when({ ...draft, lines: [{ sku: 'X', quantity: 10 }] }).events();
    expect(event?.data).toMatchObject({ lines: [{ sku: 'X', quantity: 10, unitCost: 120 }] });
    given(world).when({ ...draft, lines: [{ sku: 'Y', quantity: 1 }] }).thenThrows(InvalidCommand, 'no-price', 'lines/0/unitCost');
  });

  it('names the field of an unknown supplier, location or sku', () => {
    given(world).when({ ...draft, supplierId: 'nope', lines }).thenThrows(NotFound, 'unknown-supplier', 'supplierId');
    given(world).when({ ...draft, locationId: 'Z', lines }).thenThrows(NotFound, 'unknown-location', 'locationId');
    given(world).when({ ...draft, lines: [lines[0]!, { sku: 'Q', quantity: 1, unitCost: 1 }] }).thenThrows(NotFound, 'unknown-sku', 'lines/1/sku');
  });

  it('is idempotent for the same id and content', () => {
    given(world, drafted).when({ ...draft, lines }).then([]);
    given(world, drafted).when({ ...draft, lines: [{ sku: 'X', quantity: 1, unitCost: 1 }] }).thenThrows(BusinessRuleViolation, 'purchase-order-exists');
  });

  it('sends to the delivery location with expected date = now + lead time, once', () => {
    given(world, drafted).when({ type: 'SendPurchaseOrder', purchaseOrderId: 'po1', now: T0 }).then([sent]);
    given(world, drafted, sent).when({ type: 'SendPurchaseOrder', purchaseOrderId: 'po1', now: at(5) }).then([]);
  });

  it('cancels a draft or a sent order without receipts; never one with receipts; never sends a cancelled one', () => {
    const cancelled: DomainEvent = { type: 'PurchaseOrderCancelled', data: { ...keys, ...stamp() } };
    given(world, drafted).when({ type: 'CancelPurchaseOrder', purchaseOrderId: 'po1', now: T0 }).then([cancelled]);
    given(world, drafted, sent).when({ type: 'CancelPurchaseOrder', purchaseOrderId: 'po1', now: T0 }).then([cancelled]);
    given(world, drafted, sent, receipt('r0', [{ sku: 'X', quantity: 1, unitCost: 120 }]))
      .when({ type: 'CancelPurchaseOrder', purchaseOrderId: 'po1', now: T0 }).thenThrows(BusinessRuleViolation, 'purchase-order-received');
    given(world, drafted, cancelled).when({ type: 'SendPurchaseOrder', purchaseOrderId: 'po1', now: T0 }).thenThrows(BusinessRuleViolation, 'purchase-order-cancelled');
  });
});

describe('receiving against a purchase order', () => {
  const history = [...world, drafted, sent];

  it('appends the stock receipt at the PO line cost, to the location stream, in the same decision', () => {
    given(history).when(receive()).then([receipt('rc1', [{ sku: 'X', quantity: 4, unitCost: 120 }])]);
    expect(onHandOf(foldWorld([...history, receipt('rc1', [{ sku: 'X', quantity: 4, unitCost: 120 }])]).location('A'), 'X')).toBe(4);
  });

  it('refuses a draft or a cancelled order (409)', () => {
    given(world, drafted).when(receive()).thenThrows(BusinessRuleViolation, 'purchase-order-not-sent', 'id');
    const cancelled: DomainEvent = { type: 'PurchaseOrderCancelled', data: { ...keys, ...stamp() } };
    given(history, cancelled).when(receive()).thenThrows(BusinessRuleViolation, 'purchase-order-cancelled', 'id');
  });

  it('refuses more than is outstanding unless allowOver', () => {
    const first = receipt('rc0', [{ sku: 'X', quantity: 8, unitCost: 120 }]);
    given(history, first).when(receive({ lines: [{ sku: 'X', quantity: 3 }] })).thenThrows(BusinessRuleViolation, 'over-receipt', 'lines/0/quantity');
    given(history, first).when(receive({ lines: [{ sku: 'X', quantity: 3 }], allowOver: true }))
      .then([receipt('rc1', [{ sku: 'X', quantity: 3, unitCost: 120 }])]);
    given(history).when(receive({ lines: [{ sku: 'Q', quantity: 1 }] })).thenThrows(BusinessRuleViolation, 'not-on-order', 'lines/0/sku');
  });

  it('the same receipt id twice is one effect; another receipt\'s id is a conflict', () => {
    const first = receipt('rc1', [{ sku: 'X', quantity: 4, unitCost: 120 }]);
    given(history, first).when(receive()).then([]);
    const plain: DomainEvent = { type: 'StockReceived', data: { locationId: 'A', receiptId: 'other', lines: [{ sku: 'X', quantity: 1, unitCost: 1 }], ...stamp() } };
    given(history, plain).when(receive({ receiptId: 'other' })).thenThrows(BusinessRuleViolation, 'receipt-id-used', 'receiptId');
    // A resend is the same units (lines in any order); other units under the same id are refused (a phone's tampered queue).
    given(history, first).when(receive({ lines: [{ sku: 'Y', quantity: 0 }, { sku: 'X', quantity: 4 }] })).then([]);
    given(history, first).when(receive({ lines: [{ sku: 'X', quantity: 40 }] })).thenThrows(BusinessRuleViolation, 'receipt-id-reused', 'receiptId');
    // Stored twice (a best-effort dedupe let it through): counted once.
    const progress = foldPurchasing([...history, first, first]).location('A').orders.get('po1');
    expect(progress?.received.get('X')).toBe(4);
  });

  it('closes a line short in the same append, and the whole order with closeShort', () => {
    given(history).when(receive({ lines: [{ sku: 'X', quantity: 6, closeShort: true }] })).then([
      receipt('rc1', [{ sku: 'X', quantity: 6, unitCost: 120 }]),
      { type: 'PurchaseOrderLinesClosed', data: { ...keys, closeId: 'r:rc1', lines: [{ sku: 'X', quantity: 4 }], ...stamp() } },
    ]);
    given(history).when(receive({ lines: [{ sku: 'X', quantity: 10 }], closeShort: true })).then([
      receipt('rc1', [{ sku: 'X', quantity: 10, unitCost: 120 }]),
      { type: 'PurchaseOrderLinesClosed', data: { ...keys, closeId: 'r:rc1', lines: [{ sku: 'Y', quantity: 5 }], ...stamp() } },
    ]);
    given(history).when(receive({ lines: [{ sku: 'X', quantity: 0 }] })).thenThrows(InvalidCommand, 'nothing-to-receive', 'lines');
  });

  it('closing an order short closes what is outstanding; a complete order cannot be closed', () => {
    const all = receipt('rc0', [{ sku: 'X', quantity: 10, unitCost: 120 }, { sku: 'Y', quantity: 5, unitCost: 80 }]);
    given(history, receipt('rc0', [{ sku: 'X', quantity: 10, unitCost: 120 }])).when({ type: 'ClosePurchaseOrder', purchaseOrderId: 'po1', closeId: 'c1', now: T0 })
      .then([{ type: 'PurchaseOrderLinesClosed', data: { ...keys, closeId: 'c1', lines: [{ sku: 'Y', quantity: 5 }], ...stamp() } }]);
    given(history, all).when({ type: 'ClosePurchaseOrder', purchaseOrderId: 'po1', closeId: 'c1', now: T0 }).thenThrows(BusinessRuleViolation, 'purchase-order-complete');
    given(history, all).when(receive()).thenThrows(BusinessRuleViolation, 'over-receipt');
  });
});
