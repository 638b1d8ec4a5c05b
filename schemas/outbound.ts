/**
 * Outbound: webhook subscriptions for middleware, their delivery log, and balance pushes to
 * POS systems. Request bodies, query strings and answers of `/api/webhooks/*` and
 * `/api/pos/push-jobs`, `/api/pos/connections/{id}/push`.
 */
import { id, position, timestamp } from './common';

const object = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;

/** What the outbox announces; a subscription picks some of them. */
export const notificationKinds = ['stock.changed', 'stock.low', 'transfer.received', 'pos.discrepancy', 'poll.answered', 'feedback.created'] as const;
export const notificationKind = { type: 'string', enum: notificationKinds } as const;

export const deliveryStatuses = ['pending', 'delivered', 'failed', 'dead'] as const;
export const deliveryStatus = { type: 'string', enum: deliveryStatuses } as const;

const webhookUrl = { type: 'string', format: 'uri', maxLength: 2000 } as const;
const webhookSecret = { type: 'string', minLength: 16, maxLength: 500 } as const;
const anyId = { type: 'string', minLength: 1, maxLength: 400 } as const;
const limit = { type: 'integer', minimum: 1, maximum: 500 } as const;

export const CreateWebhookSubscription = object(
  {
    url: webhookUrl,
    kinds: { type: 'array', minItems: 1, maxItems: notificationKinds.length, uniqueItems: true, items: notificationKind },
    /** When absent, a secret is generated and shown once in the answer. */
    secret: webhookSecret,
  },
  ['url', 'kinds'] as const,
);

/** A subscription as the API shows it: never its secret (except `secret` once, when generated). */
export const WebhookSubscriptionView = object(
  {
    id: anyId,
    url: webhookUrl,
    kinds: { type: 'array', items: notificationKind },
    active: { type: 'boolean' },
    createdAt: timestamp,
    /** Notifications at or before this log position are not sent to this subscription. */
    fromPosition: position,
    secret: { type: 'string' },
  },
  ['id', 'url', 'kinds', 'active', 'createdAt', 'fromPosition'] as const,
);

export const DeliveryView = object(
  {
    id: anyId,
    target: { type: 'string', enum: ['webhook', 'pos-push'] },
    kind: { type: 'string' },
    notificationId: anyId,
    subscriptionId: anyId,
    connectionId: id,
    locationId: id,
    sku: { type: 'string' },
    posLocationId: { type: 'string' },
    posItemId: { type: 'string' },
    quantity: { type: 'integer' },
    lastPushedQuantity: { type: 'integer' },
    observedQuantity: { type: 'integer' },
    position,
    status: deliveryStatus,
    attempts: { type: 'integer' },
    nextAttemptAt: timestamp,
    lastStatus: { type: 'integer' },
    lastError: { type: 'string' },
    deliveredAt: timestamp,
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  ['id', 'target', 'kind', 'position', 'status', 'attempts', 'createdAt', 'updatedAt'] as const,
);

export const SubscriptionIdParams = object({ id: anyId }, ['id'] as const);
export const DeliveryIdParams = object({ id: anyId }, ['id'] as const);
export const PushConnectionParams = object({ connectionId: id }, ['connectionId'] as const);

export const DeliveriesQuery = object({ subscriptionId: anyId, status: deliveryStatus, limit }, [] as const);
export const PushJobsQuery = object({ connectionId: id, status: deliveryStatus, limit }, [] as const);

export const SetPushEnabled = object({ enabled: { type: 'boolean' } }, ['enabled'] as const);
