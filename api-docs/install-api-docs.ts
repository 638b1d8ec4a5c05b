/**
 * The OpenAPI 3.1 document served at `/docs/json`: @fastify/swagger's options (servers, tags,
 * problem answers) and the `onRoute` hook that applies route-meta.ts to every route. The
 * document is finished in `transformObject`, at generation time, so nothing here changes how a
 * route validates or serializes.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { PROBLEM_ANSWERS, PROBLEM_SCHEMA, problemComponents, problemsOf } from './problem-responses';
import { ROUTE_META, TAGS, routeKey } from './route-meta';

const DESCRIPTION = [
  'Real-time, event-sourced inventory for retail chains.',
  '',
  'Conventions: JSON in and out; quantities are integer units; money fields named `...Cost`, `...Value`, `...Price` are integer minor units (cents) of the configured currency.',
  'Every read accepts `minPosition` (read your own writes) and answers with the `position` it reflects; reads carry an `ETag` and answer `304` to `If-None-Match`.',
  'Errors are `application/problem+json` (RFC 9457). Every answer past the access check carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (IETF draft fields); a 429 carries `Retry-After`.',
  'Lists page with `limit` and `cursor` (pass back `nextCursor`) and filter with the same names everywhere: `locationId`, `sku`, `from`, `to` (instants; `from` inclusive, `to` exclusive), `asOf`.',
  'Bulk data: `/api/exports/*` stream CSV or NDJSON of any size (gzip on `Accept-Encoding`), resumable with `cursor`.',
].join('\n');

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

type Operation = { parameters?: unknown[]; requestBody?: unknown; security?: unknown[]; responses?: Record<string, unknown> };

/** Adds the problem answers each operation can give, unless the route documents its own. */
function withProblems(document: Record<string, unknown>): Record<string, unknown> {
  const paths = (document.paths ?? {}) as Record<string, Record<string, Operation>>;
  for (const [path, item] of Object.entries(paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const responses = { ...(operation.responses ?? {}) };
      // Reads carry an ETag; a matching If-None-Match answers 304 (read-api/caching/etag.ts).
      if (method === 'get') responses['304'] ??= { $ref: '#/components/responses/NotModified' };
      for (const status of problemsOf(method, path, operation)) {
        responses[String(status)] ??= { $ref: `#/components/responses/${PROBLEM_ANSWERS[status].name}` };
      }
      operation.responses = responses;
    }
  }
  return document;
}

export function openApiOptions(options: { port?: number; host?: string } = {}): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      // 3.1: its schemas are JSON Schema 2020-12, so schemas/ goes in unchanged.
      openapi: '3.1.0',
      info: {
        title: 'Stocktide API', version: '0.1.0', description: DESCRIPTION,
        license: { name: 'Proprietary', identifier: 'LicenseRef-Stocktide' },
      },
      servers: [{
        url: 'http://{host}:{port}', description: 'A Stocktide server (npm start listens on 127.0.0.1:3000 by default)',
        variables: { host: { default: options.host ?? '127.0.0.1' }, port: { default: String(options.port ?? 3000) } },
      }],
      tags: TAGS.map((tag) => ({ ...tag })),
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A session token (POST /api/auth/login) or an API token (POST /api/tokens)' },
        },
        schemas: { Problem: PROBLEM_SCHEMA as unknown as Record<string, unknown> },
        responses: {
          ...problemComponents(),
          NotModified: {
            description: 'The answer has not changed since the ETag sent in If-None-Match: no body',
            headers: { ETag: { description: 'The same validator', schema: { type: 'string' } } },
          },
        } as never,
      },
      security: [{ bearer: [] }],
    },
    transformObject: (documentObject) => withProblems('openapiObject' in documentObject ? documentObject.openapiObject as Record<string, unknown> : documentObject.swaggerObject as Record<string, unknown>) as never,
  };
}

/**
 * Applies route-meta.ts to each route as it is registered (register before any route).
 * Routes without a row stay in the document without an operationId; the int test names them.
 */
export function installApiDocs(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const method = methods.find((m) => m !== 'HEAD' && m !== 'OPTIONS');
    if (!method || (route.schema as { hide?: boolean } | undefined)?.hide) return;
    const meta = ROUTE_META[routeKey(method, route.url)];
    const access = route.config?.access;
    const schema: Record<string, unknown> = { ...(route.schema ?? {}) };
    if (access && 'public' in access) schema.security = [];
    if (meta) {
      schema.operationId = meta.operationId;
      if (meta.summary) schema.summary = meta.summary;
      if (meta.tags) schema.tags = [...meta.tags];
      if (meta.hiddenAlias) schema.hide = true;
    }
    route.schema = schema;
  });
}
