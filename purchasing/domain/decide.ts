/** Purchasing's write model: `decide(command, view)` dispatching to the decider that owns the command. */
import type { DomainEvent } from '../../schemas/types';
import type { PurchasingCommand } from './commands';
import { decideCancelPurchaseOrder, decideClosePurchaseOrder, decideDraftPurchaseOrder, decideSendPurchaseOrder } from './purchase-orders';
import { decideReceivePurchaseOrder } from './receive-purchase-order';
import { decideDeactivateSupplier, decideRegisterSupplier, decideSetReorderRule, decideSetSupplierPrice } from './suppliers';
import type { PurchasingView } from './view';

/** The events a command produces, or a DomainError. [] = already applied. */
export function decidePurchasing(command: PurchasingCommand, view: PurchasingView): DomainEvent[] {
  switch (command.type) {
    case 'RegisterSupplier': return decideRegisterSupplier(command, view);
    case 'SetSupplierPrice': return decideSetSupplierPrice(command, view);
    case 'DeactivateSupplier': return decideDeactivateSupplier(command, view);
    case 'SetReorderRule': return decideSetReorderRule(command, view);
    case 'DraftPurchaseOrder': return decideDraftPurchaseOrder(command, view);
    case 'SendPurchaseOrder': return decideSendPurchaseOrder(command, view);
    case 'CancelPurchaseOrder': return decideCancelPurchaseOrder(command, view);
    case 'ClosePurchaseOrder': return decideClosePurchaseOrder(command, view);
    case 'ReceivePurchaseOrder': return decideReceivePurchaseOrder(command, view);
    default: {
      const _exhaustive: never = command;
      throw new Error(`unknown command ${String((_exhaustive as { type: unknown }).type)}`);
    }
  }
}
