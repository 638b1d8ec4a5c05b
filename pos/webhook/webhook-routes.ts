/**
 * `POST /pos/:connectionId/webhook`: public, the signature over the raw body is the credential.
 * Order matters: connection -> signature -> parse -> effect. Nothing is parsed, stored or
 * logged before the signature is verified, and the answer comes only after the effect is durable.
 */
import { WEBHOOK_RATE_LIMIT } from '../../security/rate-limits';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ConnectionIdParams } from '../../schemas/pos';
import { HttpProblem } from '../../server/http/problem';
import type { PosConnection, StoredDelivery } from '../connections/connection-store';
import { isPayloadError, processDelivery, type Outcome, type ProcessDeps } from '../processing/process-delivery';
import { verifyGeneric, verifyShopify, verifySquare } from '../signatures';

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

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

/** The HTTP answer of an outcome (shared with the quarantine retry routes). */
export function outcomeBody(outcome: Outcome): { status: number; body: Record<string, unknown> } {
  switch (outcome.status) {
    case 'applied':
      return { status: 200, body: { position: outcome.position.toString(), ...(outcome.duplicate && { duplicate: true }) } };
    case 'quarantined':
      return { status: 202, body: { quarantined: true, id: outcome.id, reason: outcome.reason, detail: outcome.detail } };
    case 'ignored':
      return { status: 200, body: { ignored: true, reason: outcome.reason } };
    default: { const _exhaustive: never = outcome; return _exhaustive; }
  }
}

export async function webhookRoutes(app: FastifyInstance, deps: ProcessDeps): Promise<void> {
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
    const delivery: StoredDelivery = {
      kind: connection.kind,
      rawBody: raw.toString('utf8'),
      ...(connection.kind === 'shopify' && {
        ...(header(request, 'x-shopify-topic') && { topic: header(request, 'x-shopify-topic') }),
        ...((header(request, 'x-shopify-event-id') ?? header(request, 'x-shopify-webhook-id')) && {
          deliveryId: header(request, 'x-shopify-event-id') ?? header(request, 'x-shopify-webhook-id'),
        }),
      }),
    };
    let outcome: Outcome;
    try {
      outcome = await processDelivery(deps, connection, delivery);
    } catch (error) {
      if (isPayloadError(error)) {
        throw new HttpProblem(400, error.message, { errors: 'errors' in error ? error.errors : [] });
      }
      throw error;
    }
    const answer = outcomeBody(outcome);
    return reply.code(answer.status).send(answer.body);
  });
}
