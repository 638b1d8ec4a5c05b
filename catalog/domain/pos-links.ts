/**
 * Which POS items are which SKU, per connection (`pos-catalog-{connectionId}` stream), and the
 * conflicts between the POS and Stocktide. The derived SKU map is a projection of these events.
 *
 * Conflicts are raised, never settled silently:
 * - `sku-clash`: a POS item names a SKU another POS item of the connection is linked to;
 * - `sku-changed-with-stock`: the POS changed an item's SKU while we hold stock under the old one;
 * - `deleted-with-stock`: the POS deleted a product while we hold stock of it;
 * - `changed-in-pos`: a product push (Stocktide → POS) found the POS item changed since Stocktide
 *   last saw it: nothing is overwritten until a person chooses `keep` (the POS's version) or `push`.
 * A conflict id is derived from its facts, so a re-import raises it once, and a resolved one
 * (say "keep") is not raised again by the next import.
 */
import type { DomainEvent, EventData } from '../../schemas/types';
import { BusinessRuleViolation, InvalidCommand, NotFound } from '../../write-side/domain/errors';

export interface LinkedItem {
  readonly sku: string;
  readonly aliases: readonly string[];
  readonly posProductId?: string;
  readonly title?: string;
  readonly posUpdatedAt?: string;
  /** The POS's selling price at `posUpdatedAt`, where known. */
  readonly price?: number;
}

type ConflictData = EventData<'CatalogConflictRaised'>;
export interface Conflict extends ConflictData { open: boolean }

export interface PosLinks {
  readonly items: Map<string, LinkedItem>;
  readonly skus: Map<string, Set<string>>;
  readonly conflicts: Map<string, Conflict>;
}

export const initialPosLinks = (): PosLinks => ({ items: new Map(), skus: new Map(), conflicts: new Map() });

/** Folds in place (the stream cache owns the state; deciders never mutate it). */
export function evolvePosLinks(state: PosLinks, event: DomainEvent): PosLinks {
  switch (event.type) {
    case 'PosItemLinked': {
      const { posItemId, sku, aliases, posProductId, title, posUpdatedAt, price } = event.data;
      const before = state.items.get(posItemId);
      if (before && before.sku !== sku) state.skus.get(before.sku)?.delete(posItemId);
      state.items.set(posItemId, { sku, aliases, ...(posProductId && { posProductId }), ...(title !== undefined && { title }), ...(posUpdatedAt && { posUpdatedAt }), ...(price !== undefined && { price }) });
      const set = state.skus.get(sku) ?? new Set<string>();
      set.add(posItemId);
      state.skus.set(sku, set);
      return state;
    }
    case 'PosItemUnlinked': {
      const { posItemId } = event.data;
      const before = state.items.get(posItemId);
      if (before) state.skus.get(before.sku)?.delete(posItemId);
      state.items.delete(posItemId);
      return state;
    }
    case 'CatalogConflictRaised':
      state.conflicts.set(event.data.conflictId, { ...event.data, open: true });
      return state;
    case 'CatalogConflictResolved': {
      const conflict = state.conflicts.get(event.data.conflictId);
      if (conflict) conflict.open = false;
      return state;
    }
    default:
      return state;
  }
}

export interface LinkPosItem {
  readonly type: 'LinkPosItem';
  readonly connectionId: string;
  readonly posItemId: string;
  readonly sku: string;
  readonly aliases: readonly string[];
  readonly title?: string;
  readonly posProductId?: string;
  /** The POS's own time of this version: an older version arriving late changes nothing. */
  readonly posUpdatedAt?: string;
  /** The POS's selling price of this version (minor units). */
  readonly price?: number;
  /** On-hand of the SKU the item is linked to now (all locations), looked up before deciding. */
  readonly onHandOfLinkedSku: number;
  readonly now: string;
}

export interface UnlinkPosProduct {
  readonly type: 'UnlinkPosProduct';
  readonly connectionId: string;
  readonly posProductId: string;
  /** On-hand per linked SKU (all locations). */
  readonly onHand: Readonly<Record<string, number>>;
  readonly now: string;
}

