/**
 * The catalog's HTTP surface (CONTRACT.md, "Catalog import and go-live"):
 * - `POST /api/pos/connections/{id}/imports` → 202 `{id,status}`; `GET /api/pos/imports/{id}`;
 *   `GET /api/pos/imports?connectionId`; `POST /api/pos/imports/{id}/resume`
 * - `PUT /api/pos/connections/{id}/catalog-policy` (who wins on names and prices)
 * - `GET /api/pos/connections/{id}/items` (the derived map)
 * - `GET /api/catalog/alerts`, `POST /api/catalog/alerts/resolve`
 * - `PUT /api/products/{sku}/barcodes`, `PATCH /api/products/{sku}`, `POST /api/products/{sku}/discontinue`
 * - `PUT /api/products/{sku}/category` (managers too: a category scopes their counts)
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { ConnectionIdParams } from '../schemas/pos';
import {
  CatalogAlertsAnswer, CatalogAlertsQuery, CatalogWrite, DiscontinueProduct, ImportIdParams, ImportsAnswer, ImportsQuery, ImportStarted,
  ImportView, PosItemsAnswer, PosItemsQuery, ResolveConflict, SetBarcodes, SetCategory, SkuParams, StartImport, UpdateProduct,
} from '../schemas/catalog';
import { id as idSchema } from '../schemas/common';
import type { ReadStore } from '../projections/readstore/port';
import { ADMINS, MANAGERS, actorOf } from '../server/http/access';
import { HttpProblem } from '../server/http/problem';
import type { ConnectionStore } from '../pos/connections/connection-store';
import type { CommandContext, CommandResult } from '../write-side/commands/types';
import type { CatalogService } from './catalog-service';
import { CATALOG, type CatalogAlertDoc, type PosItemDoc } from './catalog-collections';
import { normaliseGtin } from './gtin';
import type { ImportRunner } from './import/import-runner';
import { PosApiError } from './sources/catalog-source';
import type { CatalogStore, ImportJob } from './store/catalog-store';

export interface CatalogRouteDeps {
  readonly catalog: CatalogService;
  readonly imports: ImportRunner;
  readonly store: CatalogStore;
  readonly connections: ConnectionStore;
  readonly readStore: ReadStore;
  readonly currentPosition: () => bigint;
  /** For `?minPosition=`: resolves true once the read models include the position. */
  readonly waitForPosition?: (position: bigint, timeoutMs: number) => Promise<boolean>;
  readonly clock?: () => Date;
  /** A `push` resolution of a `changed-in-pos` alert: the product push writes over the POS version shown. */
  readonly pushOver?: (connectionId: string, sku: string, posUpdatedAt: string | undefined) => Promise<void>;
}

/** What resolves each kind of conflict (the dashboard shows these as buttons). */
export const ACTIONS: Record<CatalogAlertDoc['conflict'], string[]> = {
  'sku-clash': ['keep', 'merge', 'rename'],
  'sku-changed-with-stock': ['keep', 'merge', 'rename'],
  'deleted-with-stock': ['keep', 'discontinue'],
  'changed-in-pos': ['keep', 'push'],
};

const written = (r: CommandResult) => ({ position: r.position.toString(), ...(r.duplicate && { duplicate: true }) });

