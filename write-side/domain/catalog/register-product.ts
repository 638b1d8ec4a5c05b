import type { DomainEvent } from '../../../schemas/types';
import type { RegisterProductCommand } from '../commands';
import { BusinessRuleViolation } from '../errors';
import { stampedAt } from '../time';
import type { ProductState } from './product-state';

/** A sku is registered once (its stream is appended with `no_stream`). */
export function decideRegisterProduct(cmd: RegisterProductCommand, product: ProductState): DomainEvent[] {
  if (product.registered) throw new BusinessRuleViolation(`product ${cmd.sku} already exists`, 'sku-exists');
  return [{
    type: 'ProductRegistered',
    data: {
      sku: cmd.sku,
      name: cmd.name,
      ...(cmd.unitCost !== undefined && { unitCost: cmd.unitCost }),
      ...(cmd.reorderPoint !== undefined && { reorderPoint: cmd.reorderPoint }),
      ...(cmd.category !== undefined && { category: cmd.category }),
      ...stampedAt(cmd.now),
    },
  }];
}
