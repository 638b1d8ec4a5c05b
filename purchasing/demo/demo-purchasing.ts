/**
 * Purchasing for the demo chain (IMS_DEMO=1): two suppliers pricing every demo product (one
 * preferred, in packs), min/max rules at the stores and the warehouse, and one order sent to the
 * warehouse, so Replenish, Purchase orders and Suppliers show something on a first start.
 * Fixed ids: seeding twice has no further effect.
 */
import { demoProducts } from '../../server/demo/demo-chain';
import type { CommandContext } from '../../write-side/commands/types';
import type { PurchasingCommands } from '../commands/purchasing-service';

export async function seedDemoPurchasing(purchasing: PurchasingCommands, now: Date): Promise<{ commands: number }> {
  const ctx: CommandContext = { actor: { kind: 'system', id: 'demo' }, source: 'demo', correlationId: 'demo:purchasing', now };
  let issued = 0;
  const run = async (p: Promise<unknown>) => {
    await p;
    issued += 1;
  };
  await run(purchasing.registerSupplier({ id: 'northwind', name: 'Northwind Apparel', leadTimeDays: 5, email: 'orders@northwind.example' }, ctx));
  await run(purchasing.registerSupplier({ id: 'harbor', name: 'Harbor Wholesale', leadTimeDays: 12, email: 'po@harbor.example' }, ctx));
  for (const p of demoProducts) {
    await run(purchasing.setSupplierPrice('northwind', { sku: p.sku, unitCost: p.unitCost, minOrderQuantity: 12, packSize: 6, preferred: true }, ctx));
    await run(purchasing.setSupplierPrice('harbor', { sku: p.sku, unitCost: Math.round(p.unitCost * 0.9), minOrderQuantity: 48, packSize: 24 }, ctx));
    for (const store of ['store-downtown', 'store-uptown', 'store-airport']) {
      await run(purchasing.setReorderRule({ locationId: store, sku: p.sku, min: p.reorderPoint, max: p.reorderPoint * 3 }, ctx));
    }
    await run(purchasing.setReorderRule({ locationId: 'wh-central', sku: p.sku, min: p.reorderPoint * 2, max: p.reorderPoint * 8 }, ctx));
  }
  await run(purchasing.draftPurchaseOrder({
    id: 'demo-po-1', supplierId: 'northwind', locationId: 'wh-central',
    lines: [{ sku: 'TEE-WHT-M', quantity: 48 }, { sku: 'MUG-CER', quantity: 36 }],
  }, ctx));
  await run(purchasing.sendPurchaseOrder('demo-po-1', ctx));
  return { commands: issued };
}
