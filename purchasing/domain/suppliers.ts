/** Suppliers, their prices, and reorder rules: settings with existence checks. */
import type { DomainEvent } from '../../schemas/types';
import { stampedAt } from '../../write-side/domain/time';
import type {
  DeactivateSupplierCommand, RegisterSupplierCommand, SetReorderRuleCommand, SetSupplierPriceCommand,
} from './commands';
import { FieldConflict, InvalidField } from './errors';
import { requireActiveSupplier, requireLocation, requireProduct, requireSupplier, type PurchasingView } from './view';

/** Registering the same supplier again with the same details decides nothing; other details are a conflict. */
export function decideRegisterSupplier(cmd: RegisterSupplierCommand, view: PurchasingView): DomainEvent[] {
  const existing = view.supplier(cmd.supplierId);
  if (existing.registered) {
    const same = existing.name === cmd.name && existing.email === cmd.email && existing.leadTimeDays === cmd.leadTimeDays &&
      existing.currency === cmd.currency;
    if (same) return [];
    throw new FieldConflict(`supplier ${cmd.supplierId} already exists`, 'supplier-exists', 'id');
  }
  return [{
    type: 'SupplierRegistered',
    data: {
      supplierId: cmd.supplierId, name: cmd.name, ...(cmd.email !== undefined && { email: cmd.email }),
      leadTimeDays: cmd.leadTimeDays, currency: cmd.currency, ...stampedAt(cmd.now),
    },
  }];
}

/**
 * A price per SKU with its order quantities (defaults 1); `preferred` makes this supplier the
 * SKU's first choice (absent: the supplier keeps whatever preference it had for the SKU).
 */
export function decideSetSupplierPrice(cmd: SetSupplierPriceCommand, view: PurchasingView): DomainEvent[] {
  const supplier = requireActiveSupplier(view, cmd.supplierId, 'id');
  requireProduct(view, cmd.sku);
  const minOrderQuantity = cmd.minOrderQuantity ?? 1;
  const packSize = cmd.packSize ?? 1;
  const preferred = cmd.preferred ?? supplier.prices.get(cmd.sku)?.preferred ?? false;
  return [{
    type: 'SupplierPriceSet',
    data: { supplierId: cmd.supplierId, sku: cmd.sku, unitCost: cmd.unitCost, minOrderQuantity, packSize, preferred, ...stampedAt(cmd.now) },
  }];
}

export function decideDeactivateSupplier(cmd: DeactivateSupplierCommand, view: PurchasingView): DomainEvent[] {
  const supplier = requireSupplier(view, cmd.supplierId, 'id');
  if (!supplier.active) return [];
  return [{
    type: 'SupplierDeactivated',
    data: { supplierId: cmd.supplierId, ...(cmd.reason !== undefined && { reason: cmd.reason }), ...stampedAt(cmd.now) },
  }];
}

export function decideSetReorderRule(cmd: SetReorderRuleCommand, view: PurchasingView): DomainEvent[] {
  if (cmd.min > cmd.max) throw new InvalidField(`min ${cmd.min} is above max ${cmd.max}`, 'min-above-max', 'max');
  requireLocation(view, cmd.locationId);
  requireProduct(view, cmd.sku);
  return [{
    type: 'ReorderRuleSet',
    data: {
      locationId: cmd.locationId, sku: cmd.sku, min: cmd.min, max: cmd.max,
      ...(cmd.targetDaysOfCover !== undefined && { targetDaysOfCover: cmd.targetDaysOfCover }), ...stampedAt(cmd.now),
    },
  }];
}
