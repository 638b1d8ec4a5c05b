/**
 * Per-route rate limits. The plugin is registered with `global: false`: only routes whose
 * config carries `rateLimit` are limited. Webhook routes use `webhookRateLimit()`:
 *   app.post('/pos/:connectionId/webhook', { config: { access: { public: true }, rateLimit: WEBHOOK_RATE_LIMIT } }, ...)
 */
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import type { FastifyRateLimitOptions, RateLimitOptions } from '@fastify/rate-limit';

export interface RateLimitSettings {
  /** Login attempts per IP and username per window (default 10 per minute). */
  readonly loginMax: number;
  readonly loginWindowMs: number;
  /** Webhook deliveries per connection and source IP per window (default 60,000 per minute: a busy chain behind one IP). */
  readonly webhookMax: number;
  readonly webhookWindowMs: number;
  /** Every other route, per caller (its credentials, else its IP) per window (default 20,000 per minute; 0: none). */
  readonly apiMax?: number;
  readonly apiWindowMs?: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  loginMax: 10, loginWindowMs: 60_000, webhookMax: 60_000, webhookWindowMs: 60_000,
  apiMax: 20_000, apiWindowMs: 60_000,
};

const loginKey = (request: FastifyRequest): string => {
  const body = request.body as { username?: unknown } | undefined;
  const username = typeof body?.username === 'string' ? body.username.toLowerCase().slice(0, 100) : '';
  return `login|${request.ip}|${username}`;
};

/** Runs in preHandler, after the body is parsed and validated, so the key can hold the username. */
export function loginRateLimit(settings: RateLimitSettings = DEFAULT_RATE_LIMITS): RateLimitOptions {
  return { max: settings.loginMax, timeWindow: settings.loginWindowMs, hook: 'preHandler', keyGenerator: loginKey };
}

/**
 * Keyed by connection and source IP: generous for a platform's bursts, and a stranger
 * hammering one connection's URL with forged deliveries cannot use up the platform's budget.
 */
export function webhookRateLimit(settings: RateLimitSettings = DEFAULT_RATE_LIMITS): RateLimitOptions {
  return {
    max: settings.webhookMax,
    timeWindow: settings.webhookWindowMs,
    keyGenerator: (request) => {
      const params = request.params as { connectionId?: unknown } | undefined;
      const connection = typeof params?.connectionId === 'string' ? params.connectionId : request.url.split('?')[0];
      return `webhook|${connection}|${request.ip}`;
    },
  };
}

export const LOGIN_RATE_LIMIT = loginRateLimit();
export const WEBHOOK_RATE_LIMIT = webhookRateLimit();

/** A caller: a digest of its bearer token or session cookie (never the secret itself), else its IP. */
const callerKey = (request: FastifyRequest): string => {
  const credentials = request.headers.authorization ?? request.headers.cookie;
  return credentials ? `caller|${createHash('sha256').update(credentials).digest('base64url').slice(0, 22)}` : `ip|${request.ip}`;
};

/**
 * Issue 21: every route is limited per caller, and every answer carries the IETF draft
 * `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` fields (a 429 also
 * `Retry-After`), so a BI tool can pace itself. Login and webhook routes keep their own limits
 * (route config wins) and gain the same fields.
 */
export function apiRateLimit(settings: RateLimitSettings = DEFAULT_RATE_LIMITS): Partial<FastifyRateLimitOptions> {
  const max = settings.apiMax ?? DEFAULT_RATE_LIMITS.apiMax!;
  return {
    enableDraftSpec: true,
    ...(max > 0 ? { global: true, max, timeWindow: settings.apiWindowMs ?? DEFAULT_RATE_LIMITS.apiWindowMs!, keyGenerator: callerKey } : {}),
  };
}
