/**
 * The outbound sender. Each run (never two at once) does two things:
 *
 * 1. Fan-out: reads the outbox after its cursor (kept in the outbound store), page by page in
 *    id order, and creates one delivery per (notification, matching active subscription) and,
 *    for `stock.changed` at a location mapped by a push-enabled Shopify or Square connection,
 *    one coalesced push job per (connection, POS location, POS item). Creating is idempotent
 *    (fixed ids, insert-if-absent, newest position wins), and the cursor moves only after the
 *    page's deliveries exist: a crash in between repeats the page harmlessly.
 * 2. Dispatch: attempts the due pending deliveries, at most `concurrency` at a time, and
 *    records each outcome (delivered, retried with backoff, failed, dead).
 *
 * `start()` runs it on an RxJS `timer` with `exhaustMap` (a slow run is never overlapped, ticks
 * during it are dropped); `stop()` stops starting work and waits for the attempts in flight to
 * be recorded. Deliveries to one subscription may arrive out of order (retries, concurrency):
 * receivers order by `position` and drop repeats by `X-Stocktide-Event-Id`.
 */
import { defer, from, lastValueFrom, mergeMap, toArray } from 'rxjs';
import type { ConnectionStore, PosConnection } from '../pos/connections/connection-store';
import type { ReadStore } from '../projections/readstore/port';
import { periodicRuns } from '../topology/periodic-runs';
import type { Fetch } from './http-attempt';
import { OUTBOX, plainPosition, webhookBody, type OutboxDoc } from './notifications';
import { itemsBySku, pushTargets } from './pos-push/push-targets';
import { pushToShopify, type PushOutcome } from './pos-push/shopify-push';
import { pushToSquare } from './pos-push/square-push';
import { DEFAULT_RETRY_POLICY, afterAttempt, type RetryPolicy } from './retry-policy';
import {
  pushJobId, webhookDeliveryId,
  type Delivery, type DeliveryUpdate, type OutboundStore, type PushJob, type Subscription, type WebhookDelivery,
} from './store/outbound-store';
import { sendWebhook } from './webhooks/send-webhook';

export const OUTBOX_CURSOR = 'outbox';

export interface OutboundSenderOptions {
  readonly store: OutboundStore;
  readonly readStore: ReadStore;
  readonly connections: ConnectionStore;
  readonly fetchImpl?: Fetch;
  readonly clock?: () => Date;
  /** In [0, 1): the jitter of retry delays. */
  readonly random?: () => number;
  readonly retry?: Partial<RetryPolicy>;
  /** Pause between runs of `start()`. Default 1000 ms. */
  readonly intervalMs?: number;
  /** Outbox documents read per page, and due deliveries attempted per run. Default 200. */
  readonly pageSize?: number;
  /** Attempts in flight at once. Default 4. */
  readonly concurrency?: number;
  /** Per request. Default 10 s. */
  readonly timeoutMs?: number;
  readonly log?: (message: string) => void;
  /** A location in shadow (go-live): nothing is pushed to its POS and no webhook tells of it. */
  readonly shadow?: (locationId: string) => Promise<boolean>;
  /**
   * Push id → SKU of a connection (the catalog's derived map with the hand-made `skuMap` on top,
   * `catalog/derived-map.ts`). Absent: the connection's `skuMap` alone.
   */
  readonly pushMap?: (connection: PosConnection) => Promise<Readonly<Record<string, string>>>;
}

export interface RunReport {
  /** Outbox documents fanned out. */
  readonly notifications: number;
  /** Deliveries and push jobs created or refreshed. */
  readonly enqueued: number;
  readonly attempted: number;
  readonly delivered: number;
  readonly retrying: number;
  readonly failed: number;
  readonly dead: number;
}

export interface OutboundSender {
  start(): void;
  stop(): Promise<void>;
  runOnce(): Promise<RunReport>;
}

const MAX_PAGES_PER_RUN = 20;

