/**
 * A Fastify app for route tests of one capability, without the security plugin:
 * the header `x-test-principal: <role>:<username>[:<loc1>,<loc2>]` sets the principal.
 * Routes still declare `config.access`; this harness enforces roles the same simple way.
 * Full-stack tests use `server/app.ts` instead.
 */
import type { FastifyInstance } from 'fastify';
import { createFastify } from '../http/fastify-base';
import { Forbidden, seesCosts, type Principal, type Role } from '../http/access';
import { HttpProblem } from '../http/problem';

export function principalHeader(role: Role, username: string = role, locations: string[] = []): Record<string, string> {
  return { 'x-test-principal': `${role}:${username}:${locations.join(',')}` };
}

export function createTestApp(): FastifyInstance {
  const app = createFastify({ logger: false });
  app.addHook('onRoute', (route) => {
    if (!route.config?.access) throw new Error(`route ${route.method} ${route.url} declares no access rule`);
  });
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access;
    if (!access || 'public' in access) return;
    const header = request.headers['x-test-principal'];
    if (typeof header !== 'string') throw new HttpProblem(401, 'no credentials');
    const [role, username, locations] = header.split(':');
    const principal: Principal = {
      role: role as Role,
      username: username ?? 'tester',
      locations: locations ? locations.split(',').filter(Boolean) : [],
      via: 'bearer',
    };
    if (!access.roles.includes(principal.role)) throw new Forbidden(`role ${principal.role} may not call this route`);
    if (access.costs && !seesCosts(principal)) throw new Forbidden('this answer is made of costs');
    request.principal = principal;
  });
  return app;
}
