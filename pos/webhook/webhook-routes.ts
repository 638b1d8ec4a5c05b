/**
 * `POST /pos/:connectionId/webhook`: public, the signature over the raw body is the credential.
 * Order matters: connection (404) -> size (413, Fastify's body limit) -> signature (401) ->
 * tenancy pin (403) -> content type (415) -> processing, with the inbox entry. Nothing is parsed,
 * stored or logged before the signature is verified. An authentic delivery is never refused: it is
 * answered 200 when its effect is durable, 202 when it is kept for later (quarantine, or pending
 * behind a slow upstream), always within the answer budget. Every answer waits until the delivery
 * is durable: as its appended events (sales, returns), otherwise as its inbox entry (synced).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { WEBHOOK_RATE_LIMIT } from '../../security/rate-limits';
import { ConnectionIdParams } from '../../schemas/pos';
import { HttpProblem } from '../../server/http/problem';
import type { PosConnection, StoredDelivery } from '../connections/connection-store';
import type { InboxEntry, NewInboxEntry } from '../inbox/inbox-store';
import { HeldEntry } from '../inbox/held-entry';
import { processEntry, type EntryResult, type IntakeDeps } from '../inbox/intake';
import type { Outcome, ProcessDeps } from '../processing/process-delivery';
import { verifyGeneric, verifyShopify, verifySquare } from '../signatures';

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Headers kept with a delivery: routing, dedupe, tenancy and retry information (never a signature). */
const KEPT_HEADERS = [
  'content-type', 'user-agent',
  'x-shopify-topic', 'x-shopify-webhook-id', 'x-shopify-event-id', 'x-shopify-shop-domain', 'x-shopify-api-version',
  'x-shopify-triggered-at',
  'square-environment', 'square-retry-number', 'square-retry-reason', 'square-initial-delivery-timestamp',
] as const;

/** Looks a connection up for a webhook or an import: unknown and disabled look the same (404). */
export async function activeConnection(deps: ProcessDeps, connectionId: string): Promise<PosConnection> {
  const connection = await deps.store.getConnection(connectionId);
  if (!connection || connection.disabled) throw new HttpProblem(404, `no active POS connection ${connectionId}`);
  return connection;
}

function verified(connection: PosConnection, request: FastifyRequest, raw: Buffer): boolean {
  switch (connection.kind) {
    case 'shopify': return verifyShopify(connection.secret, raw, header(request, 'x-shopify-hmac-sha256'));
    case 'square': return connection.notificationUrl !== undefined
      && verifySquare(connection.secret, connection.notificationUrl, raw, header(request, 'x-square-hmacsha256-signature'));
    case 'generic': return verifyGeneric(connection.secret, raw, header(request, 'x-ims-signature'));
    default: { const _exhaustive: never = connection.kind; return _exhaustive; }
  }
}

/**
 * A Shopify app secret signs the deliveries of every shop that installed the app, and a Square
 * signature key those of every merchant of the subscription: a pinned connection takes only its own.
 */
function tenancyProblem(connection: PosConnection, request: FastifyRequest, raw: Buffer): string | undefined {
  if (connection.kind === 'shopify' && connection.shopDomain !== undefined) {
    const shop = header(request, 'x-shopify-shop-domain')?.toLowerCase();
    if (shop !== connection.shopDomain) return `delivery is for shop ${shop ?? '(none)'}; connection ${connection.id} takes only ${connection.shopDomain}`;
  }
  if (connection.kind === 'square' && connection.merchantId !== undefined) {
    let merchant: unknown;
    try {
      merchant = (JSON.parse(raw.toString('utf8')) as { merchant_id?: unknown }).merchant_id;
    } catch {
      return undefined; // unreadable: cannot tell; it is authentic, so the inbox keeps it (quarantine)
    }
    if (merchant !== connection.merchantId) return `delivery is for merchant ${String(merchant)}; connection ${connection.id} takes only ${connection.merchantId}`;
  }
  return undefined;
}

const isJson = (contentType: string | undefined) =>
  contentType === undefined || /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(contentType.trim());