export function createOutboundSender(options: OutboundSenderOptions): OutboundSender {
  const { store, readStore, connections } = options;
  const fetchImpl = options.fetchImpl ?? fetch;
  const clock = options.clock ?? (() => new Date());
  const random = options.random ?? Math.random;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const pageSize = options.pageSize ?? 200;
  const concurrency = options.concurrency ?? 4;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const log = options.log ?? ((message) => console.error(message));
  const runs = periodicRuns(() => run(), { intervalMs: options.intervalMs ?? 1000, label: 'outbound', log });

  async function pushConnections(): Promise<PosConnection[]> {
    const enabled = new Set(await store.pushEnabledConnections());
    if (enabled.size === 0) return [];
    return (await connections.listConnections())
      .filter((c) => enabled.has(c.id) && !c.disabled && (c.kind === 'shopify' || c.kind === 'square'));
  }

  async function fanOut(): Promise<{ notifications: number; enqueued: number }> {
    const subscriptions = (await store.listSubscriptions()).filter((s) => s.active);
    const pushing = await Promise.all((await pushConnections()).map(async (c) => ({
      c, bySku: itemsBySku(options.pushMap ? await options.pushMap(c) : c.skuMap),
    })));
    let cursor = (await store.getCursor(OUTBOX_CURSOR)) ?? '';
    let notifications = 0;
    let enqueued = 0;
    for (let page = 0; page < MAX_PAGES_PER_RUN && !runs.stopping; page++) {
      const docs = await readStore.find<OutboxDoc>(OUTBOX.notifications, {
        where: { _id: { gt: cursor } }, orderBy: [['_id', 'asc']], limit: pageSize,
      });
      const now = clock().toISOString();
      for (const doc of docs) {
        const at = typeof doc.payload['locationId'] === 'string' ? doc.payload['locationId'] : undefined;
        // In shadow when it happened (the stamp), or now: the location-modes read model may lag
        // behind the outbox, and a read store projected before the stamp existed has none.
        if (doc.shadow || (at !== undefined && options.shadow && (await options.shadow(at)))) continue;
        for (const s of subscriptions) if (wants(s, doc) && (await store.addDelivery(webhookDelivery(doc, s, now)))) enqueued++;
        if (doc.kind !== 'stock.changed') continue;
        const locationId = String(doc.payload['locationId']);
        const sku = String(doc.payload['sku']);
        for (const { c, bySku } of pushing) {
          for (const t of pushTargets(c, locationId, sku, bySku)) {
            const job = pushJob(doc, c.id, t.posLocationId, t.posItemId, now);
            if ((await store.upsertPushJob(job)).position === job.position) enqueued++;
          }
        }
      }
      notifications += docs.length;
      if (docs.length === 0) break;
      cursor = docs.at(-1)!._id;
      await store.setCursor(OUTBOX_CURSOR, cursor);
      if (docs.length < pageSize) break;
    }
    return { notifications, enqueued };
  }

  async function attempt(delivery: Delivery): Promise<Delivery | undefined> {
    if (runs.stopping) return undefined;
    const update = delivery.target === 'webhook' ? await attemptWebhook(delivery) : await attemptPush(delivery);
    return store.updateDelivery(delivery.id, update);
  }

  async function attemptWebhook(delivery: WebhookDelivery): Promise<DeliveryUpdate> {
    const subscription = await store.getSubscription(delivery.subscriptionId);
    if (!subscription?.active) return { status: 'failed', lastError: 'the subscription was deleted', updatedAt: clock().toISOString() };
    const outcome = await sendWebhook(fetchImpl, subscription, delivery, clock(), timeoutMs);
    return afterAttempt(delivery.attempts + 1, outcome, clock(), policy, random);
  }

  async function attemptPush(job: PushJob): Promise<DeliveryUpdate> {
    const connection = (await pushConnections()).find((c) => c.id === job.connectionId);
    const stamp = clock().toISOString();
    if (!connection) return { status: 'failed', lastError: 'push is disabled for this connection', updatedAt: stamp };
    if (job.observedQuantity === undefined && job.lastPushedQuantity === job.quantity) {
      return { status: 'delivered', deliveredAt: stamp, updatedAt: stamp, lastError: undefined }; // the POS has it already
    }
    const outcome: PushOutcome = connection.kind === 'shopify'
      ? await pushToShopify(fetchImpl, connection, job, clock(), timeoutMs)
      : await pushToSquare(fetchImpl, connection, job, clock(), timeoutMs);
    return {
      ...afterAttempt(job.attempts + 1, outcome, clock(), policy, random),
      ...(outcome.pushedQuantity !== undefined ? { lastPushedQuantity: outcome.pushedQuantity, observedQuantity: undefined } : {}),
      ...(outcome.observedQuantity !== undefined ? { observedQuantity: outcome.observedQuantity } : {}),
    };
  }

  async function dispatch(): Promise<Omit<RunReport, 'notifications' | 'enqueued'>> {
    const due = await store.dueDeliveries(clock().toISOString(), pageSize);
    const results = await lastValueFrom(from(due).pipe(
      mergeMap((d) => defer(() => attempt(d).catch((error: unknown) => {
        log(`outbound: attempt of ${d.id} failed: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      })), concurrency),
      toArray(),
    ));
    const count = (status: Delivery['status']) => results.filter((d) => d?.status === status).length;
    return {
      attempted: results.filter(Boolean).length,
      delivered: count('delivered'), retrying: count('pending'), failed: count('failed'), dead: count('dead'),
    };
  }

  async function run(): Promise<RunReport> {
    const fanned = await fanOut();
    const dispatched = await dispatch();
    return { ...fanned, ...dispatched };
  }

  return { runOnce: runs.runOnce, start: runs.start, stop: runs.stop };
}

const wants = (s: Subscription, doc: OutboxDoc): boolean =>
  s.kinds.includes(doc.kind) && BigInt(doc.position) > BigInt(s.fromPosition);

function webhookDelivery(doc: OutboxDoc, s: Subscription, now: string): WebhookDelivery {
  return {
    id: webhookDeliveryId(doc._id, s.id), target: 'webhook', kind: doc.kind, notificationId: doc._id, subscriptionId: s.id,
    body: webhookBody(doc), position: plainPosition(doc.position),
    status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now, updatedAt: now,
  };
}

function pushJob(doc: OutboxDoc, connectionId: string, posLocationId: string, posItemId: string, now: string): PushJob {
  return {
    id: pushJobId(connectionId, posLocationId, posItemId), target: 'pos-push', kind: 'pos-push', notificationId: doc._id,
    connectionId, posLocationId, posItemId,
    locationId: String(doc.payload['locationId']), sku: String(doc.payload['sku']), quantity: Number(doc.payload['onHand']),
    recordedAt: doc.recordedAt, position: plainPosition(doc.position),
    status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now, updatedAt: now,
  };
}