export interface ResolveConflict {
  readonly type: 'ResolveConflict';
  readonly connectionId: string;
  readonly conflictId: string;
  readonly resolution: 'keep' | 'rename' | 'merge' | 'discontinue' | 'push';
  /** rename: the SKU the POS item gets instead. */
  readonly sku?: string;
  readonly now: string;
}

const at = (now: string) => ({ occurredAt: now, recordedAt: now });

/** A view of the links with this batch's earlier decisions on top (deciders never mutate state). */
class Overlay {
  private readonly items = new Map<string, LinkedItem | null>();
  private readonly skuItems = new Map<string, Set<string>>();
  private readonly raised = new Set<string>();
  constructor(readonly base: PosLinks) {}
  item(id: string): LinkedItem | undefined {
    return this.items.has(id) ? (this.items.get(id) ?? undefined) : this.base.items.get(id);
  }
  itemsOf(sku: string): string[] {
    const ids = new Set([...(this.base.skus.get(sku) ?? []), ...(this.skuItems.get(sku) ?? [])]);
    return [...ids].filter((id) => this.item(id)?.sku === sku);
  }
  hasConflict(id: string): boolean { return this.raised.has(id) || this.base.conflicts.has(id); }
  apply(event: DomainEvent): void {
    if (event.type === 'PosItemLinked') {
      const { posItemId, sku, aliases, posProductId, title, posUpdatedAt, price } = event.data;
      this.items.set(posItemId, { sku, aliases, ...(posProductId && { posProductId }), ...(title !== undefined && { title }), ...(posUpdatedAt && { posUpdatedAt }), ...(price !== undefined && { price }) });
      const set = this.skuItems.get(sku) ?? new Set<string>();
      set.add(posItemId);
      this.skuItems.set(sku, set);
    } else if (event.type === 'PosItemUnlinked') this.items.set(event.data.posItemId, null);
    else if (event.type === 'CatalogConflictRaised') this.raised.add(event.data.conflictId);
  }
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function linked(cmd: LinkPosItem, sku: string): DomainEvent {
  return {
    type: 'PosItemLinked',
    data: {
      connectionId: cmd.connectionId, posItemId: cmd.posItemId, sku, aliases: [...cmd.aliases],
      ...(cmd.posProductId && { posProductId: cmd.posProductId }), ...(cmd.title !== undefined && { title: cmd.title }),
      ...(cmd.posUpdatedAt && { posUpdatedAt: cmd.posUpdatedAt }), ...(cmd.price !== undefined && { price: cmd.price }), ...at(cmd.now),
    },
  };
}

function decideOne(cmd: LinkPosItem, view: Overlay): DomainEvent[] {
  const current = view.item(cmd.posItemId);
  if (current?.posUpdatedAt && cmd.posUpdatedAt && Date.parse(cmd.posUpdatedAt) < Date.parse(current.posUpdatedAt)) return [];
  const conflict = (kind: ConflictData['conflict'], ours: ConflictData['ours'], theirs: ConflictData['theirs']): DomainEvent[] => {
    const conflictId = `${kind}:${cmd.posItemId}:${cmd.sku}`;
    if (view.hasConflict(conflictId)) return [];
    return [{
      type: 'CatalogConflictRaised',
      data: { connectionId: cmd.connectionId, conflictId, conflict: kind, sku: cmd.sku, posItemId: cmd.posItemId, ours, theirs, aliases: [...cmd.aliases], ...at(cmd.now) },
    }];
  };
  const theirs = { sku: cmd.sku, posItemId: cmd.posItemId, ...(cmd.title !== undefined && { title: cmd.title }) };
  const clash = (): DomainEvent[] | undefined => {
    const other = view.itemsOf(cmd.sku).find((id) => id !== cmd.posItemId);
    if (other === undefined) return undefined;
    const item = view.item(other)!;
    return conflict('sku-clash', { sku: cmd.sku, posItemId: other, ...(item.title !== undefined && { title: item.title }) }, theirs);
  };
  if (current === undefined) return clash() ?? [linked(cmd, cmd.sku)];
  if (current.sku === cmd.sku) {
    // A newer POS version (or a price we did not know) is kept: a product push compares with it.
    const unchanged = sameList(current.aliases, cmd.aliases) && current.title === cmd.title && current.posProductId === cmd.posProductId
      && (cmd.posUpdatedAt === undefined || cmd.posUpdatedAt === current.posUpdatedAt) && (cmd.price === undefined || cmd.price === current.price);
    return unchanged ? [] : [linked(cmd, cmd.sku)];
  }
  // The POS changed the item's SKU.
  const ours = { sku: current.sku, posItemId: cmd.posItemId, onHand: cmd.onHandOfLinkedSku, ...(current.title !== undefined && { title: current.title }) };
  if (cmd.onHandOfLinkedSku !== 0) return conflict('sku-changed-with-stock', ours, theirs);
  return clash() ?? [
    { type: 'PosItemUnlinked', data: { connectionId: cmd.connectionId, posItemId: cmd.posItemId, sku: current.sku, reason: `SKU changed in the POS to ${cmd.sku}`, ...at(cmd.now) } },
    linked(cmd, cmd.sku),
  ];
}

/** Decides a batch of links (an import page) in order, each seeing the earlier ones. */
export function decideLinks(cmds: readonly LinkPosItem[], state: PosLinks): DomainEvent[] {
  const view = new Overlay(state);
  const events: DomainEvent[] = [];
  for (const cmd of cmds) {
    for (const event of decideOne(cmd, view)) {
      view.apply(event);
      events.push(event);
    }
  }
  return events;
}

/** The POS deleted a product: unlink its items, or raise a conflict for those we hold stock of. */
export function decideUnlinkProduct(cmd: UnlinkPosProduct, state: PosLinks): DomainEvent[] {
  const events: DomainEvent[] = [];
  for (const [posItemId, item] of state.items) {
    if (item.posProductId !== cmd.posProductId) continue;
    const onHand = cmd.onHand[item.sku] ?? 0;
    if (onHand !== 0) {
      const conflictId = `deleted-with-stock:${posItemId}:${item.sku}`;
      if (state.conflicts.get(conflictId)?.open) continue;
      events.push({
        type: 'CatalogConflictRaised',
        data: {
          connectionId: cmd.connectionId, conflictId, conflict: 'deleted-with-stock', sku: item.sku, posItemId,
          ours: { sku: item.sku, posItemId, onHand, ...(item.title !== undefined && { title: item.title }) },
          theirs: { posItemId, title: 'deleted in the POS' }, aliases: [...item.aliases], ...at(cmd.now),
        },
      });
    } else {
      events.push({ type: 'PosItemUnlinked', data: { connectionId: cmd.connectionId, posItemId, sku: item.sku, reason: 'deleted in the POS', ...at(cmd.now) } });
    }
  }
  return events;
}

export function decideResolveConflict(cmd: ResolveConflict, state: PosLinks): DomainEvent[] {
  const c = state.conflicts.get(cmd.conflictId);
  if (!c) throw new NotFound(`unknown catalog conflict ${cmd.conflictId}`, 'unknown-conflict');
  if (!c.open) throw new BusinessRuleViolation(`catalog conflict ${cmd.conflictId} is resolved already`, 'conflict-resolved');
  const resolved: DomainEvent = {
    type: 'CatalogConflictResolved',
    data: { connectionId: cmd.connectionId, conflictId: cmd.conflictId, resolution: cmd.resolution, ...(cmd.sku && { sku: cmd.sku }), ...at(cmd.now) },
  };
  const link = (sku: string): DomainEvent => ({
    type: 'PosItemLinked',
    data: { connectionId: cmd.connectionId, posItemId: c.posItemId, sku, aliases: [...(c.aliases ?? [])], ...(c.theirs.title !== undefined && { title: c.theirs.title }), ...at(cmd.now) },
  });
  const unlink = (sku: string, reason: string): DomainEvent => ({
    type: 'PosItemUnlinked', data: { connectionId: cmd.connectionId, posItemId: c.posItemId, sku, reason, ...at(cmd.now) },
  });
  const notApplicable = () => new BusinessRuleViolation(`${cmd.resolution} does not resolve a ${c.conflict} conflict`, 'resolution-not-applicable');
  if (cmd.resolution === 'rename' && !cmd.sku) throw new InvalidCommand('rename needs the new sku', 'sku-required');
  switch (c.conflict) {
    case 'sku-clash':
      if (cmd.resolution === 'keep') return [resolved];
      if (cmd.resolution === 'merge') return [resolved, link(c.sku)];
      if (cmd.resolution === 'rename') return [resolved, link(cmd.sku!)];
      throw notApplicable();
    case 'sku-changed-with-stock': {
      const oldSku = c.ours.sku ?? c.sku;
      if (cmd.resolution === 'keep') return [resolved];
      if (cmd.resolution === 'merge' || cmd.resolution === 'rename') {
        return [resolved, unlink(oldSku, `SKU changed in the POS (${cmd.resolution})`), link(cmd.sku ?? c.sku)];
      }
      throw notApplicable();
    }
    case 'deleted-with-stock':
      if (cmd.resolution === 'keep' || cmd.resolution === 'discontinue') return [resolved, unlink(c.sku, `deleted in the POS (${cmd.resolution})`)];
      throw notApplicable();
    case 'changed-in-pos':
      // The effects (Stocktide takes the POS's details, or the push is retried) follow the resolution.
      if (cmd.resolution === 'keep' || cmd.resolution === 'push') return [resolved];
      throw notApplicable();
    default: {
      const _exhaustive: never = c.conflict;
      return _exhaustive;
    }
  }
}

export interface RaisePushConflict {
  readonly type: 'RaisePushConflict';
  readonly connectionId: string;
  readonly posItemId: string;
  readonly sku: string;
  /** Stocktide's details that were to be pushed. */
  readonly ours: { readonly title: string; readonly price?: number };
  /** What the POS shows now, and its version time. */
  readonly theirs: { readonly sku?: string; readonly title: string; readonly price?: number; readonly posUpdatedAt?: string };
  readonly now: string;
}

/**
 * A product push found the POS item changed since Stocktide last saw it. Raised once per POS
 * version (its id names the POS's `updated_at`): a retry that finds the same version raises
 * nothing more, a later change in the POS raises a new one.
 */
export function decidePushConflict(cmd: RaisePushConflict, state: PosLinks): DomainEvent[] {
  const conflictId = `changed-in-pos:${cmd.posItemId}:${cmd.sku}:${cmd.theirs.posUpdatedAt ?? 'unknown'}`.slice(0, 300);
  if (state.conflicts.has(conflictId)) return [];
  const item = state.items.get(cmd.posItemId);
  return [{
    type: 'CatalogConflictRaised',
    data: {
      connectionId: cmd.connectionId, conflictId, conflict: 'changed-in-pos', sku: cmd.sku, posItemId: cmd.posItemId,
      ours: { sku: cmd.sku, posItemId: cmd.posItemId, title: cmd.ours.title, ...(cmd.ours.price !== undefined && { price: cmd.ours.price }) },
      theirs: {
        ...(cmd.theirs.sku && { sku: cmd.theirs.sku }), posItemId: cmd.posItemId, title: cmd.theirs.title,
        ...(cmd.theirs.price !== undefined && { price: cmd.theirs.price }), ...(cmd.theirs.posUpdatedAt && { posUpdatedAt: cmd.theirs.posUpdatedAt }),
      },
      aliases: [...(item?.aliases ?? [])], ...at(cmd.now),
    },
  }];
}
