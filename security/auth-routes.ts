/**
 * Login, logout and "who am I". Registered by installSecurity (the lead does not register
 * them again). Login answers the same 401 for an unknown user, a wrong password and a
 * disabled user, after the same argon2 work, so neither the answer nor its timing tells
 * which usernames exist.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { RateLimitOptions } from '@fastify/rate-limit';
import { ALL_ROLES, principalOf, seesCosts } from '../server/http/access';
import { NoBody } from '../schemas/common';
import { Login, LoginAnswer, MeAnswer, type LoginBody } from '../schemas/security';
import type { IdentityStore, UserRecord } from './identity/port';
import { CSRF_COOKIE, SESSION_COOKIE, authContextOf, unauthorized } from './authenticate';
import { SESSION_TOKEN_PREFIX, dummyPasswordHash, hashToken, newToken, verifyPassword } from './secrets';
import { recordAudit } from '../audit/record-audit';

export interface AuthRouteDeps {
  readonly identity: IdentityStore;
  readonly now: () => Date;
  readonly sessionTtlMs: number;
  readonly cookieSecure: boolean;
  readonly loginRateLimit: RateLimitOptions | false;
}

export const publicUser = (u: Pick<UserRecord, 'username' | 'role' | 'locations' | 'permissions'>) => ({
  username: u.username, role: u.role, locations: [...u.locations], permissions: [...(u.permissions ?? [])], seesCosts: seesCosts(u),
});

function setSessionCookies(reply: FastifyReply, deps: AuthRouteDeps, token: string, csrfToken: string): void {
  const common = { path: '/', sameSite: 'strict', secure: deps.cookieSecure, maxAge: Math.floor(deps.sessionTtlMs / 1000) } as const;
  reply.setCookie(SESSION_COOKIE, token, { ...common, httpOnly: true });
  // Readable by the dashboard's script on purpose: it echoes the value in x-csrf-token.
  reply.setCookie(CSRF_COOKIE, csrfToken, { ...common, httpOnly: false });
}

function clearSessionCookies(reply: FastifyReply, deps: AuthRouteDeps): void {
  const common = { path: '/', sameSite: 'strict', secure: deps.cookieSecure } as const;
  reply.clearCookie(SESSION_COOKIE, { ...common, httpOnly: true });
  reply.clearCookie(CSRF_COOKIE, common);
}

export async function authRoutes(app: FastifyInstance, deps: AuthRouteDeps): Promise<void> {
  const { identity } = deps;

  app.post<{ Body: LoginBody }>(
    '/api/auth/login',
    {
      config: { access: { public: true }, rateLimit: deps.loginRateLimit },
      schema: { body: Login, response: { 200: LoginAnswer } },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const user = await identity.getUser(username);
      const passwordOk = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
      if (!user || !passwordOk || user.disabled) {
        await recordAudit(request, { action: 'auth.login_failed', actor: username, via: 'anonymous', target: `user:${username}` });
        throw unauthorized('wrong username or password');
      }

      const now = deps.now();
      const token = newToken(SESSION_TOKEN_PREFIX);
      const csrfToken = newToken();
      const expiresAt = new Date(now.getTime() + deps.sessionTtlMs).toISOString();
      await identity.createSession({ tokenHash: hashToken(token), username: user.username, expiresAt, csrfToken, createdAt: now.toISOString() });
      // Housekeeping rides on logins: expired sessions already fail, this only frees space.
      await identity.deleteExpiredSessions(now).catch((err: unknown) => request.log.warn({ err }, 'could not purge expired sessions'));

      setSessionCookies(reply, deps, token, csrfToken);
      await recordAudit(request, { action: 'auth.login', actor: user.username, via: 'session', target: `user:${user.username}` });
      return { token, csrfToken, user: publicUser(user), expiresAt };
    },
  );

  // Takes no body: anything but none or `{}` is a 400 (NoBody), like every body-less write.
  app.post('/api/auth/logout', {
    config: { access: { roles: ALL_ROLES } },
    schema: { body: NoBody },
  }, async (request, reply) => {
    const session = authContextOf(request)?.session;
    if (session) await identity.deleteSession(session.tokenHash);
    await recordAudit(request, { action: 'auth.logout', target: `user:${principalOf(request).username}` });
    clearSessionCookies(reply, deps);
    return reply.code(204).send();
  });

  app.get('/api/auth/me', { config: { access: { roles: ALL_ROLES } }, schema: { response: { 200: MeAnswer } } }, async (request) => {
    const principal = principalOf(request);
    const session = authContextOf(request)?.session;
    return { user: publicUser(principal), via: principal.via, ...(session && { expiresAt: session.expiresAt }) };
  });
}