/** The HTTP answer of an outcome (shared with the quarantine retry routes). */
export function outcomeBody(outcome: Outcome): { status: number; body: Record<string, unknown> } {
  switch (outcome.status) {
    case 'applied':
      return { status: 200, body: { position: outcome.position.toString(), ...(outcome.duplicate && { duplicate: true }) } };
    case 'quarantined':
      return { status: 202, body: { quarantined: true, id: outcome.id, reason: outcome.reason, detail: outcome.detail } };
    case 'ignored':
      return { status: 200, body: { ignored: true, reason: outcome.reason, ...(outcome.test && { test: true }) } };
    default: { const _exhaustive: never = outcome; return _exhaustive; }
  }
}

/**
 * The work's result, or pending once `ms` have passed. A deadline on one promise, not a stream:
 * one Node timer, cleared as soon as the work settles. (It was an RxJS `race` with `timer`: the
 * api thread's profile charged 3-4 % of its busy time to that chain's subscriptions.)
 */
function withinBudget(work: Promise<EntryResult>, ms: number): Promise<EntryResult> {
  let deadline: NodeJS.Timeout | undefined;
  const late = new Promise<EntryResult>((resolve) => {
    deadline = setTimeout(resolve, ms, { kind: 'pending', reason: 'still processing' } satisfies EntryResult);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(deadline));
}

export interface WebhookDeps extends IntakeDeps {
  /** The longest a POS waits for its answer; past it, 202 pending and processing goes on. */
  readonly answerBudgetMs: number;
}

export async function webhookRoutes(app: FastifyInstance, deps: WebhookDeps): Promise<void> {
  // The signature covers the exact bytes: keep every body of this scope as a raw Buffer.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post<{ Params: { connectionId: string } }>('/pos/:connectionId/webhook', {
    // The signature is the credential; the limit keeps forged floods from starving the platform.
    config: { access: { public: true }, rateLimit: WEBHOOK_RATE_LIMIT },
    schema: { params: ConnectionIdParams },
  }, async (request, reply) => {
    const connection = await activeConnection(deps, request.params.connectionId);
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (!verified(connection, request, raw)) throw new HttpProblem(401, 'missing or invalid webhook signature');
    const foreign = tenancyProblem(connection, request, raw);
    if (foreign) throw new HttpProblem(403, foreign);
    if (!isJson(header(request, 'content-type'))) throw new HttpProblem(415, 'a POS webhook body must be application/json');

    const deliveryId = header(request, 'x-shopify-event-id') ?? header(request, 'x-shopify-webhook-id');
    const delivery: StoredDelivery = {
      kind: connection.kind,
      rawBody: raw.toString('utf8'),
      ...(connection.kind === 'shopify' && {
        ...(header(request, 'x-shopify-topic') && { topic: header(request, 'x-shopify-topic') }),
        ...(deliveryId && { deliveryId }),
      }),
    };
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = header(request, name);
      if (value !== undefined) headers[name] = value.slice(0, 500);
    }
    const received: NewInboxEntry = {
      id: deps.newId(), connectionId: connection.id, delivery, headers, receivedAt: deps.clock().toISOString(),
    };
    // Held until processing settles: the POS holds the delivery until it has its answer, and every
    // answer below waits until the delivery is durable, as its appended events (a sale's), or as
    // its inbox entry, written once, settled (`HeldEntry`). Kept pending, durably, before a 202.
    const held = new HeldEntry(deps.inbox, received);
    const entry: InboxEntry = { ...received, status: 'pending', attempts: 0 };

    deps.inFlight.add(entry.id);
    const work = processEntry(deps, connection, entry, held)
      .catch((error: unknown): EntryResult => {
        request.log.warn({ err: error, inboxId: entry.id }, 'POS delivery kept pending');
        return { kind: 'pending', reason: 'processing failed; kept for a retry' };
      })
      .finally(() => deps.inFlight.delete(entry.id));
    const result = await withinBudget(work, deps.answerBudgetMs);
    // Still pending in the inbox once kept: the worker's sweep (or the next start) processes it again.
    if (result.kind === 'pending') {
      await held.keep();
      return reply.code(202).send({ pending: true, id: entry.id, reason: result.reason });
    }
    const answer = outcomeBody(result.outcome);
    return reply.code(answer.status).send(answer.body);
  });
}
