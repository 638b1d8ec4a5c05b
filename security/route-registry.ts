/**
 * The route guard: every route must declare `config.access` or the build fails, and
 * every route is remembered so the role × route matrix can walk all of them.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { ALL_ROLES, type RouteAccess } from '../server/http/access';

export interface RouteInfo {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess;
}

const registries = new WeakMap<FastifyInstance, RouteInfo[]>();

/** Every route registered after installSecurity, in registration order (HEAD twins of GET omitted). */
export function listRoutes(app: FastifyInstance): readonly RouteInfo[] {
  const routes = registries.get(app);
  if (!routes) throw new Error('listRoutes: installSecurity was not called on this Fastify instance');
  return routes;
}

/** API and webhook paths never become public by prefix, whatever is configured. */
const isApiPath = (url: string): boolean => url.startsWith('/api/') || url === '/api' || url.startsWith('/pos/');

function checkAccess(access: RouteAccess, where: string): void {
  if ('public' in access) {
    if (access.public !== true) throw new Error(`${where}: access.public must be true`);
    return;
  }
  if (!Array.isArray(access.roles) || access.roles.length === 0) throw new Error(`${where}: access.roles is empty`);
  for (const role of access.roles) {
    if (!ALL_ROLES.includes(role)) throw new Error(`${where}: unknown role ${String(role)}`);
  }
}

/**
 * Installs the onRoute guard on the root instance. Hooks on the root apply to every route
 * added later, in any plugin. `publicPrefixes` lets third-party plugins (static files, API
 * docs) register GET routes without a rule; those become public. They never cover /api or /pos.
 */
export function installRouteGuard(app: FastifyInstance, publicPrefixes: readonly string[] = []): void {
  if (registries.has(app)) throw new Error('installRouteGuard: already installed');
  const routes: RouteInfo[] = [];
  registries.set(app, routes);
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map((m) => m.toUpperCase());
    const where = `route ${methods.join(',')} ${route.url}`;
    let access = route.config?.access;
    if (!access) {
      const readOnly = methods.every((m) => m === 'GET' || m === 'HEAD');
      const byPrefix = publicPrefixes.some((p) => route.url.startsWith(p));
      if (!(readOnly && byPrefix && !isApiPath(route.url))) {
        throw new Error(
          `${where} declares no access rule: add config.access ({ roles: [...] } or { public: true }); ` +
            'public GET routes of third-party plugins can be listed in installSecurity config.publicPrefixes',
        );
      }
      access = { public: true };
      route.config = { ...route.config, access };
    }
    checkAccess(access, where);
    for (const method of methods) {
      // Fastify adds a HEAD twin for every GET; the matrix walks the GET.
      if (method === 'HEAD' && routes.some((r) => r.method === 'GET' && r.url === route.url)) continue;
      routes.push({ method, url: route.url, access });
    }
  });
}
