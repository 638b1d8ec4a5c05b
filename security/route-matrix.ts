/**
 * The role × route matrix: walks every route installSecurity saw and checks, per role,
 * what the access rule promises. For each non-public route:
 *   no credentials        → 401
 *   role not in the rule  → 403
 *   role in the rule      → neither 401 nor 403 (nor 5xx, unless allowed)
 * Requests are minimal: path parameters become MATRIX_PROBE_ID, writes send `{}`.
 * Give scoped roles (manager, staff) MATRIX_PROBE_ID among their locations, so a route's
 * own location check does not answer 403 for a role the rule allows. Prefer API tokens as
 * credentials: a session token would be revoked by POST /api/auth/logout (walked last anyway).
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { ALL_ROLES, seesCosts, type Role } from '../server/http/access';
import type { IdentityStore } from './identity/port';
import { listRoutes, type RouteInfo } from './route-registry';
import { isScopedRole } from './roles';
import { API_TOKEN_PREFIX, hashToken, newToken, newTokenId } from './secrets';

export { listRoutes, type RouteInfo };

export const MATRIX_PROBE_ID = 'matrix-probe';

export type CredentialsByRole = Readonly<Record<Role, Record<string, string>>>;

export interface MatrixRow {
  readonly method: string;
  readonly url: string;
  readonly caller: Role | 'anonymous';
  readonly expected: 401 | 403 | 'allowed';
  readonly status: number;
  readonly ok: boolean;
}

export interface MatrixOptions {
  /** Routes to leave out (e.g. ones whose minimal request has effects the caller cannot undo). */
  readonly skip?: (route: RouteInfo) => boolean;
  /** Accept 5xx for allowed roles (default false: a 5xx on a minimal request is a bug too). */
  readonly allow5xx?: boolean;
}

export class RouteMatrixFailure extends Error {
  constructor(readonly failures: readonly MatrixRow[]) {
    super(
      `role × route matrix: ${failures.length} failure(s)\n` +
        failures.map((f) => `  ${f.method} ${f.url} as ${f.caller}: expected ${f.expected}, got ${f.status}`).join('\n'),
    );
    this.name = 'RouteMatrixFailure';
  }
}

/**
 * One API token per role, written straight to the identity store (scoped roles get
 * MATRIX_PROBE_ID as their location): the credentials walkRouteMatrix wants.
 */
export async function mintMatrixCredentials(identity: IdentityStore, createdAt = new Date()): Promise<CredentialsByRole> {
  const entries = await Promise.all(
    ALL_ROLES.map(async (role) => {
      const token = newToken(API_TOKEN_PREFIX);
      await identity.createApiToken({
        id: newTokenId(), name: `route matrix ${role}`, tokenHash: hashToken(token), role,
        locations: isScopedRole(role) ? [MATRIX_PROBE_ID] : [], createdAt: createdAt.toISOString(),
      });
      return [role, { authorization: `Bearer ${token}` }] as const;
    }),
  );
  return Object.fromEntries(entries) as unknown as CredentialsByRole;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH']);

function probeUrl(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+/g, MATRIX_PROBE_ID).replace(/\*$/, MATRIX_PROBE_ID);
}

/** Answers the status as soon as headers are written, so streaming routes (SSE) do not hang the walk. */
async function statusOf(app: FastifyInstance, route: RouteInfo, headers: Record<string, string>): Promise<number> {
  const options: InjectOptions & { payloadAsStream: boolean } = {
    method: route.method as InjectOptions['method'],
    url: probeUrl(route.url),
    headers,
    payloadAsStream: true,
    ...(WRITES.has(route.method) && { payload: {} }),
  };
  const res = await app.inject(options);
  const stream = res.stream();
  stream.on('error', () => {});
  stream.destroy();
  // Ends a still-open response (SSE) so the route's close handlers run and release resources.
  (res.raw.res as { destroy?: () => void }).destroy?.();
  return res.statusCode;
}

const isAuthEnd = (r: RouteInfo): boolean => r.url === '/api/auth/logout';

export async function walkRouteMatrix(app: FastifyInstance, credentialsByRole: CredentialsByRole, options: MatrixOptions = {}): Promise<MatrixRow[]> {
  for (const role of ALL_ROLES) {
    if (!credentialsByRole[role]) throw new Error(`walkRouteMatrix: no credentials for role ${role}`);
  }
  const routes = listRoutes(app)
    .filter((r) => !('public' in r.access) && r.method !== 'OPTIONS' && !options.skip?.(r))
    .sort((a, b) => Number(isAuthEnd(a)) - Number(isAuthEnd(b)));

  const rows: MatrixRow[] = [];
  for (const route of routes) {
    if ('public' in route.access) continue;
    const anonymous = await statusOf(app, route, {});
    rows.push({ method: route.method, url: route.url, caller: 'anonymous', expected: 401, status: anonymous, ok: anonymous === 401 });
    for (const role of ALL_ROLES) {
      // A costs-only route (turnover) is closed to a role that does not see costs by default.
      const allowed = route.access.roles.includes(role) && (!route.access.costs || seesCosts({ role }));
      const status = await statusOf(app, route, credentialsByRole[role]);
      const ok = allowed ? status !== 401 && status !== 403 && (options.allow5xx || status < 500) : status === 403;
      rows.push({ method: route.method, url: route.url, caller: role, expected: allowed ? 'allowed' : 403, status, ok });
    }
  }
  const failures = rows.filter((r) => !r.ok);
  if (failures.length > 0) throw new RouteMatrixFailure(failures);
  return rows;
}