export async function catalogRoutes(app: FastifyInstance, deps: CatalogRouteDeps): Promise<void> {
  const clock = deps.clock ?? (() => new Date());
  const admins = { access: { roles: ADMINS } };
  const ctxOf = (request: FastifyRequest): CommandContext => ({ actor: actorOf(request), source: 'api', correlationId: request.id, now: clock() });

  /** `?minPosition=`: wait (at most 5 s) until the read models include it, as every read does. */
  const caughtUp = async (minPosition: string | undefined) => {
    if (minPosition === undefined || !deps.waitForPosition) return;
    if (!(await deps.waitForPosition(BigInt(minPosition), 5000))) throw new HttpProblem(504, `the read models did not reach position ${minPosition} within 5 s`);
  };

  async function viewOf(job: ImportJob) {
    const open = (await deps.connections.listQuarantine({ status: 'open', connectionId: job.connectionId, limit: 10_000 })).length;
    const { startedBy: _s, createLocations: _c, cursor: _cur, phaseDone: _p, ...rest } = job;
    return { ...rest, quarantine: { open, retry: `/api/pos/quarantine/retry-all?connectionId=${encodeURIComponent(job.connectionId)}` } };
  }

  app.post<{ Params: { connectionId: string }; Body: FromSchema<typeof StartImport> }>('/api/pos/connections/:connectionId/imports', {
    config: admins,
    schema: { tags: ['catalog'], summary: 'Import locations, catalog (and opening balances) from a POS', params: ConnectionIdParams, body: StartImport, response: { 202: ImportStarted } },
  }, async (request, reply) => {
    const connection = await deps.connections.getConnection(request.params.connectionId);
    if (!connection || connection.disabled) throw new HttpProblem(404, `no active POS connection ${request.params.connectionId}`);
    const missing = request.body.scope.filter((p) => !deps.imports.supports(p));
    if (missing.length > 0) {
      throw new HttpProblem(400, `scope ${missing.join(', ')} cannot be imported by this server`, { errors: [{ instancePath: '/scope', message: `unsupported: ${missing.join(', ')}` }] });
    }
    let job: ImportJob;
    try {
      job = await deps.imports.start(connection, request.body, actorOf(request).id);
    } catch (error) {
      if (error instanceof PosApiError) throw new HttpProblem(409, error.message);
      throw error;
    }
    return reply.code(202).header('location', `/api/pos/imports/${job.id}`).send({ id: job.id, status: job.status });
  });

  app.get<{ Params: { id: string } }>('/api/pos/imports/:id', {
    config: admins, schema: { tags: ['catalog'], summary: 'Progress, counts and problems of an import', params: ImportIdParams, response: { 200: ImportView } },
  }, async (request) => {
    const job = await deps.store.getImport(request.params.id);
    if (!job) throw new HttpProblem(404, `no import ${request.params.id}`);
    return viewOf(job);
  });

  app.get<{ Querystring: { connectionId?: string } }>('/api/pos/imports', {
    config: admins, schema: { tags: ['catalog'], summary: 'Imports, newest first', querystring: ImportsQuery, response: { 200: ImportsAnswer } },
  }, async (request) => {
    const jobs = await deps.store.listImports(request.query.connectionId ? { connectionId: request.query.connectionId } : {});
    return { items: await Promise.all(jobs.map(viewOf)) };
  });

  app.post<{ Params: { id: string } }>('/api/pos/imports/:id/resume', {
    config: admins, schema: { tags: ['catalog'], summary: 'Resume a failed import where it stopped', params: ImportIdParams, response: { 202: ImportStarted } },
  }, async (request, reply) => {
    const job = await deps.imports.resume(request.params.id);
    if (!job) throw new HttpProblem(404, `no import ${request.params.id}`);
    return reply.code(202).send({ id: job.id, status: job.status });
  });

  app.put<{ Params: { connectionId: string }; Body: { names: 'pos' | 'stocktide'; prices: 'pos' | 'stocktide' } }>('/api/pos/connections/:connectionId/catalog-policy', {
    config: admins,
    schema: {
      tags: ['catalog'], summary: 'Which side wins on names and prices (default: the POS)', params: ConnectionIdParams,
      body: { type: 'object', additionalProperties: false, required: ['names', 'prices'], properties: { names: { type: 'string', enum: ['pos', 'stocktide'] }, prices: { type: 'string', enum: ['pos', 'stocktide'] } } },
    },
  }, async (request) => {
    if (!(await deps.connections.getConnection(request.params.connectionId))) throw new HttpProblem(404, `no POS connection ${request.params.connectionId}`);
    const settings = await deps.store.getSettings(request.params.connectionId);
    await deps.store.putSettings(request.params.connectionId, { ...settings, policy: request.body });
    return request.body;
  });

  app.get<{ Params: { connectionId: string }; Querystring: { minPosition?: string } }>('/api/pos/connections/:connectionId/items', {
    config: admins, schema: { tags: ['catalog'], summary: 'The derived map: POS item ids and the SKUs they are', params: ConnectionIdParams, querystring: PosItemsQuery, response: { 200: PosItemsAnswer } },
  }, async (request) => {
    await caughtUp(request.query.minPosition);
    const docs = await deps.readStore.find<PosItemDoc>(CATALOG.posItems, { where: { connectionId: request.params.connectionId }, orderBy: [['_id', 'asc']] });
    const items = docs.filter((d) => d.aliasOf === undefined && d.posItemId !== '#version').map((d) => ({ posItemId: d.posItemId, sku: d.sku, aliases: d.aliases, ...(d.title !== undefined && { title: d.title }) }));
    return { items, position: deps.currentPosition().toString() };
  });

  app.get<{ Querystring: { status?: 'open' | 'resolved' | 'all'; connectionId?: string; minPosition?: string } }>('/api/catalog/alerts', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['catalog'], summary: 'Catalog conflicts with both sides and their resolutions', querystring: CatalogAlertsQuery, response: { 200: CatalogAlertsAnswer } },
  }, async (request) => {
    const { status = 'open', connectionId } = request.query;
    await caughtUp(request.query.minPosition);
    const docs = await deps.readStore.find<CatalogAlertDoc>(CATALOG.alerts, {
      where: { ...(status !== 'all' && { status }), ...(connectionId && { connectionId }) }, orderBy: [['_id', 'asc']],
    });
    return {
      items: docs.map(({ _id, ...d }) => ({ id: _id, ...d, actions: d.status === 'open' ? ACTIONS[d.conflict] : [] })),
      position: deps.currentPosition().toString(),
    };
  });

  app.post<{ Body: { connectionId: string; conflictId: string } & FromSchema<typeof ResolveConflict> }>('/api/catalog/alerts/resolve', {
    config: admins,
    schema: {
      tags: ['catalog'], summary: 'Resolve a catalog conflict: keep, merge, rename (with sku), discontinue or push',
      body: { ...ResolveConflict, required: ['connectionId', 'conflictId', 'resolution'], properties: { ...ResolveConflict.properties, connectionId: idSchema, conflictId: { type: 'string', minLength: 1, maxLength: 300 } } },
      response: { 200: CatalogWrite },
    },
  }, async (request) => {
    const { connectionId, conflictId, resolution, sku } = request.body;
    const conflict = (await deps.catalog.links(connectionId)).conflicts.get(conflictId);
    const answer = written(await deps.catalog.resolveConflict(connectionId, conflictId, resolution, sku, ctxOf(request)));
    if (conflict?.conflict === 'changed-in-pos' && resolution === 'push') await deps.pushOver?.(connectionId, conflict.sku, conflict.theirs.posUpdatedAt);
    return answer;
  });

  app.put<{ Params: { sku: string }; Body: FromSchema<typeof SetBarcodes> }>('/api/products/:sku/barcodes', {
    config: admins,
    schema: { tags: ['catalog'], summary: 'Set a product\'s barcodes (GTINs, unique across the catalog)', params: SkuParams, body: SetBarcodes, response: { 200: CatalogWrite } },
  }, async (request) => {
    const codes: string[] = [];
    const errors: Array<{ instancePath: string; message: string }> = [];
    request.body.barcodes.forEach((text, i) => {
      const code = normaliseGtin(text);
      if (code === undefined) errors.push({ instancePath: `/barcodes/${i}`, message: 'must be a GTIN (UPC-A, EAN-8, EAN-13 or GTIN-14 with a valid check digit)' });
      else if (!codes.includes(code)) codes.push(code);
    });
    if (errors.length > 0) throw new HttpProblem(400, 'barcodes: not every code is a GTIN', { errors });
    return written(await deps.catalog.setBarcodes(request.params.sku, codes, ctxOf(request)));
  });

  app.patch<{ Params: { sku: string }; Body: FromSchema<typeof UpdateProduct> }>('/api/products/:sku', {
    config: admins, schema: { tags: ['catalog'], summary: 'Rename or reprice a product', params: SkuParams, body: UpdateProduct, response: { 200: CatalogWrite } },
  }, async (request) => written(await deps.catalog.updateProduct(request.params.sku, request.body, ctxOf(request))));

  app.post<{ Params: { sku: string }; Body: FromSchema<typeof DiscontinueProduct> }>('/api/products/:sku/discontinue', {
    config: admins, schema: { tags: ['catalog'], summary: 'Discontinue a product', params: SkuParams, body: DiscontinueProduct, response: { 200: CatalogWrite } },
  }, async (request) => written(await deps.catalog.discontinue(request.params.sku, request.body.reason ?? 'discontinued', ctxOf(request))));

  app.put<{ Params: { sku: string }; Body: FromSchema<typeof SetCategory> }>('/api/products/:sku/category', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['catalog'], summary: 'Set (or with null clear) a product\'s category; the same category again appends nothing', params: SkuParams, body: SetCategory, response: { 200: CatalogWrite } },
  }, async (request) => written(await deps.catalog.categorize(request.params.sku, request.body.category, ctxOf(request))));

}
