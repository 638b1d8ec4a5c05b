/**
 * Who is calling: a Bearer token (session token `sts_…` or API token `stk_…`) or the
 * HttpOnly session cookie. Every failure is the same 401 so a caller learns nothing about
 * which part was wrong. The user record is read on every request, so disabling a user or
 * changing their role takes effect at once.
 */
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../server/http/access';
import { HttpProblem } from '../server/http/problem';
import type { IdentityStore } from './identity/port';
import { API_TOKEN_PREFIX, SESSION_TOKEN_PREFIX, hashToken, safeEqual } from './secrets';

export const SESSION_COOKIE = 'st_session';
export const CSRF_COOKIE = 'st_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** What the security hook learned about a request, beyond the principal. */
export interface AuthContext {
  readonly principal: Principal;
  /** Set when a login session authenticated the request (cookie or bearer). */
  readonly session?: { readonly tokenHash: string; readonly csrfToken: string; readonly expiresAt: string };
  readonly apiTokenId?: string;
}

const contexts = new WeakMap<FastifyRequest, AuthContext>();

export function authContextOf(request: FastifyRequest): AuthContext | undefined {
  return contexts.get(request);
}

export function setAuthContext(request: FastifyRequest, context: AuthContext): void {
  contexts.set(request, context);
  request.principal = context.principal;
}

export const unauthorized = (detail = 'missing, invalid or expired credentials'): HttpProblem =>
  new HttpProblem(401, detail, {}, 'urn:stocktide:problem:unauthorized');

const BEARER = /^Bearer +([A-Za-z0-9_-]{10,200})$/i;
/** Writes within this interval do not move lastUsedAt again: one write per token per minute at most. */
const TOUCH_INTERVAL_MS = 60_000;

export class Authenticator {
  constructor(
    private readonly identity: IdentityStore,
    private readonly now: () => Date,
  ) {}

  async authenticate(request: FastifyRequest): Promise<AuthContext> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      // An Authorization header that is present decides alone: no fallback to the cookie.
      const token = BEARER.exec(header.trim())?.[1];
      if (!token) throw unauthorized('malformed Authorization header; use "Bearer <token>"');
      if (token.startsWith(SESSION_TOKEN_PREFIX)) return this.fromSession(token, 'bearer');
      if (token.startsWith(API_TOKEN_PREFIX)) return this.fromApiToken(token);
      throw unauthorized();
    }
    const cookie = request.cookies?.[SESSION_COOKIE];
    if (typeof cookie === 'string' && cookie.startsWith(SESSION_TOKEN_PREFIX) && cookie.length <= 200) {
      return this.fromSession(cookie, 'session');
    }
    throw unauthorized('no credentials');
  }

  private async fromSession(token: string, via: 'bearer' | 'session'): Promise<AuthContext> {
    const tokenHash = hashToken(token);
    const session = await this.identity.findSession(tokenHash);
    if (!session) throw unauthorized();
    if (Date.parse(session.expiresAt) <= this.now().getTime()) {
      await this.identity.deleteSession(tokenHash);
      throw unauthorized();
    }
    const user = await this.identity.getUser(session.username);
    if (!user || user.disabled) throw unauthorized();
    return {
      principal: { username: user.username, role: user.role, locations: user.locations, via, ...(user.permissions && { permissions: user.permissions }) },
      session: { tokenHash, csrfToken: session.csrfToken, expiresAt: session.expiresAt },
    };
  }

  private async fromApiToken(token: string): Promise<AuthContext> {
    const record = await this.identity.findApiToken(hashToken(token));
    const now = this.now();
    if (!record || record.revokedAt !== undefined) throw unauthorized();
    if (record.expiresAt !== undefined && Date.parse(record.expiresAt) <= now.getTime()) throw unauthorized();
    let principal: Principal;
    if (record.username !== undefined) {
      const user = await this.identity.getUser(record.username);
      if (!user || user.disabled) throw unauthorized();
      principal = { username: user.username, role: user.role, locations: user.locations, via: 'api-token', ...(user.permissions && { permissions: user.permissions }) };
    } else if (record.role !== undefined) {
      principal = { username: `token:${record.id}`, role: record.role, locations: record.locations ?? [], via: 'api-token' };
    } else {
      throw unauthorized();
    }
    if (record.lastUsedAt === undefined || now.getTime() - Date.parse(record.lastUsedAt) >= TOUCH_INTERVAL_MS) {
      await this.identity.touchApiToken(record.id, now.toISOString());
    }
    return { principal, apiTokenId: record.id };
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Double-submit CSRF check for cookie sessions: an unsafe request must echo the session's
 * CSRF token (readable by the dashboard from the st_csrf cookie) in x-csrf-token. Bearer
 * requests are exempt: a browser never attaches an Authorization header on its own.
 */
export function csrfRejection(request: FastifyRequest, context: AuthContext): HttpProblem | undefined {
  if (context.principal.via !== 'session' || !UNSAFE_METHODS.has(request.method) || !context.session) return undefined;
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent === 'string' && safeEqual(sent, context.session.csrfToken)) return undefined;
  return new HttpProblem(403, `missing or wrong ${CSRF_HEADER} header`, { code: 'csrf' }, 'urn:stocktide:problem:csrf');
}
