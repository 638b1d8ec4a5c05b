/**
 * Pushes products created or changed in Stocktide to the POS connections that allow it
 * (`PUT /api/pos/connections/{id}/product-push`). Each run (never two at once):
 *
 * 1. Fan-out: reads the event log after each enabled connection's cursor (kept in the catalog
 *    store) and queues one coalesced job per (connection, SKU) for every `ProductRegistered`,
 *    `ProductRenamed`, `ProductPriceChanged`, `ProductBarcodesChanged` whose source is not a POS
 *    (changes that came from a POS, an import or a `keep` resolution are not pushed back). The
 *    cursor moves only after the page's jobs exist: a crash in between repeats the page harmlessly.
 * 2. Dispatch: attempts the due jobs. For a product no POS item of the connection is linked to,
 *    the POS is searched by SKU (a create whose answer was lost is found, not made twice), else
 *    the product is created; either way the item is linked (`PosItemLinked`, with the POS's
 *    version). For a linked product the POS item is read first and compared with what Stocktide
 *    last saw there (version time, title, price, SKU on the link). Changed meanwhile: nothing is
 *    written, a `changed-in-pos` catalog alert shows both sides and the job fails with what the
 *    POS shows (`observed`); a `push` resolution re-queues it against that version. Unchanged:
 *    the product is written (Square also checks the version itself) and the link records the
 *    new version, so the POS's echo webhook changes nothing.
 *
 * Retries follow the outbound rules (outbound/retry-policy.ts): timeouts, 429 and 5xx retried
 * with backoff, refusals failed at once, dead after 8 attempts; failed and dead jobs are retried
 * by hand. One pusher per catalog store: the api runs it under the `catalog-push` lease (server/app.ts).
 */
import { createHash } from 'node:crypto';
import type { ConnectionStore, PosConnection } from '../../pos/connections/connection-store';
import { periodicRuns } from '../../topology/periodic-runs';
import { DEFAULT_RETRY_POLICY, afterAttempt, type Outcome, type RetryPolicy } from '../../outbound/retry-policy';
import type { CommandContext } from '../../write-side/commands/types';
import type { EventStore, RecordedEvent } from '../../write-side/eventstore/port';
import type { CatalogService } from '../catalog-service';
import { PosApiError } from '../sources/catalog-source';
import type { CatalogStore } from '../store/catalog-store';
import { ProductWriteRefused, samePosDetails, type PosProduct, type ProductToPush, type ProductWriter } from './pos-product';
import { productPushJobId, type ProductPushJob, type ProductPushUpdate } from './product-push-job';
import { shopifyProductWriter } from './shopify-product-writer';
import { squareProductWriter } from './square-product-writer';

export const PUSHED_EVENTS: ReadonlySet<string> = new Set(['ProductRegistered', 'ProductRenamed', 'ProductPriceChanged', 'ProductBarcodesChanged']);
export const cursorName = (connectionId: string) => `product-push|${connectionId}`;

export interface ProductPusherDeps {
  readonly eventStore: EventStore;
  readonly catalog: CatalogService;
  readonly store: CatalogStore;
  readonly connections: ConnectionStore;
  readonly currency: string;
  readonly fetchImpl?: typeof fetch;
  readonly clock?: () => Date;
  readonly random?: () => number;
  readonly retry?: Partial<RetryPolicy>;
  readonly intervalMs?: number;
  readonly log?: (message: string) => void;
  /** Writers per connection (tests); default: Shopify and Square by the connection's kind. */
  readonly writerFor?: (connection: PosConnection) => ProductWriter;
}

export interface PushRunReport { readonly queued: number; readonly attempted: number; readonly delivered: number; readonly failed: number }

/** Did this event come from a POS (webhook, import, a `keep` of the POS's version)? Those are not pushed back. */
const fromPos = (e: RecordedEvent) => e.metadata.actor.kind === 'pos' || e.metadata.source.startsWith('pos');

type Attempt = Outcome & { readonly update?: ProductPushUpdate };

