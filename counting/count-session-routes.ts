/**
 * Count sessions over HTTP (CONTRACT.md, "Count sessions"):
 * - `POST /api/count-sessions` (manager) opens a count of a location, optionally scoped and blind;
 * - `POST /api/count-sessions/{id}/scans` (staff of the location) adds scans from a phone;
 * - `GET /api/count-sessions/{id}` the review; `GET /api/count-sessions?locationId&status` the list;
 * - `POST /api/count-sessions/{id}/recount` · `/post` · `/cancel` (manager).
 * Posting appends ordinary stock counts (posting.ts) through the stock command service.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { skuOfBarcode } from '../catalog/barcode-lookup';
import { normaliseGtin } from '../catalog/gtin';
import { COLLECTIONS, type ProductDoc } from '../projections/models/collections';
import type { ReadStore } from '../projections/readstore/port';
import { PURCHASING, type SupplierDoc } from '../purchasing/projection/collections';
import { awaitMinPosition, type ConsistencyDeps } from '../read-api/respond';
import {
  CancelCountSession, CountSessionParams, CountSessionQuery, CountSessionsQuery, OpenCountSession, PostCountSession, RecordCountScans, RequestRecount,
} from '../schemas/counting';
import { MANAGERS, OPERATORS, READERS, actorOf, assertLocationAccess, principalOf, visibleLocations } from '../server/http/access';
import { HttpProblem } from '../server/http/problem';
import { decideOnStream } from '../write-side/commands/decide-on-stream';
import { newId } from '../write-side/commands/ids';
import type { CommandContext, StockCommands } from '../write-side/commands/types';
import { BusinessRuleViolation, NotFound } from '../write-side/domain/errors';
import type { EventStore } from '../write-side/eventstore/port';
import { countSessionDecider, type CountSessionCommand, type ScanLine } from './decide-count-session';
import { COUNTING, type CountSessionDoc } from './count-session-projection';
import { countSessionStream, type CountSessionEvent, type CountSessionState } from './count-session-state';
import { sessionView } from './count-session-view';

export interface CountSessionRouteDeps extends ConsistencyDeps {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  readonly commands: StockCommands;
  readonly clock?: () => Date;
}

type Field = { instancePath: string; message: string };
const badFields = (detail: string, errors: Field[]) => new HttpProblem(400, detail, { errors });

export async function countSessionRoutes(app: FastifyInstance, deps: CountSessionRouteDeps): Promise<void> {
  const clock = deps.clock ?? (() => new Date());
  const preHandler = awaitMinPosition(deps);
  const metadataOf = (request: FastifyRequest) => ({ actor: actorOf(request), source: 'api', correlationId: request.id });

  /** The session as its stream says (authoritative for access checks, never behind the log). */
  const sessionOf = async (id: string): Promise<Extract<CountSessionState, { opened: true }>> => {
    const recorded = await deps.eventStore.readStream(countSessionStream(id));
    const state = recorded.reduce(
      (s, r) => countSessionDecider.evolve(s, { type: r.type, data: r.data } as CountSessionEvent), countSessionDecider.initial(),
    );
    if (!state.opened) throw new NotFound(`unknown count session ${id}`, 'unknown-count-session');
    return state;
  };
  const decide = (request: FastifyRequest, id: string, command: CountSessionCommand) =>
    decideOnStream(deps.eventStore, countSessionStream(id), countSessionDecider, command, metadataOf(request));

  /** Resolves each line to a SKU of the catalog; every line that cannot be is named in one 400. */
  const resolveLines = async (lines: FromSchema<typeof RecordCountScans>['lines']): Promise<ScanLine[]> => {
    const errors: Field[] = [];
    const out: ScanLine[] = [];
    for (const [i, line] of lines.entries()) {
      if ((line.sku === undefined) === (line.barcode === undefined)) {
        errors.push({ instancePath: `/lines/${i}`, message: 'must have either sku or barcode' });
        continue;
      }
      let sku: string | null | undefined = line.sku;
      if (line.barcode !== undefined) {
        // A GTIN is looked up in any of its forms; other symbologies (Code 128, QR) may carry the SKU itself.
        sku = normaliseGtin(line.barcode) !== undefined ? await skuOfBarcode(deps.readStore, line.barcode) : line.barcode.trim();
      }
      const product = sku ? await deps.readStore.get<ProductDoc>(COLLECTIONS.products, sku) : undefined;
      if (!sku || !product) {
        errors.push(line.barcode !== undefined
          ? { instancePath: `/lines/${i}/barcode`, message: `no product has the barcode ${line.barcode}` }
          : { instancePath: `/lines/${i}/sku`, message: `unknown sku ${line.sku}` });
        continue;
      }
      out.push({ scanId: line.scanId, sku, quantity: line.quantity, countedAt: new Date(line.countedAt).toISOString() });
    }
    if (errors.length > 0) throw badFields('lines: not every scan names a known product', errors);
    return out;
  };

  app.post<{ Body: FromSchema<typeof OpenCountSession> }>('/api/count-sessions', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['counting'], summary: 'Open a count session for a location (scope: SKUs, a supplier\'s SKUs, a category\'s SKUs, a zone label; blind hides expected quantities from counters)', body: OpenCountSession },
  }, async (request, reply) => {
    const { locationId, scope = {}, blind = false } = request.body;
    assertLocationAccess(request, locationId);
    if (!(await deps.readStore.get(COLLECTIONS.locations, locationId))) throw new NotFound(`unknown location ${locationId}`, 'unknown-location');
    let skus = scope.skus ? [...scope.skus] : undefined;
    if (scope.supplierId !== undefined) {
      const supplier = await deps.readStore.get<SupplierDoc>(PURCHASING.suppliers, scope.supplierId);
      if (!supplier) throw badFields(`unknown supplier ${scope.supplierId}`, [{ instancePath: '/scope/supplierId', message: 'unknown supplier' }]);
      const bySupplier = supplier.prices.map((p) => p.sku);
      skus = skus ? skus.filter((s) => bySupplier.includes(s)) : bySupplier;
      if (skus.length === 0) throw badFields('the scope holds no SKU', [{ instancePath: '/scope', message: 'no SKU is both listed and supplied by this supplier' }]);
    }
    if (scope.category !== undefined) {
      const inCategory = (await deps.readStore.find<ProductDoc>(COLLECTIONS.products, { where: { category: scope.category }, orderBy: [['_id', 'asc']] })).map((p) => p.sku);
      if (inCategory.length === 0) throw badFields(`no product has the category ${scope.category}`, [{ instancePath: '/scope/category', message: 'no product has this category' }]);
      skus = skus ? skus.filter((s) => inCategory.includes(s)) : inCategory;
      if (skus.length === 0) throw badFields('the scope holds no SKU', [{ instancePath: '/scope', message: 'no SKU of the scope is in this category' }]);
      // The session's event holds its SKUs (at most 5,000): a larger category is counted in parts.
      if (skus.length > 5000) throw badFields(`the category holds ${skus.length} SKUs, more than one session counts`, [{ instancePath: '/scope/category', message: 'more than 5000 SKUs: add skus or a supplier to narrow it' }]);
    }
    if (skus) {
      const known = await deps.readStore.getMany<ProductDoc>(COLLECTIONS.products, skus);
      const unknown = skus.filter((s) => !known.has(s));
      if (unknown.length > 0) throw badFields(`unknown SKUs: ${unknown.slice(0, 10).join(', ')}`, [{ instancePath: '/scope/skus', message: `unknown sku ${unknown[0]}` }]);
    }
    const sessionId = request.body.id ?? newId();
    const result = await decide(request, sessionId, {
      type: 'OpenCountSession', sessionId, locationId, blind, openedBy: principalOf(request).username, now: clock().toISOString(),
      scope: { ...(skus && { skus }), ...(scope.supplierId !== undefined && { supplierId: scope.supplierId }),
        ...(scope.category !== undefined && { category: scope.category }), ...(scope.zone !== undefined && { zone: scope.zone }) },
    });
    return reply.code(201).send({ id: sessionId, position: result.position.toString(), ...(result.duplicate && { duplicate: true }) });
  });

  app.get<{ Querystring: FromSchema<typeof CountSessionsQuery> }>('/api/count-sessions', {
    config: { access: { roles: READERS } }, preHandler,
    schema: { tags: ['counting'], summary: 'Count sessions of the caller\'s locations, newest first', querystring: CountSessionsQuery },
  }, async (request) => {
    const { locationId, status } = request.query;
    if (locationId) assertLocationAccess(request, locationId);
    const scope = visibleLocations(request);
    const all = await deps.readStore.find<CountSessionDoc>(COUNTING.sessions, {
      where: { ...(locationId && { locationId }) }, orderBy: [['positionKey', 'desc']], limit: 200,
    });
    const items = all
      .filter((s) => scope === 'all' || scope.includes(s.locationId))
      .map((s) => ({
        id: s.sessionId, locationId: s.locationId, status: s.status === 'posting' ? 'posted' as const : s.status, blind: s.blind, scope: s.scope,
        openedBy: s.openedBy, openedAt: s.openedAt, skusCounted: s.lines.length, units: s.lines.reduce((n, l) => n + l.counted, 0),
        // A post that stopped half-way lists as posted with postingComplete false: posting it again resumes it.
        ...((s.status === 'posting' || s.status === 'posted') && { postingComplete: s.status === 'posted' }),
      }))
      .filter((s) => status === undefined || s.status === status);
    return { items, position: deps.currentPosition().toString() };
  });

  app.get<{ Params: FromSchema<typeof CountSessionParams>; Querystring: FromSchema<typeof CountSessionQuery> }>('/api/count-sessions/:id', {
    config: { access: { roles: READERS } }, preHandler,
    schema: { tags: ['counting'], summary: 'A count session: counted per SKU; expected (as of the start), variance and its value for whom may see them', params: CountSessionParams, querystring: CountSessionQuery },
  }, async (request) => {
    const session = await deps.readStore.get<CountSessionDoc>(COUNTING.sessions, request.params.id);
    if (!session) throw new NotFound(`unknown count session ${request.params.id}`, 'unknown-count-session');
    assertLocationAccess(request, session.locationId);
    return { ...(await sessionView(deps.readStore, principalOf(request), session)), position: deps.currentPosition().toString() };
  });

  app.post<{ Params: FromSchema<typeof CountSessionParams>; Body: FromSchema<typeof RecordCountScans> }>('/api/count-sessions/:id/scans', {
    config: { access: { roles: OPERATORS } },
    schema: { tags: ['counting'], summary: 'Add scans from a phone; a repeated scanId adds nothing; every phone\'s quantities add up', params: CountSessionParams, body: RecordCountScans },
  }, async (request, reply) => {
    const session = await sessionOf(request.params.id);
    assertLocationAccess(request, session.session.locationId);
    const lines = await resolveLines(request.body.lines);
    const result = await decide(request, request.params.id, {
      type: 'RecordCountScans', sessionId: request.params.id, deviceId: request.body.deviceId, countedBy: principalOf(request).username,
      lines, now: clock().toISOString(),
    });
    const recorded = result.events.reduce((n, e) => n + (e.type === 'CountScansRecorded' ? e.data.lines.length : 0), 0);
    return reply.code(201).send({
      id: request.params.id, position: result.position.toString(), recorded, lines: lines.map((l) => ({ scanId: l.scanId, sku: l.sku })),
      ...(result.duplicate && { duplicate: true }),
    });
  });

  app.post<{ Params: FromSchema<typeof CountSessionParams>; Body: FromSchema<typeof RequestRecount> }>('/api/count-sessions/:id/recount', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['counting'], summary: 'Ask for SKUs to be counted again (what was counted for them no longer counts)', params: CountSessionParams, body: RequestRecount },
  }, async (request, reply) => {
    const session = await sessionOf(request.params.id);
    assertLocationAccess(request, session.session.locationId);
    const result = await decide(request, request.params.id, {
      type: 'RequestRecount', sessionId: request.params.id, skus: request.body.skus, requestedBy: principalOf(request).username, now: clock().toISOString(),
    });
    return reply.code(201).send({ id: request.params.id, position: result.position.toString() });
  });

  app.post<{ Params: FromSchema<typeof CountSessionParams>; Body: FromSchema<typeof PostCountSession> | undefined }>('/api/count-sessions/:id/post', {
    config: { access: { roles: MANAGERS } },
    schema: {
      tags: ['counting'], params: CountSessionParams, body: PostCountSession,
      summary: 'Post a count session: appends the counts, each as of its SKU\'s first scan; posting again resumes a post that stopped (drop: SKUs to leave out where the stock refuses their count); a second post of a complete one is 409',
    },
  }, async (request, reply) => {
    const id = request.params.id;
    const before = await sessionOf(id);
    assertLocationAccess(request, before.session.locationId);
    const postedBy = principalOf(request).username;
    await decide(request, id, { type: 'StartPosting', sessionId: id, postedBy, now: clock().toISOString() });
    // The counts were fixed when posting started (by this request or one that stopped half-way).
    const frozen = await sessionOf(id);
    const ctx: CommandContext = { actor: actorOf(request), source: 'api', correlationId: request.id, causationId: `count-session:${id}`, now: clock() };
    const drop = new Set(request.body?.drop ?? []);
    const countAt = (count: { countId: string; countedAt: string; lines: Array<{ sku: string; countedQuantity: number }> }) =>
      deps.commands.countStock({ locationId: frozen.session.locationId, countId: count.countId, countedAt: count.countedAt, lines: count.lines }, ctx);
    for (const count of frozen.posting?.counts ?? []) {
      try {
        await countAt(count);
      } catch (error) {
        // Only a count the stock refuses loses the lines the manager agreed to leave out; the
        // session records them first, so a post resumed after a crash does not append them either.
        const leaving = count.lines.filter((l) => drop.has(l.sku)).map((l) => l.sku);
        if (!(error instanceof BusinessRuleViolation) || leaving.length === 0) throw error;
        await decide(request, id, { type: 'DropPostingLines', sessionId: id, skus: leaving, postedBy, now: clock().toISOString() });
        const rest = count.lines.filter((l) => !drop.has(l.sku));
        if (rest.length > 0) await countAt({ ...count, lines: rest });
      }
    }
    const done = await decide(request, id, { type: 'CompletePosting', sessionId: id, postedBy, now: clock().toISOString() });
    const dropped = (await sessionOf(id)).posting?.dropped;
    return reply.code(201).send({ id, position: done.position.toString(), counts: frozen.posting?.counts.length ?? 0, ...(dropped?.length && { dropped }) });
  });

  app.post<{ Params: FromSchema<typeof CountSessionParams>; Body: FromSchema<typeof CancelCountSession> }>('/api/count-sessions/:id/cancel', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['counting'], summary: 'Cancel an open count session (nothing is posted)', params: CountSessionParams, body: CancelCountSession },
  }, async (request, reply) => {
    const session = await sessionOf(request.params.id);
    assertLocationAccess(request, session.session.locationId);
    const result = await decide(request, request.params.id, {
      type: 'CancelCountSession', sessionId: request.params.id, cancelledBy: principalOf(request).username, now: clock().toISOString(),
      ...(request.body?.reason !== undefined && { reason: request.body.reason }),
    });
    return reply.code(201).send({ id: request.params.id, position: result.position.toString() });
  });
}
