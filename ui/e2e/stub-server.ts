/**
 * A small in-memory server that follows CONTRACT.md closely enough to drive the dashboard
 * while the real composition (`server/app.ts`) is incomplete. Same demo chain, same auth
 * flow (HttpOnly cookie + CSRF header, or Bearer), same problem+json errors, same SSE frames.
 * Only for the browser tests; never part of the product.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { ServerResponse } from 'node:http';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { commandSchemas } from '../../schemas/commands';
import { validatorFor } from '../../schemas/validation';
import { HttpProblem, sendProblem, toProblem } from '../../server/http/problem';
import { demoLocations, demoProducts } from '../../server/demo/demo-chain';
import type { CommandBody } from '../../schemas/types';

type Role = 'admin' | 'manager' | 'staff' | 'analyst' | 'auditor';
interface StubUser { password: string; role: Role; locations: string[] }
interface Session { username: string; csrf: string }
interface Stock { locationId: string; sku: string; onHand: number; inTransitIn: number; inTransitOut: number; reorderPoint?: number; value: number }
interface TransferDoc { id: string; fromLocationId: string; toLocationId: string; status: string; createdAt: string; lastPosition: string; lines: Array<{ sku: string; quantity: number; dispatched: number; received: number; shortfall: number }> }

const UI_DIST = join(import.meta.dirname, '..', 'dist');
const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.svg': 'image/svg+xml' };

export async function startStubServer(adminPassword: string): Promise<{ url: string; close(): Promise<void> }> {
  let position = 0n;
  const users = new Map<string, StubUser>([['admin', { password: adminPassword, role: 'admin', locations: [] }]]);
  const sessions = new Map<string, Session>();
  const stock = new Map<string, Stock>();
  const movements: Array<Record<string, unknown>> = [];
  const transfers = new Map<string, TransferDoc>();
  const clients = new Set<{ raw: ServerResponse; principal: StubUser }>();
  const unitCost = (sku: string) => demoProducts.find((p) => p.sku === sku)?.unitCost ?? 0;

  const cell = (locationId: string, sku: string): Stock => {
    const key = `${locationId}|${sku}`;
    let s = stock.get(key);
    if (!s) {
      s = { locationId, sku, onHand: 0, inTransitIn: 0, inTransitOut: 0, reorderPoint: demoProducts.find((p) => p.sku === sku)?.reorderPoint, value: 0 };
      stock.set(key, s);
    }
    return s;
  };
  const publish = (s: Stock) => {
    const frame = `id: ${position}\nevent: stock\ndata: ${JSON.stringify({ locationId: s.locationId, sku: s.sku, onHand: s.onHand, inTransitIn: s.inTransitIn, inTransitOut: s.inTransitOut, position: String(position) })}\n\n`;
    for (const c of clients) if (c.principal.role !== 'manager' && c.principal.role !== 'staff' || c.principal.locations.includes(s.locationId)) c.raw.write(frame);
  };
  const move = (locationId: string, sku: string, quantity: number, type: string, actor: string, reference?: string) => {
    position += 1n;
    const s = cell(locationId, sku);
    s.onHand += quantity;
    s.value = Math.max(0, s.onHand) * unitCost(sku);
    movements.unshift({ position: String(position), occurredAt: new Date().toISOString(), recordedAt: new Date().toISOString(), type, locationId, sku, quantity, balance: s.onHand, actor, source: 'api', effective: true, ...(reference ? { reference } : {}) });
    publish(s);
  };
  const known = (locationId: string, skus: string[]) => {
    if (!demoLocations.some((l) => l.id === locationId)) throw new HttpProblem(404, `unknown location ${locationId}`);
    for (const sku of skus) if (!demoProducts.some((p) => p.sku === sku)) throw new HttpProblem(404, `unknown sku ${sku}`);
  };

  // The demo chain: every location holds every product.
  for (const [i, l] of demoLocations.entries()) for (const [j, p] of demoProducts.entries()) move(l.id, p.sku, l.type === 'warehouse' ? 120 + j * 10 : 18 + ((j * 7 + i * 5) % 15), 'receipt', 'demo');

  const app = Fastify({ logger: false });
  app.setValidatorCompiler(({ schema }) => validatorFor(schema));
  app.setErrorHandler((error, _request, reply) => sendProblem(reply, toProblem(error)));

  const principal = (request: FastifyRequest): StubUser & { username: string } => {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const cookie = /(?:^|;\s*)st_session=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
    const session = sessions.get(bearer ?? cookie ?? '');
    const user = session && users.get(session.username);
    if (!session || !user) throw new HttpProblem(401, 'no or bad credentials');
    if (!bearer && request.method !== 'GET' && request.headers['x-csrf-token'] !== session.csrf) throw new HttpProblem(403, 'missing or bad CSRF token');
    return { ...user, username: session.username };
  };
  const allow = (request: FastifyRequest, roles: Role[], ...locationIds: string[]) => {
    const p = principal(request);
    if (!roles.includes(p.role)) throw new HttpProblem(403, `role ${p.role} may not do this`);
    for (const id of locationIds) if ((p.role === 'manager' || p.role === 'staff') && !p.locations.includes(id)) throw new HttpProblem(403, `no access to location ${id}`);
    return p;
  };
  const readers: Role[] = ['admin', 'manager', 'staff', 'analyst', 'auditor'];
  const operators: Role[] = ['admin', 'manager', 'staff'];
  const answer = (reply: FastifyReply, extra: Record<string, unknown> = {}) => reply.code(201).send({ position: String(position), ...extra });
  const scoped = (request: FastifyRequest, locationId?: string) => {
    const p = allow(request, readers, ...(locationId ? [locationId] : []));
    return (id: string) => (!locationId || id === locationId) && (p.role !== 'manager' && p.role !== 'staff' || p.locations.includes(id));
  };

  app.get('/health', async () => ({ status: 'ok', eventStore: 'embedded', readStore: 'embedded', position: String(position) }));
  app.get('/api/config', async () => ({ currency: 'USD' }));
  app.post<{ Body: CommandBody<'Login'> }>('/api/auth/login', { schema: { body: commandSchemas.Login } }, async (request, reply) => {
    const user = users.get(request.body.username);
    if (!user || user.password !== request.body.password) throw new HttpProblem(401, 'wrong username or password');
    const token = randomUUID();
    const csrfToken = randomUUID();
    sessions.set(token, { username: request.body.username, csrf: csrfToken });
    reply.header('set-cookie', `st_session=${token}; HttpOnly; SameSite=Strict; Path=/`);
    return { token, csrfToken, user: { username: request.body.username, role: user.role, locations: user.locations } };
  });
  app.post('/api/auth/logout', async () => ({}));
  app.post<{ Body: { username: string; password: string; role: Role; locations?: string[] } }>('/api/users', async (request, reply) => {
    allow(request, ['admin']);
    const { username, password, role, locations = [] } = request.body;
    users.set(username, { password, role, locations });
    return reply.code(201).send({ username, role, locations });
  });
  app.get('/api/locations', async (request) => (scoped(request), { items: demoLocations, position: String(position) }));
  app.get('/api/products', async (request) => (scoped(request), { items: demoProducts, position: String(position) }));
  app.get<{ Querystring: { locationId?: string } }>('/api/stock', async (request) => {
    const visible = scoped(request, request.query.locationId);
    return { items: [...stock.values()].filter((s) => visible(s.locationId)), position: String(position) };
  });
  app.get<{ Querystring: { locationId?: string; sku?: string; limit?: string; cursor?: string } }>('/api/movements', async (request) => {
    const visible = scoped(request, request.query.locationId);
    const all = movements.filter((m) => visible(String(m.locationId)) && (!request.query.sku || m.sku === request.query.sku));
    const start = Number(request.query.cursor ?? 0);
    const limit = Number(request.query.limit ?? 50);
    const next = start + limit < all.length ? String(start + limit) : undefined;
    return { items: all.slice(start, start + limit), ...(next ? { nextCursor: next } : {}), position: String(position) };
  });
  app.get('/api/alerts', async (request) => {
    const visible = scoped(request);
    const items = [...stock.values()].filter((s) => visible(s.locationId) && (s.onHand < 0 || (s.reorderPoint !== undefined && s.onHand <= s.reorderPoint)))
      .map((s) => ({ id: `${s.onHand < 0 ? 'negative' : 'low'}|${s.locationId}|${s.sku}`, alertType: s.onHand < 0 ? 'negative_stock' : 'low_stock', locationId: s.locationId, sku: s.sku, message: `${s.sku} at ${s.locationId}: ${s.onHand} on hand`, raisedAt: new Date().toISOString() }));
    return { items, position: String(position) };
  });
  app.get('/api/transfers', async (request) => {
    const visible = scoped(request);
    return { items: [...transfers.values()].filter((t) => visible(t.fromLocationId) || visible(t.toLocationId)), position: String(position) };
  });
  app.get('/api/analytics/aging', async (request) => (scoped(request), {
    buckets: ['0-30', '31-60', '61-90', '90+'].map((bucket, i) => ({ bucket, quantity: i === 0 ? [...stock.values()].reduce((n, s) => n + s.onHand, 0) : 0, value: i === 0 ? [...stock.values()].reduce((n, s) => n + s.value, 0) : 0 })),
    position: String(position),
  }));
  app.get<{ Querystring: { from?: string; to?: string } }>('/api/analytics/turnover', async (request) => {
    scoped(request);
    if (request.query.from && !/^\d{4}-\d{2}-\d{2}$/.test(request.query.from)) throw new HttpProblem(400, 'querystring/from must match format "date"');
    const figures = { cogs: 123_400, averageInventoryValue: 987_600, turnover: 0.12, daysOfInventory: 243 };
    return { from: request.query.from, to: request.query.to, days: 30, ...figures, locations: demoLocations.map((l) => ({ locationId: l.id, ...figures })), items: [], position: String(position) };
  });
  app.get('/api/pos/quarantine', async (request) => (allow(request, ['admin', 'manager']), { items: [], position: String(position) }));

  app.post<{ Body: CommandBody<'ReceiveStock'> }>('/api/stock/receipts', { schema: { body: commandSchemas.ReceiveStock } }, async (request, reply) => {
    const p = allow(request, operators, request.body.locationId);
    known(request.body.locationId, request.body.lines.map((l) => l.sku));
    for (const l of request.body.lines) move(request.body.locationId, l.sku, l.quantity, 'receipt', p.username, request.body.reference);
    return answer(reply);
  });
  app.post<{ Body: CommandBody<'AdjustStock'> }>('/api/stock/adjustments', { schema: { body: commandSchemas.AdjustStock } }, async (request, reply) => {
    const { locationId, sku, quantity } = request.body;
    const p = allow(request, operators, locationId);
    known(locationId, [sku]);
    if (cell(locationId, sku).onHand + quantity < 0) throw new HttpProblem(409, `insufficient stock: ${sku} at ${locationId} has ${cell(locationId, sku).onHand}`);
    move(locationId, sku, quantity, 'adjustment', p.username);
    return answer(reply);
  });
  app.post<{ Body: CommandBody<'CountStock'> }>('/api/stock/counts', { schema: { body: commandSchemas.CountStock } }, async (request, reply) => {
    const p = allow(request, operators, request.body.locationId);
    known(request.body.locationId, request.body.lines.map((l) => l.sku));
    for (const l of request.body.lines) move(request.body.locationId, l.sku, l.countedQuantity - cell(request.body.locationId, l.sku).onHand, 'count', p.username);
    return answer(reply);
  });
  app.post<{ Body: CommandBody<'RecordSale'> }>('/api/stock/sales', { schema: { body: commandSchemas.RecordSale } }, async (request, reply) => {
    const p = allow(request, ['admin', 'manager'], request.body.locationId);
    for (const l of request.body.lines) move(request.body.locationId, l.sku, -l.quantity, 'sale', p.username);
    return answer(reply);
  });
  app.post<{ Body: CommandBody<'CreateTransfer'> }>('/api/transfers', { schema: { body: commandSchemas.CreateTransfer } }, async (request, reply) => {
    const { fromLocationId, toLocationId, lines } = request.body;
    allow(request, ['admin', 'manager'], fromLocationId);
    known(fromLocationId, lines.map((l) => l.sku));
    known(toLocationId, []);
    if (fromLocationId === toLocationId) throw new HttpProblem(409, 'a transfer needs two different locations');
    const id = request.body.id ?? `tr-${transfers.size + 1}`;
    position += 1n;
    transfers.set(id, { id, fromLocationId, toLocationId, status: 'created', createdAt: new Date().toISOString(), lastPosition: String(position), lines: lines.map((l) => ({ ...l, dispatched: 0, received: 0, shortfall: 0 })) });
    return answer(reply, { id });
  });
  app.post<{ Params: { id: string } }>('/api/transfers/:id/dispatch', async (request, reply) => {
    const t = transfers.get(request.params.id);
    if (!t) throw new HttpProblem(404, `unknown transfer ${request.params.id}`);
    const p = allow(request, ['admin', 'manager'], t.fromLocationId);
    if (t.status !== 'created') throw new HttpProblem(409, `transfer ${t.id} is ${t.status}`);
    for (const l of t.lines) if (cell(t.fromLocationId, l.sku).onHand < l.quantity) throw new HttpProblem(409, `insufficient stock: ${l.sku}`);
    for (const l of t.lines) {
      move(t.fromLocationId, l.sku, -l.quantity, 'transfer_out', p.username);
      cell(t.fromLocationId, l.sku).inTransitOut += l.quantity;
      cell(t.toLocationId, l.sku).inTransitIn += l.quantity;
      l.dispatched = l.quantity;
    }
    t.status = 'dispatched';
    return answer(reply);
  });
  app.post<{ Params: { id: string }; Body: CommandBody<'ReceiveTransfer'> }>('/api/transfers/:id/receive', { schema: { body: commandSchemas.ReceiveTransfer } }, async (request, reply) => {
    const t = transfers.get(request.params.id);
    if (!t) throw new HttpProblem(404, `unknown transfer ${request.params.id}`);
    const p = allow(request, operators, t.toLocationId);
    if (t.status !== 'dispatched' && t.status !== 'partially_received') throw new HttpProblem(409, `transfer ${t.id} is ${t.status}`);
    const final = request.body.final ?? true;
    for (const l of t.lines) {
      const open = l.quantity - l.received - l.shortfall;
      const got = request.body.lines?.find((x) => x.sku === l.sku)?.quantity ?? open;
      if (got > open) throw new HttpProblem(409, `more ${l.sku} received than outstanding (${open})`);
      const short = final ? open - got : 0;
      if (got > 0) move(t.toLocationId, l.sku, got, 'transfer_in', p.username);
      l.received += got;
      l.shortfall += short;
      cell(t.fromLocationId, l.sku).inTransitOut -= got + short;
      cell(t.toLocationId, l.sku).inTransitIn -= got + short;
    }
    t.status = t.lines.every((l) => l.received + l.shortfall === l.quantity) ? 'received' : 'partially_received';
    return answer(reply);
  });

  app.get('/api/stream', (request, reply) => {
    const p = allow(request, readers);
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    reply.raw.write(': connected\n\n');
    const client = { raw: reply.raw, principal: p };
    clients.add(client);
    request.raw.on('close', () => clients.delete(client));
  });

  // The dashboard, with the SPA fallback the real server has.
  app.setNotFoundHandler((request, reply) => {
    const path = (request.url.split('?')[0] ?? '/').replace(/\.\.+/g, '');
    if (path.startsWith('/api/')) return sendProblem(reply, toProblem(new HttpProblem(404, `no route ${request.method} ${path}`)));
    const file = join(UI_DIST, path === '/' ? 'index.html' : path);
    const target = existsSync(file) && extname(file) ? file : join(UI_DIST, 'index.html');
    return reply.type(types[extname(target)] ?? 'application/octet-stream').send(readFileSync(target));
  });

  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    async close() {
      for (const c of clients) c.raw.end();
      await app.close();
    },
  };
}
