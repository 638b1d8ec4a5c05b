/**
 * The demo chain seeded into an empty store when IMS_DEMO=1: a warehouse, three stores,
 * a dozen products, receipts, two weeks of sales (eight weeks for two bestsellers), a transfer
 * in transit and one received.
 * Every command carries a fixed id, so seeding twice has no further effect.
 */
import type { CommandContext, StockCommands } from '../../write-side/commands/types';

export const demoLocations = [
  { id: 'wh-central', name: 'Central Warehouse', type: 'warehouse' },
  { id: 'store-downtown', name: 'Downtown Store', type: 'store' },
  { id: 'store-uptown', name: 'Uptown Store', type: 'store' },
  { id: 'store-airport', name: 'Airport Kiosk', type: 'store' },
] as const;

export const demoProducts = [
  { sku: 'TEE-WHT-M', name: 'Organic tee, white, M', unitCost: 650, reorderPoint: 12 },
  { sku: 'TEE-BLK-M', name: 'Organic tee, black, M', unitCost: 650, reorderPoint: 12 },
  { sku: 'HOOD-GRY-L', name: 'Hoodie, grey, L', unitCost: 2100, reorderPoint: 6 },
  { sku: 'CAP-NVY', name: 'Baseball cap, navy', unitCost: 480, reorderPoint: 8 },
  { sku: 'SOCK-3PK', name: 'Socks, 3-pack', unitCost: 390, reorderPoint: 20 },
  { sku: 'BTL-750', name: 'Steel bottle 750 ml', unitCost: 890, reorderPoint: 10 },
  { sku: 'BAG-TOTE', name: 'Canvas tote', unitCost: 310, reorderPoint: 15 },
  { sku: 'MUG-CER', name: 'Ceramic mug', unitCost: 270, reorderPoint: 10 },
  { sku: 'UMB-CMP', name: 'Compact umbrella', unitCost: 760, reorderPoint: 5 },
  { sku: 'SCF-WOOL', name: 'Wool scarf', unitCost: 1450, reorderPoint: 4 },
] as const;

const stores = ['store-downtown', 'store-uptown', 'store-airport'] as const;
const DAY = 86_400_000;

