/**
 * A product's catalog details (`product-{sku}` stream): registration, name, selling price,
 * category, discontinuation. The POS is the source of truth for names and prices unless the connection's
 * policy says Stocktide is; an unchanged detail appends nothing, so a re-import is silent.
 */
import type { DomainEvent } from '../../schemas/types';
import { BusinessRuleViolation, NotFound } from '../../write-side/domain/errors';

export interface ProductDetails {
  readonly registered: boolean;
  readonly name?: string;
  readonly price?: number;
  readonly unitCost?: number;
  readonly category?: string;
  readonly discontinued: boolean;
}

export const initialProductDetails = (): ProductDetails => ({ registered: false, discontinued: false });

export function evolveProductDetails(state: ProductDetails, event: DomainEvent): ProductDetails {
  switch (event.type) {
    case 'ProductRegistered': {
      const { name, unitCost, category } = event.data;
      return { ...state, registered: true, name, ...(unitCost !== undefined && { unitCost }), ...(category !== undefined && { category }) };
    }
    case 'ProductCategorized': {
      const { category: _old, ...rest } = state;
      return event.data.category === null ? rest : { ...rest, category: event.data.category };
    }
    case 'ProductRenamed': return { ...state, name: event.data.name };
    case 'ProductPriceChanged': return { ...state, price: event.data.price };
    case 'ProductDiscontinued': return { ...state, discontinued: true };
    default: return state;
  }
}

/** Who wins when the POS and Stocktide disagree on a detail. */
export interface DetailPolicy {
  readonly names: 'pos' | 'stocktide';
  readonly prices: 'pos' | 'stocktide';
}
export const POS_WINS: DetailPolicy = { names: 'pos', prices: 'pos' };

export interface SyncProductDetails {
  readonly type: 'SyncProductDetails';
  readonly sku: string;
  readonly name: string;
  readonly price?: number;
  readonly unitCost?: number;
  /** The POS's category (Shopify product type); absent: the POS has none, which clears nothing. */
  readonly category?: string;
  /** `pos`: the details come from a POS (policy applies); `api`: a person edited them (always wins). */
  readonly origin: 'pos' | 'api';
  readonly policy: DetailPolicy;
  readonly occurredAt: string;
  readonly now: string;
}

/** A person sets (a string) or clears (null) a product's category. */
export interface CategorizeProduct {
  readonly type: 'CategorizeProduct';
  readonly sku: string;
  readonly category: string | null;
  readonly now: string;
}

export interface DiscontinueProduct {
  readonly type: 'DiscontinueProduct';
  readonly sku: string;
  readonly reason: string;
  readonly now: string;
}

const stamp = (occurredAt: string, now: string) => ({ occurredAt, recordedAt: now });

/** Registers a missing product, or renames / reprices an existing one where the policy lets the POS win. */
export function decideProductDetails(cmd: SyncProductDetails, state: ProductDetails): DomainEvent[] {
  const at = stamp(cmd.occurredAt, cmd.now);
  const { sku } = cmd;
  if (!state.registered) {
    if (cmd.origin === 'api') throw new NotFound(`unknown product ${sku}`, 'unknown-sku');
    return [
      {
        type: 'ProductRegistered',
        data: { sku, name: cmd.name, ...(cmd.unitCost !== undefined && { unitCost: cmd.unitCost }), ...(cmd.category !== undefined && { category: cmd.category }), ...at },
      },
      ...(cmd.price !== undefined ? [{ type: 'ProductPriceChanged' as const, data: { sku, price: cmd.price, ...at } }] : []),
    ];
  }
  const wins = (detail: keyof DetailPolicy) => cmd.origin === 'api' || cmd.policy[detail] === 'pos';
  const events: DomainEvent[] = [];
  if (state.name !== undefined && cmd.name !== state.name && wins('names')) {
    events.push({ type: 'ProductRenamed', data: { sku, name: cmd.name, previousName: state.name, ...at } });
  }
  if (cmd.price !== undefined && cmd.price !== state.price && wins('prices')) {
    events.push({ type: 'ProductPriceChanged', data: { sku, price: cmd.price, ...(state.price !== undefined && { previousPrice: state.price }), ...at } });
  }
  // The category follows the names rule (both describe the item); a POS never overwrites with
  // the names kept in Stocktide, but fills a category nobody set.
  if (cmd.category !== undefined && cmd.category !== state.category && (wins('names') || state.category === undefined)) {
    events.push({ type: 'ProductCategorized', data: { sku, category: cmd.category, ...(state.category !== undefined && { previous: state.category }), ...at } });
  }
  return events;
}

/** Sets or clears the category; the same category again appends nothing. */
export function decideCategorize(cmd: CategorizeProduct, state: ProductDetails): DomainEvent[] {
  if (!state.registered) throw new NotFound(`unknown product ${cmd.sku}`, 'unknown-sku');
  if ((state.category ?? null) === cmd.category) return [];
  return [{
    type: 'ProductCategorized',
    data: { sku: cmd.sku, category: cmd.category, ...(state.category !== undefined && { previous: state.category }), ...stamp(cmd.now, cmd.now) },
  }];
}

export function decideDiscontinue(cmd: DiscontinueProduct, state: ProductDetails): DomainEvent[] {
  if (!state.registered) throw new NotFound(`unknown product ${cmd.sku}`, 'unknown-sku');
  if (state.discontinued) return [];
  return [{ type: 'ProductDiscontinued', data: { sku: cmd.sku, reason: cmd.reason, ...stamp(cmd.now, cmd.now) } }];
}

/** A renamed/repriced product that was discontinued stays discontinued: only a person brings it back. */
export const assertActive = (state: ProductDetails, sku: string) => {
  if (state.discontinued) throw new BusinessRuleViolation(`product ${sku} is discontinued`, 'discontinued');
};
