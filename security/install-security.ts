/**
 * The security plugin. Call it on the root instance before any route is registered:
 *   await installSecurity(app, { identity, config, log });
 * It installs, in this order: CORS (closed unless origins are configured), the route guard
 * (every later route must declare config.access), cookies, security headers with a CSP for
 * the same-origin dashboard, per-route rate limits, the strict JSON body parser, the
 * authentication + role hook with CSRF checks, the auth/user/token routes, and the
 * bootstrap admin. Handlers make object-level checks with server/http/access.ts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import { HttpProblem } from '../server/http/problem';
import { seesCosts } from '../server/http/access';
import type { IdentityStore } from './identity/port';
import { Authenticator, CSRF_HEADER, csrfRejection, setAuthContext } from './authenticate';
import { authRoutes } from './auth-routes';
import { bootstrapAdmin } from './bootstrap';
import { installJsonBodyParser } from './json-body';
import { DEFAULT_RATE_LIMITS, apiRateLimit, loginRateLimit, type RateLimitSettings } from './rate-limits';
import { sharedRateLimitStore } from './rate-counters/fastify-store';
import type { RateCounterStore } from './rate-counters/port';
import { installRouteGuard } from './route-registry';
import { tokenRoutes } from './token-routes';
import { userRoutes } from './user-routes';

export { listRoutes, type RouteInfo } from './route-registry';
export { LOGIN_RATE_LIMIT, WEBHOOK_RATE_LIMIT, loginRateLimit, webhookRateLimit } from './rate-limits';

export interface SecurityConfig {
  /** IMS_ADMIN_PASSWORD: used only when the identity store has no users yet. */
  readonly adminPassword?: string;
  /** Default 12 hours. */
  readonly sessionTtlHours?: number;
  /** Set the Secure flag on cookies (behind TLS). Also turns on upgrade-insecure-requests. */
  readonly cookieSecure?: boolean;
  /** Origins allowed to call the API cross-origin. Default: none. */
  readonly corsOrigins?: readonly string[];
  /** `false` turns rate limiting off (benchmarks); otherwise overrides of the defaults. */
  readonly rateLimit?: Partial<RateLimitSettings> | false;
  /**
   * Path prefixes under which routes of third-party plugins (static dashboard files, API
   * docs) may be registered without config.access; they become public GET routes.
   * Never applies under /api or /pos. Default: none.
   */
  readonly publicPrefixes?: readonly string[];
}

export interface SecurityDeps {
  readonly identity: IdentityStore;
  readonly config: SecurityConfig;
  /** Where the one-time bootstrap message goes (default: stdout). Never the request log. */
  readonly log?: (message: string) => void;
  /** Injected clock for session and token expiry (tests). */
  readonly now?: () => Date;
  /**
   * Rate-limit counters shared by every api instance (security/rate-counters/); without it each
   * process counts on its own (an in-memory LRU), fine for tests that build one app.
   */
  readonly rateCounters?: RateCounterStore;
}

const HOUR_MS = 60 * 60 * 1000;

/** The dashboard is served from the same origin: scripts, styles, fetch and SSE all stay on 'self'. */
function contentSecurityPolicy(cookieSecure: boolean) {
  return {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      // 'wasm-unsafe-eval' lets the staff app compile its barcode engine (zxing-wasm, served from 'self'); it allows no JS eval.
      scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
      // The staff app's service worker (/sw.js).
      workerSrc: ["'self'"],
      styleSrc: ["'self'"],
      connectSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      // Only behind TLS: on plain http://127.0.0.1 it would break every asset load.
      ...(cookieSecure && { upgradeInsecureRequests: [] }),
    },
  };
}

export async function installSecurity(app: FastifyInstance, deps: SecurityDeps): Promise<void> {
  const { identity, config } = deps;
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? ((message: string) => process.stdout.write(`${message}\n`));
  const cookieSecure = config.cookieSecure ?? false;
  const sessionTtlHours = config.sessionTtlHours ?? 12;
  if (!(sessionTtlHours > 0)) throw new Error('installSecurity: sessionTtlHours must be positive');
  const rateLimits = config.rateLimit === false ? undefined : { ...DEFAULT_RATE_LIMITS, ...config.rateLimit };

  // Before the guard: the plugin's own OPTIONS * preflight route carries no access rule.
  const origins = [...(config.corsOrigins ?? [])];
  await app.register(fastifyCors, {
    origin: origins.length > 0 ? origins : false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', CSRF_HEADER, 'last-event-id'],
    credentials: false,
    maxAge: 600,
  });

  installRouteGuard(app, config.publicPrefixes ?? []);
  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: contentSecurityPolicy(cookieSecure),
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyRateLimit, {
    global: false,
    ...(rateLimits ? apiRateLimit(rateLimits) : {}),
    ...(deps.rateCounters && {
      store: sharedRateLimitStore(deps.rateCounters),
      // A counter store that cannot answer must not take the API down with it: the request goes
      // on unlimited (the stores it then needs report their own outage, e.g. 503 on PostgreSQL).
      skipOnError: true,
    }),
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(context.statusCode, `too many requests; retry in ${context.after}`, {}, 'urn:stocktide:problem:rate-limited'),
  });
  installJsonBodyParser(app);

  const authenticator = new Authenticator(identity, now);
  app.addHook('onRequest', async (request: FastifyRequest, reply) => {
    const access = request.routeOptions.config?.access;
    if (!access) {
      // Only framework routes lack a rule (404 handler, CORS preflight): the guard refused all others.
      if (request.is404 || request.method === 'OPTIONS') return;
      throw new HttpProblem(403, 'route declares no access rule');
    }
    if ('public' in access) return;
    let context;
    try {
      context = await authenticator.authenticate(request);
    } catch (error) {
      if (error instanceof HttpProblem && error.status === 401) reply.header('www-authenticate', 'Bearer realm="stocktide"');
      throw error;
    }
    if (!access.roles.includes(context.principal.role)) {
      throw new HttpProblem(403, `role ${context.principal.role} may not call this route`, { code: 'role-not-allowed' }, 'urn:stocktide:problem:role-not-allowed');
    }
    if (access.costs && !seesCosts(context.principal)) {
      throw new HttpProblem(403, 'this answer is made of costs: an admin can grant the view_costs permission', { code: 'costs-not-granted' }, 'urn:stocktide:problem:costs-not-granted');
    }
    const csrf = csrfRejection(request, context);
    if (csrf) throw csrf;
    setAuthContext(request, context);
  });

  await authRoutes(app, {
    identity, now, cookieSecure, sessionTtlMs: sessionTtlHours * HOUR_MS,
    loginRateLimit: rateLimits ? loginRateLimit(rateLimits) : false,
  });
  await userRoutes(app, { identity, now });
  await tokenRoutes(app, { identity, now });

  await bootstrapAdmin(identity, config.adminPassword, log, now());
}
