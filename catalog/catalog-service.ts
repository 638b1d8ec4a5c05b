/**
 * The catalog's command path: imports, live sync from POS webhooks and people (the API) all go
 * through here. Each decision loads the stream it appends to (cached, caught up from the cached
 * revision), decides with the pure deciders in `domain/`, and appends with that stream's expected
 * revision, re-deciding on a conflict. Unchanged details decide no event: a re-import is silent.
 *
 * One POS item touches up to three streams, in this order: its product (register, rename,
 * price), the barcode registry, the connection's links. They are not one transaction; each step
 * is idempotent by state, so a crash in between is completed by the next run of the same item.
 */
import type { DomainEvent } from '../schemas/types';
import { assertValidEvent } from '../schemas/validation';
import { newId } from '../write-side/commands/ids';
import { KeyedLock } from '../write-side/commands/keyed-lock';
import { StreamCache, type StreamKind } from '../write-side/commands/stream-cache';
import type { CommandContext, CommandResult } from '../write-side/commands/types';
import { NotFound } from '../write-side/domain/errors';
import { ConcurrencyError, type EventStore } from '../write-side/eventstore/port';
import { BARCODE_STREAM, posCatalogStream, productStreamOf } from './catalog-events';
import { decideBarcodes, evolveBarcodeRegistry, initialBarcodeRegistry, type BarcodeRegistry, type SetBarcodes } from './domain/barcode-registry';
import {
  decideCategorize, decideDiscontinue, decideProductDetails, evolveProductDetails, initialProductDetails, POS_WINS, type DetailPolicy, type ProductDetails,
} from './domain/product-details';
import {
  decideLinks, decidePushConflict, decideResolveConflict, decideUnlinkProduct, evolvePosLinks, initialPosLinks,
  type LinkPosItem, type PosLinks, type RaisePushConflict,
} from './domain/pos-links';
import { normaliseBarcodes } from './gtin';
import { itemProblems, type PosCatalogItem, type SyncReport } from './pos-catalog-item';

const PRODUCT: StreamKind<ProductDetails> = { initial: initialProductDetails, evolve: evolveProductDetails };
const BARCODES: StreamKind<BarcodeRegistry> = { initial: initialBarcodeRegistry, evolve: evolveBarcodeRegistry };
const LINKS: StreamKind<PosLinks> = { initial: initialPosLinks, evolve: evolvePosLinks };

export interface CatalogServiceDeps {
  readonly eventStore: EventStore;
  /** On-hand of a SKU over all locations (conflict checks: "stock under the old SKU"). */
  readonly onHand: (sku: string) => Promise<number>;
  readonly maxAttempts?: number;
}

export type CatalogService = ReturnType<typeof createCatalogService>;