/** A tiny deterministic generator, so every demo chain is the same. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function seedDemoChain(commands: StockCommands, now: Date): Promise<{ commands: number }> {
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
  const ctx = (correlationId: string): CommandContext => ({
    actor: { kind: 'system', id: 'demo' },
    source: 'demo',
    correlationId: `demo:${correlationId}`,
    now,
  });
  let issued = 0;
  const run = async (p: Promise<unknown>) => {
    await p;
    issued += 1;
  };
  for (const location of demoLocations) await run(commands.registerLocation({ ...location }, ctx(`loc:${location.id}`)));
  for (const product of demoProducts) await run(commands.registerProduct({ ...product }, ctx(`sku:${product.sku}`)));

  await run(commands.receiveStock({
    locationId: 'wh-central',
    receiptId: 'demo-rcpt-wh-1',
    reference: 'PO-1001',
    receivedAt: daysAgo(75),
    lines: demoProducts.map((p, i) => ({ sku: p.sku, quantity: 120 + i * 10, unitCost: p.unitCost })),
  }, ctx('rcpt:wh-1')));
  await run(commands.receiveStock({
    locationId: 'wh-central',
    receiptId: 'demo-rcpt-wh-2',
    reference: 'PO-1002',
    receivedAt: daysAgo(10),
    // A later lot at a higher cost: FIFO valuation and aging buckets have something to show.
    lines: demoProducts.slice(0, 5).map((p) => ({ sku: p.sku, quantity: 40, unitCost: Math.round(p.unitCost * 1.08) })),
  }, ctx('rcpt:wh-2')));

  for (const [s, store] of stores.entries()) {
    await run(commands.receiveStock({
      locationId: store,
      receiptId: `demo-rcpt-${store}`,
      reference: `PO-20${s}`,
      receivedAt: daysAgo(40 - s * 5),
      lines: demoProducts.map((p, i) => ({ sku: p.sku, quantity: 18 + ((i * 7 + s * 5) % 15), unitCost: p.unitCost })),
    }, ctx(`rcpt:${store}`)));
  }

  // Two weeks of till sales, each with its till time: the chain has a history to chart.
  const random = mulberry32(20261126);
  for (let day = 13; day >= 0; day -= 1) {
    for (const store of stores) {
      const tickets = 2 + Math.floor(random() * 3);
      for (let t = 0; t < tickets; t += 1) {
        const product = demoProducts[Math.floor(random() * demoProducts.length)]!;
        const occurredAt = new Date(now.getTime() - day * DAY - Math.floor(random() * 8) * 3_600_000);
        await run(commands.recordSale({
          locationId: store,
          saleId: `demo-sale-${store}-${day}-${t}`,
          occurredAt: occurredAt.toISOString(),
          lines: [{ sku: product.sku, quantity: 1 + Math.floor(random() * 2), unitPrice: product.unitCost * 2 }],
        }, ctx(`sale:${store}:${day}:${t}`)));
      }
    }
  }

  // Eight weeks of daily till sales of two bestsellers at two stores, busiest at the weekend:
  // enough history for the demand forecasts (docs/forecasting.md) to choose a method and for
  // the charts to show a weekly pattern. The stock is sized to run low in the last week.
  const weekday = [1.5, 0.6, 0.7, 0.8, 0.9, 1.3, 1.8]; // Sunday first (UTC)
  const seasonal = mulberry32(20261202);
  const poisson = (lambda: number): number => {
    let k = 0;
    let p = seasonal();
    while (p > Math.exp(-lambda)) {
      k += 1;
      p *= seasonal();
    }
    return k;
  };
  // The draws are made first so the season's receipt can be sized from them: the weekday shape
  // follows today's date, so a fixed receipt left the bestseller negative on some weekdays and
  // plentiful on others. Sized from the draws, each store ends with the same low stock any day.
  const seasonStores = ['store-downtown', 'store-uptown'] as const;
  const endOnHand = { 'store-downtown': { 'TEE-WHT-M': 12, 'SOCK-3PK': 40 }, 'store-uptown': { 'TEE-WHT-M': 10, 'SOCK-3PK': 40 } } as const;
  const seasonSales: Array<{ store: (typeof seasonStores)[number]; day: number; at: Date; lines: Array<{ sku: 'TEE-WHT-M' | 'SOCK-3PK'; quantity: number; unitPrice: number }> }> = [];
  for (let day = 55; day >= 1; day -= 1) {
    for (const [s, store] of seasonStores.entries()) {
      const at = new Date(now.getTime() - day * DAY);
      const shape = weekday[at.getUTCDay()]!;
      const lines = ([
        { sku: 'TEE-WHT-M', quantity: poisson((3.4 - s) * shape), unitPrice: 1300 },
        { sku: 'SOCK-3PK', quantity: poisson(1.2 * shape), unitPrice: 780 },
      ] as const).filter((l) => l.quantity > 0).map((l) => ({ ...l }));
      if (lines.length > 0) seasonSales.push({ store, day, at, lines });
    }
  }
  const seasonDemand = (store: string, sku: string) =>
    seasonSales.filter((x) => x.store === store).flatMap((x) => x.lines).filter((l) => l.sku === sku).reduce((n, l) => n + l.quantity, 0);
  for (const [s, store] of seasonStores.entries()) {
    const quantity = async (sku: 'TEE-WHT-M' | 'SOCK-3PK') =>
      Math.max(1, seasonDemand(store, sku) + endOnHand[store][sku] - await commands.onHand(store, sku));
    await run(commands.receiveStock({
      locationId: store, receiptId: `demo-rcpt-season-${store}`, reference: `PO-30${s}`, receivedAt: daysAgo(57),
      lines: [{ sku: 'TEE-WHT-M', quantity: await quantity('TEE-WHT-M'), unitCost: 650 }, { sku: 'SOCK-3PK', quantity: await quantity('SOCK-3PK'), unitCost: 390 }],
    }, ctx(`rcpt:season:${store}`)));
  }
  for (const { store, day, at, lines } of seasonSales) {
    await run(commands.recordSale({
      locationId: store, saleId: `demo-sale-season-${store}-${day}`, occurredAt: new Date(at.getTime() - 3 * 3_600_000).toISOString(), lines,
    }, ctx(`sale:season:${store}:${day}`)));
  }

  // A cycle count finds one scarf fewer than the book says.
  const scarves = await commands.onHand('store-downtown', 'SCF-WOOL');
  await run(commands.countStock({
    locationId: 'store-downtown', countId: 'demo-count-1', countedAt: daysAgo(1),
    lines: [{ sku: 'SCF-WOOL', countedQuantity: Math.max(0, scarves - 1) }],
  }, ctx('count:1')));

  await run(commands.adjustStock({
    locationId: 'store-downtown', adjustmentId: 'demo-adj-1', sku: 'MUG-CER', quantity: -2, reason: 'damaged', note: 'dropped on delivery',
  }, ctx('adj:1')));

  const received = await commands.createTransfer({
    id: 'demo-tr-1', fromLocationId: 'wh-central', toLocationId: 'store-uptown', lines: [{ sku: 'HOOD-GRY-L', quantity: 10 }, { sku: 'SCF-WOOL', quantity: 6 }],
  }, ctx('tr:1'));
  await run(Promise.resolve(received));
  await run(commands.dispatchTransfer('demo-tr-1', ctx('tr:1:dispatch')));
  await run(commands.receiveTransfer('demo-tr-1', {}, ctx('tr:1:receive')));

  await run(commands.createTransfer({
    id: 'demo-tr-2', fromLocationId: 'wh-central', toLocationId: 'store-airport', lines: [{ sku: 'BTL-750', quantity: 12 }, { sku: 'UMB-CMP', quantity: 8 }],
  }, ctx('tr:2')));
  await run(commands.dispatchTransfer('demo-tr-2', ctx('tr:2:dispatch')));

  return { commands: issued };
}
