/**
 * Admin routes of outbound integration: webhook subscriptions and their delivery log, manual
 * retries, and balance pushes to POS connections. Secrets go in (or are generated and shown
 * once), never out.
 */
import { NoBody } from '../schemas/common';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import type { ConnectionStore } from '../pos/connections/connection-store';
import type { ReadStore } from '../projections/readstore/port';
import {
  CreateWebhookSubscription, DeliveriesQuery, DeliveryIdParams, PushConnectionParams, PushJobsQuery, SetPushEnabled,
  SubscriptionIdParams,
} from '../schemas/outbound';
import { ADMINS } from '../server/http/access';
import { HttpProblem } from '../server/http/problem';
import type { NotificationKind } from './notifications';
import type { Delivery, OutboundStore, Subscription } from './store/outbound-store';
import { generateSecret } from './webhooks/signing';
import { recordAudit } from '../audit/record-audit';

export interface OutboundRouteDeps {
  readonly store: OutboundStore;
  readonly connections: ConnectionStore;
  readonly readStore: ReadStore;
  /** The head of the event log: a new subscription gets only what comes after it. */
  headPosition(): Promise<bigint>;
  readonly clock?: () => Date;
}

/** The public view of a subscription: everything but the secret. */
export function publicSubscription({ secret: _secret, ...rest }: Subscription) {
  return { ...rest, kinds: [...rest.kinds] };
}

/** The public view of a delivery: the stored webhook body stays inside (it can be large). */
export function publicDelivery(d: Delivery) {
  if (d.target === 'webhook') {
    const { body: _body, ...rest } = d;
    return rest;
  }
  const { recordedAt: _r, ...rest } = d;
  return rest;
}

/** http(s) only, and no credentials in the URL (they would show in every listing and log). */
function assertWebhookUrl(raw: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HttpProblem(400, 'url is not a valid URL', { errors: [] });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new HttpProblem(400, 'url must be http or https', { errors: [] });
  if (url.username || url.password) throw new HttpProblem(400, 'url must not carry credentials; the signature authenticates us', { errors: [] });
}

export async function outboundRoutes(app: FastifyInstance, deps: OutboundRouteDeps): Promise<void> {
  const access = { roles: ADMINS };
  const clock = deps.clock ?? (() => new Date());

  app.post<{ Body: FromSchema<typeof CreateWebhookSubscription> }>('/api/webhooks/subscriptions', {
    config: { access }, schema: { body: CreateWebhookSubscription },
  }, async (request, reply) => {
    const { url, kinds, secret } = request.body;
    assertWebhookUrl(url);
    const subscription: Subscription = {
      id: randomUUID(), url, kinds: kinds as NotificationKind[], secret: secret ?? generateSecret(), active: true,
      createdAt: clock().toISOString(), fromPosition: (await deps.headPosition()).toString(),
    };
    await deps.store.createSubscription(subscription);
    await recordAudit(request, { action: 'webhook.subscription.created', target: `subscription:${subscription.id}`, after: publicSubscription(subscription) });
    return reply.code(201).header('location', `/api/webhooks/subscriptions/${subscription.id}`).send({
      ...publicSubscription(subscription), ...(secret === undefined ? { secret: subscription.secret } : {}),
    });
  });

  app.get('/api/webhooks/subscriptions', { config: { access } }, async () => ({
    items: (await deps.store.listSubscriptions()).map(publicSubscription),
  }));

  app.delete<{ Params: { id: string } }>('/api/webhooks/subscriptions/:id', {
    config: { access }, schema: { params: SubscriptionIdParams, body: NoBody },
  }, async (request, reply) => {
    if (!(await deps.store.deleteSubscription(request.params.id))) throw new HttpProblem(404, `no webhook subscription ${request.params.id}`);
    await recordAudit(request, { action: 'webhook.subscription.deleted', target: `subscription:${request.params.id}` });
    return reply.code(204).send();
  });

  app.get<{ Querystring: FromSchema<typeof DeliveriesQuery> }>('/api/webhooks/deliveries', {
    config: { access }, schema: { querystring: DeliveriesQuery },
  }, async (request) => {
    const { subscriptionId, status, limit } = request.query;
    const items = await deps.store.listDeliveries({ target: 'webhook', subscriptionId, status, limit: limit ?? 100 });
    return { items: items.map(publicDelivery) };
  });

  app.post<{ Params: { id: string } }>('/api/webhooks/deliveries/:id/retry', {
    config: { access }, schema: { params: DeliveryIdParams, body: NoBody },
  }, async (request, reply) => reply.code(202).send(publicDelivery(await retry(deps.store, request.params.id, clock()))));

  app.put<{ Params: { connectionId: string }; Body: FromSchema<typeof SetPushEnabled> }>('/api/pos/connections/:connectionId/push', {
    config: { access }, schema: { params: PushConnectionParams, body: SetPushEnabled },
  }, async (request) => {
    const { connectionId } = request.params;
    const connection = await deps.connections.getConnection(connectionId);
    if (!connection) throw new HttpProblem(404, `no POS connection ${connectionId}`);
    if (request.body.enabled && connection.kind === 'generic') {
      throw new HttpProblem(409, 'a generic POS connection has no API to push balances to');
    }
    await deps.store.setPushEnabled(connectionId, request.body.enabled);
    await recordAudit(request, { action: 'pos.push.changed', target: `pos:${connectionId}`, after: { enabled: request.body.enabled } });
    return { connectionId, enabled: request.body.enabled };
  });

  app.get<{ Querystring: FromSchema<typeof PushJobsQuery> }>('/api/pos/push-jobs', {
    config: { access }, schema: { querystring: PushJobsQuery },
  }, async (request) => {
    const { connectionId, status, limit } = request.query;
    const items = await deps.store.listDeliveries({ target: 'pos-push', connectionId, status, limit: limit ?? 100 });
    return { items: items.map(publicDelivery) };
  });

  app.post<{ Params: { id: string } }>('/api/pos/push-jobs/:id/retry', {
    config: { access }, schema: { params: DeliveryIdParams, body: NoBody },
  }, async (request, reply) => reply.code(202).send(publicDelivery(await retry(deps.store, request.params.id, clock()))));
}

/** A failed or dead delivery is due again now, with a fresh attempt budget. */
async function retry(store: OutboundStore, id: string, now: Date): Promise<Delivery> {
  const delivery = await store.getDelivery(id);
  if (!delivery) throw new HttpProblem(404, `no delivery ${id}`);
  if (delivery.status !== 'failed' && delivery.status !== 'dead') {
    throw new HttpProblem(409, `delivery ${id} is ${delivery.status}; only failed or dead deliveries are retried`);
  }
  const stamp = now.toISOString();
  return (await store.updateDelivery(id, { status: 'pending', attempts: 0, nextAttemptAt: stamp, updatedAt: stamp }))!;
}