export function createCatalogService(deps: CatalogServiceDeps) {
  const cache = new StreamCache(deps.eventStore, 20_000);
  const lock = new KeyedLock();
  const maxAttempts = deps.maxAttempts ?? 10;

  /** Decide against the stream's current state and append with its revision; re-decide on a conflict. */
  async function decideAndAppend<S>(
    streamId: string, kind: StreamKind<S>, decide: (state: S) => DomainEvent[], ctx: CommandContext,
  ): Promise<{ position: bigint; appended: number }> {
    return lock.run(streamId, async () => {
      for (let attempt = 1; ; attempt++) {
        const entry = await cache.load(streamId, kind);
        const events = decide(entry.state);
        if (events.length === 0) return { position: entry.lastPosition, appended: 0 };
        const metadata = {
          actor: ctx.actor, source: ctx.source, correlationId: ctx.correlationId,
          ...(ctx.causationId !== undefined && { causationId: ctx.causationId }),
        };
        const toAppend = events.map((e) => {
          assertValidEvent(e.type, e.data, metadata);
          return { id: newId(), type: e.type, data: e.data as Record<string, unknown>, metadata };
        });
        try {
          const result = await deps.eventStore.append(streamId, toAppend, entry.revision < 0n ? 'no_stream' : entry.revision);
          await cache.advance(entry, events, result);
          return { position: result.position, appended: events.length };
        } catch (error) {
          if (error instanceof ConcurrencyError && attempt < maxAttempts) {
            await cache.refresh(entry);
            continue;
          }
          throw error;
        }
      }
    });
  }

  const now = (ctx: CommandContext) => ctx.now.toISOString();
  const result = (r: { position: bigint; appended: number }): CommandResult => ({ position: r.position, duplicate: r.appended === 0 });

  async function linksOf(connectionId: string): Promise<PosLinks> {
    return (await cache.load(posCatalogStream(connectionId), LINKS)).state;
  }

  return {
    /**
     * Brings a page of POS items into the catalog: registers missing products, applies renames and
     * price changes the policy lets the POS win, assigns barcodes, links the items to their SKUs.
     * Items without a usable SKU are reported, never invented.
     */
    async syncItems(connectionId: string, items: readonly PosCatalogItem[], policy: DetailPolicy, ctx: CommandContext): Promise<SyncReport> {
      const report: SyncReport = { problems: [], counts: { items: items.length, unmapped: 0, registered: 0, updated: 0, linked: 0, conflicts: 0, barcodes: 0 }, position: 0n, appended: 0 };
      const at = now(ctx);
      const usable: Array<PosCatalogItem & { sku: string; name: string }> = [];
      const before = await linksOf(connectionId);
      for (const item of items) {
        // An older version of the item arriving after a newer one (webhooks are not ordered) changes nothing.
        const known = before.items.get(item.posItemId)?.posUpdatedAt;
        if (known && item.posUpdatedAt && Date.parse(item.posUpdatedAt) < Date.parse(known)) {
          report.counts.stale = (report.counts.stale ?? 0) + 1;
          continue;
        }
        const problems = itemProblems(item);
        if (problems.length > 0 || item.sku === undefined) {
          report.counts.unmapped! += 1;
          report.problems.push(...problems);
          continue;
        }
        usable.push({ ...item, sku: item.sku.trim(), name: item.name });
      }
      const track = (r: { position: bigint; appended: number }) => {
        if (r.position > report.position) report.position = r.position;
        report.appended += r.appended;
      };
      // Only the POS item a SKU is linked to speaks for its details (a clashing item does not rename
      // the product); with several linked (merged), the first by id does. The first of a page for a new SKU.
      const speaksFor = (item: { posItemId: string; sku: string }) => {
        const linked = [...(before.skus.get(item.sku) ?? [])].sort();
        return linked.length === 0 || linked[0] === item.posItemId;
      };
      const seen = new Set<string>();
      for (const item of usable) {
        if (seen.has(item.sku) || !speaksFor(item)) continue; // a second POS item with the same SKU: the links decide (clash)
        seen.add(item.sku);
        let registered = false;
        const r = await decideAndAppend(productStreamOf(item.sku), PRODUCT, (state) => {
          registered = !state.registered;
          return decideProductDetails({
            type: 'SyncProductDetails', sku: item.sku, name: item.name, origin: 'pos', policy, occurredAt: item.posUpdatedAt ?? at, now: at,
            ...(item.price !== undefined && { price: item.price }), ...(item.unitCost !== undefined && { unitCost: item.unitCost }),
            ...(item.category !== undefined && { category: item.category }),
          }, state);
        }, ctx);
        if (r.appended > 0) report.counts[registered ? 'registered' : 'updated']! += 1;
        track(r);
      }
      // Barcodes: the POS's valid codes replace ours where the POS has any.
      const barcodeCmds: SetBarcodes[] = [];
      const claimed = new Set<string>();
      for (const item of usable) {
        if (!item.barcode || claimed.has(item.sku) || !speaksFor(item)) continue;
        claimed.add(item.sku);
        const { barcodes, invalid } = normaliseBarcodes([item.barcode]);
        for (const text of invalid) report.problems.push({ item: item.posItemId, reason: `barcode ${JSON.stringify(text)} is not a GTIN: left out` });
        if (barcodes.length > 0) barcodeCmds.push({ type: 'SetBarcodes', sku: item.sku, barcodes, now: at });
      }
      if (barcodeCmds.length > 0) {
        let refused: ReturnType<typeof decideBarcodes>['refused'] = [];
        const r = await decideAndAppend(BARCODE_STREAM, BARCODES, (state) => {
          const decided = decideBarcodes(barcodeCmds, state, false);
          refused = decided.refused;
          return decided.events;
        }, ctx);
        report.counts.barcodes! += r.appended;
        for (const x of refused) report.problems.push({ item: x.sku, reason: `barcode ${x.barcode} belongs to ${x.owner}: left out` });
        track(r);
      }
      // Links: the on-hand of a SKU the POS moved an item away from decides between relink and conflict.
      const links = await linksOf(connectionId);
      const onHand = new Map<string, number>();
      for (const item of usable) {
        const current = links.items.get(item.posItemId);
        if (current && current.sku !== item.sku && !onHand.has(current.sku)) onHand.set(current.sku, await deps.onHand(current.sku));
      }
      const linkCmds: LinkPosItem[] = usable.map((item) => ({
        type: 'LinkPosItem', connectionId, posItemId: item.posItemId, sku: item.sku, aliases: item.aliases, title: item.name, now: at,
        onHandOfLinkedSku: onHand.get(links.items.get(item.posItemId)?.sku ?? '') ?? 0,
        ...(item.posProductId && { posProductId: item.posProductId }), ...(item.posUpdatedAt && { posUpdatedAt: item.posUpdatedAt }),
        ...(item.price !== undefined && { price: item.price }),
      }));
      let linkEvents: DomainEvent[] = [];
      const r = await decideAndAppend(posCatalogStream(connectionId), LINKS, (state) => (linkEvents = decideLinks(linkCmds, state)), ctx);
      for (const e of linkEvents) {
        if (e.type === 'PosItemLinked') report.counts.linked! += 1;
        if (e.type === 'CatalogConflictRaised') {
          report.counts.conflicts! += 1;
          report.problems.push({ item: e.data.posItemId, reason: `${e.data.conflict} on ${e.data.sku}: see the catalog alerts` });
        }
      }
      track(r);
      return report;
    },

    /** The POS deleted a product: unlink its items; products no item links any more are discontinued. */
    async removePosProduct(connectionId: string, posProductId: string, ctx: CommandContext): Promise<CommandResult> {
      const links = await linksOf(connectionId);
      const skus = [...new Set([...links.items.values()].filter((i) => i.posProductId === posProductId).map((i) => i.sku))];
      const onHand: Record<string, number> = {};
      for (const sku of skus) onHand[sku] = await deps.onHand(sku);
      let events: DomainEvent[] = [];
      const r = await decideAndAppend(posCatalogStream(connectionId), LINKS, (state) =>
        (events = decideUnlinkProduct({ type: 'UnlinkPosProduct', connectionId, posProductId, onHand, now: now(ctx) }, state)), ctx);
      let position = r.position;
      let appended = r.appended;
      const after = await linksOf(connectionId);
      for (const e of events) {
        if (e.type !== 'PosItemUnlinked' || (after.skus.get(e.data.sku)?.size ?? 0) > 0) continue;
        const d = await decideAndAppend(productStreamOf(e.data.sku), PRODUCT, (state) =>
          (state.registered ? decideDiscontinue({ type: 'DiscontinueProduct', sku: e.data.sku, reason: `deleted in POS ${connectionId}`, now: now(ctx) }, state) : []), ctx);
        if (d.appended > 0) position = d.position;
        appended += d.appended;
      }
      return { position, duplicate: appended === 0 };
    },

    async resolveConflict(
      connectionId: string, conflictId: string, resolution: 'keep' | 'rename' | 'merge' | 'discontinue' | 'push', sku: string | undefined, ctx: CommandContext,
    ): Promise<CommandResult> {
      const links = await linksOf(connectionId);
      const conflict = links.conflicts.get(conflictId);
      // A rename to a SKU we do not have yet registers it first (named as the POS names the item).
      if (conflict && conflict.open && resolution === 'rename' && sku) {
        await decideAndAppend(productStreamOf(sku), PRODUCT, (state) => (state.registered ? [] : decideProductDetails({
          type: 'SyncProductDetails', sku, name: conflict.theirs.title || sku, origin: 'pos', policy: { names: 'stocktide', prices: 'stocktide' }, occurredAt: now(ctx), now: now(ctx),
        }, state)), { ...ctx, source: 'pos:catalog-rename' }); // named as the POS names it: not a product made in Stocktide to push
      }
      const r = await decideAndAppend(posCatalogStream(connectionId), LINKS, (state) =>
        decideResolveConflict({ type: 'ResolveConflict', connectionId, conflictId, resolution, ...(sku && { sku }), now: now(ctx) }, state), ctx);
      // A product push met a change made in the POS; `keep`: Stocktide takes the POS's name and price.
      if (conflict && conflict.conflict === 'changed-in-pos' && resolution === 'keep' && r.appended > 0) {
        const { title, price } = conflict.theirs;
        const d = await decideAndAppend(productStreamOf(conflict.sku), PRODUCT, (state) => (state.registered ? decideProductDetails({
          type: 'SyncProductDetails', sku: conflict.sku, name: title || state.name || conflict.sku, origin: 'pos', policy: POS_WINS,
          occurredAt: now(ctx), now: now(ctx), ...(price !== undefined && { price }),
        }, state) : []), { ...ctx, source: 'pos:catalog-keep' }); // the POS's details: not pushed back
        return { position: d.position > r.position ? d.position : r.position, duplicate: false };
      }
      if (conflict && resolution === 'discontinue') {
        const d = await decideAndAppend(productStreamOf(conflict.sku), PRODUCT, (state) =>
          decideDiscontinue({ type: 'DiscontinueProduct', sku: conflict.sku, reason: `deleted in POS ${connectionId}`, now: now(ctx) }, state), ctx);
        return { position: d.position > r.position ? d.position : r.position, duplicate: false };
      }
      return result(r);
    },

    /** Sets a product's barcodes (normalised; 409 when one belongs to another product). */
    async setBarcodes(sku: string, barcodes: readonly string[], ctx: CommandContext): Promise<CommandResult> {
      const product = await cache.load(productStreamOf(sku), PRODUCT);
      if (!product.state.registered) throw new NotFound(`unknown product ${sku}`, 'unknown-sku');
      return result(await decideAndAppend(BARCODE_STREAM, BARCODES, (state) =>
        decideBarcodes([{ type: 'SetBarcodes', sku, barcodes, now: now(ctx) }], state, true).events, ctx));
    },

    /** A person renames or reprices a product: always wins over the connection policy. */
    async updateProduct(sku: string, change: { name?: string; price?: number }, ctx: CommandContext): Promise<CommandResult> {
      return result(await decideAndAppend(productStreamOf(sku), PRODUCT, (state) => decideProductDetails({
        type: 'SyncProductDetails', sku, name: change.name ?? state.name ?? sku, origin: 'api', policy: { names: 'pos', prices: 'pos' },
        occurredAt: now(ctx), now: now(ctx), ...(change.price !== undefined && { price: change.price }),
      }, state), ctx));
    },

    /** A person sets or clears a product's category: wins over the POS (as a rename does). */
    async categorize(sku: string, category: string | null, ctx: CommandContext): Promise<CommandResult> {
      return result(await decideAndAppend(productStreamOf(sku), PRODUCT, (state) =>
        decideCategorize({ type: 'CategorizeProduct', sku, category, now: now(ctx) }, state), ctx));
    },

    async discontinue(sku: string, reason: string, ctx: CommandContext): Promise<CommandResult> {
      return result(await decideAndAppend(productStreamOf(sku), PRODUCT, (state) =>
        decideDiscontinue({ type: 'DiscontinueProduct', sku, reason, now: now(ctx) }, state), ctx));
    },

    /** The links of a connection as the write side knows them (tests, the import's problem list, product pushes). */
    links: linksOf,

    /** The product's details as the write side knows them, with its barcodes (product pushes send these). */
    async productDetails(sku: string): Promise<ProductDetails & { barcodes: readonly string[] }> {
      const details = (await cache.load(productStreamOf(sku), PRODUCT)).state;
      return { ...details, barcodes: (await cache.load(BARCODE_STREAM, BARCODES)).state.bySku.get(sku) ?? [] };
    },

    /**
     * A product push wrote (or found) the item in the POS: link it with the POS's new version, so
     * the next push compares with what we wrote, not with a change of ours.
     */
    async linkPushedItem(connectionId: string, item: PosCatalogItem & { sku: string }, ctx: CommandContext): Promise<CommandResult> {
      const cmd: LinkPosItem = {
        type: 'LinkPosItem', connectionId, posItemId: item.posItemId, sku: item.sku, aliases: item.aliases, title: item.name, now: now(ctx),
        onHandOfLinkedSku: 0, ...(item.posProductId && { posProductId: item.posProductId }), ...(item.posUpdatedAt && { posUpdatedAt: item.posUpdatedAt }),
        ...(item.price !== undefined && { price: item.price }),
      };
      return result(await decideAndAppend(posCatalogStream(connectionId), LINKS, (state) => decideLinks([cmd], state), ctx));
    },

    /** A product push found the POS item changed since we last saw it: a catalog alert with both sides. */
    async raisePushConflict(cmd: Omit<RaisePushConflict, 'type' | 'now'>, ctx: CommandContext): Promise<CommandResult> {
      return result(await decideAndAppend(posCatalogStream(cmd.connectionId), LINKS, (state) =>
        decidePushConflict({ ...cmd, type: 'RaisePushConflict', now: now(ctx) }, state), ctx));
    },
  };
}
