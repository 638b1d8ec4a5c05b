/**
 * The outbound store port: webhook subscriptions (with their secrets), the delivery log of
 * webhooks and POS pushes, which connections push balances, and the sender's outbox cursor.
 * Adapters: SQLite (`${dataDir}/outbound.sqlite`) and MongoDB; one contract suite
 * (`outbound-store.contract.ts`) covers both.
 *
 * One sender per store: deliveries are created and updated by one process at a time.
 */
import type { NotificationKind, WebhookBody } from '../notifications';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'dead';

/** A subscription, secret included. Never serialize it: `publicSubscription` is the view. */
export interface Subscription {
  readonly id: string;
  readonly url: string;
  readonly kinds: readonly NotificationKind[];
  readonly secret: string;
  readonly active: boolean;
  readonly createdAt: string;
  /** Log head when it was created: only notifications after it are sent (decimal string). */
  readonly fromPosition: string;
}

interface DeliveryState {
  readonly id: string;
  /** Log position of the notification (decimal string). */
  readonly position: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  /** HTTP status of the last answer (absent: no answer, e.g. a timeout). */
  readonly lastStatus?: number;
  readonly lastError?: string;
  readonly deliveredAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One notification to one subscription; id = `${notificationId}|${subscriptionId}`. */
export interface WebhookDelivery extends DeliveryState {
  readonly target: 'webhook';
  readonly kind: NotificationKind;
  readonly notificationId: string;
  readonly subscriptionId: string;
  /** The body, kept so that every attempt signs and sends the very same bytes. */
  readonly body: WebhookBody;
}

/**
 * The latest balance of one (connection, POS location, POS item) to push: one job per key,
 * coalesced (a newer balance replaces a pending one). id = `pos-push|connection|location|item`.
 */
export interface PushJob extends DeliveryState {
  readonly target: 'pos-push';
  readonly kind: 'pos-push';
  readonly notificationId: string;
  readonly connectionId: string;
  readonly posLocationId: string;
  readonly posItemId: string;
  readonly locationId: string;
  readonly sku: string;
  /** On-hand to push (the balance after the notification at `position`). */
  readonly quantity: number;
  /** When Stocktide recorded that balance. */
  readonly recordedAt: string;
  /** What we last set successfully: the compare-and-set value of the next push. */
  readonly lastPushedQuantity?: number;
  /** What the POS reported when a compare-and-set failed (a manual retry compares with it). */
  readonly observedQuantity?: number;
}

export type Delivery = WebhookDelivery | PushJob;

export interface DeliveryFilter {
  readonly target?: Delivery['target'];
  readonly subscriptionId?: string;
  readonly connectionId?: string;
  readonly status?: DeliveryStatus;
  /** Newest first; default 100. */
  readonly limit?: number;
}

/** Fields an attempt (or a manual retry) changes; `undefined` values remove the field. */
export type DeliveryUpdate = Partial<Pick<PushJob,
  'status' | 'attempts' | 'nextAttemptAt' | 'lastStatus' | 'lastError' | 'deliveredAt' | 'updatedAt' | 'lastPushedQuantity' | 'observedQuantity'>>;

export interface OutboundStore {
  readonly kind: 'embedded' | 'mongodb' | 'postgres';

  createSubscription(subscription: Subscription): Promise<void>;
  getSubscription(id: string): Promise<Subscription | undefined>;
  /** Oldest first. */
  listSubscriptions(): Promise<Subscription[]>;
  /** Answers false when there was none. Its deliveries stay in the log. */
  deleteSubscription(id: string): Promise<boolean>;

  /** Inserts the delivery unless one with its id exists; answers whether it was inserted. */
  addDelivery(delivery: WebhookDelivery): Promise<boolean>;
  /**
   * Coalesces a push job: inserts it, or replaces quantity/position/notification of the stored
   * job when `job.position` is newer (then it is pending again, attempts 0, and keeps
   * `lastPushedQuantity`). An older or equal position changes nothing. Answers the stored job.
   */
  upsertPushJob(job: PushJob): Promise<PushJob>;
  getDelivery(id: string): Promise<Delivery | undefined>;
  /** Applies the update; answers the new delivery, undefined when it does not exist. */
  updateDelivery(id: string, update: DeliveryUpdate): Promise<Delivery | undefined>;
  /** Pending deliveries due at `now`, soonest first. */
  dueDeliveries(now: string, limit: number): Promise<Delivery[]>;
  listDeliveries(filter?: DeliveryFilter): Promise<Delivery[]>;

  /** Which connections push balances (absent: no). */
  setPushEnabled(connectionId: string, enabled: boolean): Promise<void>;
  pushEnabledConnections(): Promise<string[]>;

  /** The sender's cursor in the outbox (the last notification id it fanned out). */
  getCursor(name: string): Promise<string | undefined>;
  setCursor(name: string, value: string): Promise<void>;

  close(): Promise<void>;
}

export class SubscriptionExists extends Error {
  constructor(readonly subscriptionId: string) {
    super(`a webhook subscription ${subscriptionId} exists already`);
    this.name = 'SubscriptionExists';
  }
}

export const pushJobId = (connectionId: string, posLocationId: string, posItemId: string): string =>
  `pos-push|${connectionId}|${posLocationId}|${posItemId}`;

export const webhookDeliveryId = (notificationId: string, subscriptionId: string): string => `${notificationId}|${subscriptionId}`;

/** Merges an update into a delivery (`undefined` removes a field). Pure; shared by adapters. */
export function applyUpdate<D extends Delivery>(delivery: D, update: DeliveryUpdate): D {
  const next: Record<string, unknown> = { ...delivery };
  for (const [key, value] of Object.entries(update)) {
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  return next as D;
}

/** Coalescing rule of `upsertPushJob`, shared by adapters. Pure. */
export function coalesce(stored: PushJob | undefined, incoming: PushJob): PushJob {
  if (!stored) return incoming;
  if (BigInt(incoming.position) <= BigInt(stored.position)) return stored;
  const { lastError: _e, lastStatus: _s, deliveredAt: _d, observedQuantity: _o, ...rest } = stored;
  return {
    ...rest,
    notificationId: incoming.notificationId, position: incoming.position, quantity: incoming.quantity,
    recordedAt: incoming.recordedAt, locationId: incoming.locationId, sku: incoming.sku,
    status: 'pending', attempts: 0, nextAttemptAt: incoming.nextAttemptAt, updatedAt: incoming.updatedAt,
  };
}
