/**
 * What can be received at a store by scan, and the request a receipt becomes. Two kinds of
 * delivery: a transfer on its way from another location, and a purchase order sent to a
 * supplier. Both show expected (what is still outstanding) against scanned, flag over and short
 * lines before anything is saved, and allow partial receipts. Pure: the screen queues the result.
 */

/** A transfer as `GET /api/transfers` lists it. */
export interface TransferDoc {
  id: string; number?: number; fromLocationId: string; toLocationId: string; status: string;
  lines: Array<{ sku: string; quantity: number; dispatched?: number; received?: number }>;
}

/** A purchase order as `GET /api/purchase-orders` lists it. */
export interface PurchaseOrderDoc {
  id: string; status: string; supplierId: string; supplierName?: string; locationId: string; expectedAt?: string;
  lines: Array<{ sku: string; ordered: number; received: number; closed: number; outstanding: number }>;
}

export interface ExpectedLine { sku: string; expected: number }
export interface Delivery {
  kind: 'transfer' | 'purchase-order';
  id: string;
  /** "transfer 12", "purchase order po-7". */
  title: string;
  /** What the person taps: "Transfer 12 from wh-central · dispatched". */
  label: string;
  lines: ExpectedLine[];
}

const OPEN_TRANSFERS = new Set(['created', 'dispatched', 'partially_received']);
const OPEN_ORDERS = new Set(['sent', 'partially_received']);

/** Transfers to the store, then purchase orders delivered to it, that still expect goods. */
export function deliveriesTo(locationId: string, transfers: readonly TransferDoc[], orders: readonly PurchaseOrderDoc[]): Delivery[] {
  const fromTransfers = transfers
    .filter((t) => t.toLocationId === locationId && OPEN_TRANSFERS.has(t.status))
    .map((t): Delivery => ({
      kind: 'transfer', id: t.id, title: `transfer ${t.number ?? t.id}`, label: `Transfer ${t.number ?? t.id} from ${t.fromLocationId} · ${t.status}`,
      // Before dispatch nothing has left yet: the plan is what is expected.
      lines: t.lines.map((l) => ({ sku: l.sku, expected: Math.max(0, (l.dispatched ? l.dispatched : l.quantity) - (l.received ?? 0)) })),
    }));
  const fromOrders = orders
    .filter((o) => o.locationId === locationId && OPEN_ORDERS.has(o.status))
    .map((o): Delivery => ({
      kind: 'purchase-order', id: o.id, title: `purchase order ${o.id}`,
      label: `Purchase order ${o.id} from ${o.supplierName ?? o.supplierId} · ${o.status.replace('_', ' ')}`,
      lines: o.lines.filter((l) => l.outstanding > 0).map((l) => ({ sku: l.sku, expected: l.outstanding })),
    }));
  return [...fromTransfers, ...fromOrders];
}

export type Flag = 'over' | 'short' | 'ok';
export interface ReceiptRow { sku: string; expected: number; scanned: number; flag: Flag }

/** Expected against scanned, one row per line of the delivery. */
export function receiptRows(delivery: Delivery, scanned: ReadonlyMap<string, number>): ReceiptRow[] {
  return delivery.lines.map((l) => {
    const count = scanned.get(l.sku) ?? 0;
    return { sku: l.sku, expected: l.expected, scanned: count, flag: count > l.expected ? 'over' : count < l.expected ? 'short' : 'ok' };
  });
}

export interface ReceiptRequest { path: string; body: Record<string, unknown>; label: string; units: number }

/**
 * The request of a receipt. `receiptId` is the action's id: the server applies a receipt with
 * the same id once, so the queue may resend it after a lost answer. `final` means "nothing more
 * is coming": for a transfer what is missing is recorded as short; for a purchase order the
 * missing quantities are closed short. A purchase order refuses more than outstanding unless
 * told (`allowOver`): the person confirmed the over lines before this is built.
 */
export function receiptRequest(delivery: Delivery, rows: readonly ReceiptRow[], options: { receiptId: string; at: string; final: boolean }): ReceiptRequest | undefined {
  const lines = rows.filter((r) => r.scanned > 0).map((r) => ({ sku: r.sku, quantity: r.scanned }));
  if (lines.length === 0) return undefined;
  const units = lines.reduce((n, l) => n + l.quantity, 0);
  const label = `Receipt of ${delivery.title} (${units} units)`;
  if (delivery.kind === 'transfer') {
    return {
      path: `/api/transfers/${delivery.id}/receive`, units, label,
      body: { lines, final: options.final, receiptId: options.receiptId },
    };
  }
  const over = rows.some((r) => r.flag === 'over');
  return {
    path: `/api/purchase-orders/${delivery.id}/receive`, units, label,
    body: {
      lines, receiptId: options.receiptId, receivedAt: options.at,
      ...(over && { allowOver: true }), ...(options.final && { closeShort: true }),
    },
  };
}