export function createProductPusher(deps: ProductPusherDeps) {
  const clock = deps.clock ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...deps.retry };
  const fetchImpl = deps.fetchImpl ?? fetch;
  const log = deps.log ?? ((m: string) => console.warn(m));
  const writerFor = deps.writerFor ?? ((c: PosConnection): ProductWriter => (c.kind === 'shopify'
    ? shopifyProductWriter(c, fetchImpl)
    : squareProductWriter(c, fetchImpl, deps.currency)));
  const runs = periodicRuns(() => run(), { intervalMs: deps.intervalMs ?? 2000, label: 'product push', log });

  async function pushing(): Promise<PosConnection[]> {
    const out: PosConnection[] = [];
    for (const c of await deps.connections.listConnections()) {
      if (c.disabled || c.kind === 'generic') continue;
      if ((await deps.store.getSettings(c.id))?.productPush) out.push(c);
    }
    return out;
  }

  async function fanOut(connections: readonly PosConnection[]): Promise<number> {
    let queued = 0;
    for (const c of connections) {
      let cursor = BigInt((await deps.store.getCursor(cursorName(c.id))) ?? '0');
      for (let page = 0; page < 20 && !runs.stopping; page++) {
        const events = await deps.eventStore.readAll({ after: cursor, maxCount: 500 });
        if (events.length === 0) break;
        const now = clock().toISOString();
        for (const e of events) {
          if (!PUSHED_EVENTS.has(e.type) || fromPos(e) || typeof e.data['sku'] !== 'string') continue;
          const sku = e.data['sku'];
          const job: ProductPushJob = {
            id: productPushJobId(c.id, sku), connectionId: c.id, sku, position: e.position.toString(),
            status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now, updatedAt: now,
          };
          if ((await deps.store.upsertProductPush(job)).position === job.position) queued++;
        }
        cursor = events.at(-1)!.position;
        await deps.store.setCursor(cursorName(c.id), cursor.toString());
        if (events.length < 500) break;
      }
    }
    return queued;
  }

  const ctxOf = (c: PosConnection, job: ProductPushJob): CommandContext => ({
    // The links and alerts a push appends are the POS's answer: `pos:` keeps them from being pushed back.
    actor: { kind: 'system', id: 'product-push' }, source: `pos:push`, correlationId: job.id.slice(0, 200), now: clock(),
  });

  /** The content of the write: the same request (retried) carries the same key. */
  const keyOf = (job: ProductPushJob, product: ProductToPush) =>
    createHash('sha256').update(`${job.id}|${job.position}|${job.expectedPosUpdatedAt ?? ''}|${JSON.stringify(product)}`).digest('hex').slice(0, 45);

  async function link(c: PosConnection, job: ProductPushJob, item: PosProduct): Promise<void> {
    await deps.catalog.linkPushedItem(c.id, { ...item, sku: job.sku }, ctxOf(c, job));
    if (!item.siblings?.length) return;
    // Siblings were written as read (Square checked their versions): their links take the new version.
    const links = await deps.catalog.links(c.id);
    for (const sibling of item.siblings) {
      const linked = links.items.get(sibling.posItemId);
      if (linked && sibling.sku === linked.sku) await deps.catalog.linkPushedItem(c.id, { ...sibling, sku: linked.sku }, ctxOf(c, job));
    }
  }

  async function push(c: PosConnection, job: ProductPushJob): Promise<Attempt> {
    const details = await deps.catalog.productDetails(job.sku);
    if (!details.registered) return { result: 'fail', error: `no product ${job.sku} in Stocktide` };
    if (details.discontinued) return { result: 'delivered', update: { result: 'unchanged', lastError: 'discontinued: not pushed' } };
    const product: ProductToPush = {
      sku: job.sku, name: details.name ?? job.sku,
      ...(details.price !== undefined && { price: details.price }), ...(details.barcodes[0] && { barcode: details.barcodes[0] }),
    };
    const writer = writerFor(c);
    const links = await deps.catalog.links(c.id);
    const linkedId = [...(links.skus.get(job.sku) ?? [])].sort()[0];
    if (linkedId === undefined) {
      const found = await writer.findBySku(job.sku);
      if (!found) {
        const created = await writer.create(product, keyOf(job, product));
        await link(c, job, created);
        return { result: 'delivered', update: { result: 'created', posItemId: created.posItemId } };
      }
      await link(c, job, found); // ours already (a create whose answer was lost), or made in the POS: linked, then compared
      if (samePosDetails(found, product)) return { result: 'delivered', update: { result: 'linked', posItemId: found.posItemId } };
      // Made in the POS with other details, never seen by Stocktide: not overwritten without a person.
      return conflict(c, job, found.posItemId, found, product);
    }
    const seen = links.items.get(linkedId)!;
    const current = await writer.read({ posItemId: linkedId, ...(seen.posProductId && { posProductId: seen.posProductId }) });
    if (!current) return { result: 'fail', error: `POS item ${linkedId} of ${job.sku} is gone from the POS (deleted there?)` };
    if (samePosDetails(current, product)) {
      await link(c, job, current);
      return { result: 'delivered', update: { result: 'unchanged', posItemId: current.posItemId } };
    }
    const changedInPos = job.expectedPosUpdatedAt !== undefined
      ? (current.posUpdatedAt ?? 'unknown') !== job.expectedPosUpdatedAt
      : (seen.posUpdatedAt !== undefined && current.posUpdatedAt !== undefined && Date.parse(current.posUpdatedAt) > Date.parse(seen.posUpdatedAt))
        || (seen.title !== undefined && current.name !== seen.title)
        || (seen.price !== undefined && current.price !== seen.price)
        || current.sku !== job.sku;
    if (changedInPos) return conflict(c, job, linkedId, current, product);
    return write(c, job, writer, current, product);
  }

  /** Nothing is written: the job keeps what the POS shows, a catalog alert shows both sides. */
  async function conflict(c: PosConnection, job: ProductPushJob, posItemId: string, current: PosProduct, product: ProductToPush): Promise<Attempt> {
    const observed = {
      title: current.name, ...(current.sku && { sku: current.sku }), ...(current.price !== undefined && { price: current.price }),
      ...(current.posUpdatedAt && { posUpdatedAt: current.posUpdatedAt }),
    };
    await deps.catalog.raisePushConflict({
      connectionId: c.id, posItemId, sku: job.sku, ours: { title: product.name, ...(product.price !== undefined && { price: product.price }) }, theirs: observed,
    }, ctxOf(c, job));
    return {
      result: 'fail', error: `the POS shows ${job.sku} otherwise than Stocktide last saw it there (changed in the POS); not overwritten: see the catalog alert (keep or push)`,
      update: { result: 'conflict', posItemId, observed },
    };
  }

  async function write(c: PosConnection, job: ProductPushJob, writer: ProductWriter, current: PosProduct, product: ProductToPush): Promise<Attempt> {
    const written = await writer.update(current, product, keyOf(job, product));
    await link(c, job, written);
    return { result: 'delivered', update: { result: 'updated', posItemId: written.posItemId } };
  }

  async function attempt(job: ProductPushJob, connections: readonly PosConnection[]): Promise<ProductPushJob | undefined> {
    const c = connections.find((x) => x.id === job.connectionId);
    const stamp = clock().toISOString();
    if (!c) return deps.store.updateProductPush(job.id, { status: 'failed', lastError: 'product push is off for this connection', updatedAt: stamp });
    let outcome: Attempt;
    try {
      outcome = await push(c, job);
    } catch (error) {
      if (error instanceof PosApiError) outcome = { result: error.retryable ? 'retry' : 'fail', error: error.message };
      else if (error instanceof ProductWriteRefused) outcome = { result: 'fail', error: error.message };
      else throw error;
    }
    const recorded = afterAttempt(job.attempts + 1, outcome, clock(), policy, random);
    return deps.store.updateProductPush(job.id, {
      ...recorded, ...(outcome.result === 'delivered' && { observed: undefined, expectedPosUpdatedAt: undefined }), ...outcome.update,
    } as ProductPushUpdate);
  }

  async function run(): Promise<PushRunReport> {
    const connections = await pushing();
    const queued = await fanOut(connections);
    let attempted = 0;
    let delivered = 0;
    let failed = 0;
    for (const job of await deps.store.dueProductPushes(clock().toISOString(), 100)) {
      if (runs.stopping) break;
      const after = await attempt(job, connections).catch((error: unknown) => {
        log(`product push ${job.id}: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      });
      attempted++;
      if (after?.status === 'delivered') delivered++;
      if (after?.status === 'failed' || after?.status === 'dead') failed++;
    }
    return { queued, attempted, delivered, failed };
  }

  return {
    runOnce: runs.runOnce,
    start: runs.start,
    stop: runs.stop,
    /** A `push` resolution of a `changed-in-pos` alert: write over the POS version it showed. */
    async pushOver(connectionId: string, sku: string, posUpdatedAt: string | undefined): Promise<void> {
      const stamp = clock().toISOString();
      await deps.store.updateProductPush(productPushJobId(connectionId, sku), {
        status: 'pending', attempts: 0, nextAttemptAt: stamp, updatedAt: stamp, expectedPosUpdatedAt: posUpdatedAt ?? 'unknown',
      });
    },
  };
}

export type ProductPusher = ReturnType<typeof createProductPusher>;
