/** A fake Square API on 127.0.0.1 (port 0): orders by id, inventory counts, locations, the catalog, and the calls it saw. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSquareApi {
  readonly baseUrl: string;
  readonly orders: Map<string, unknown>;
  counts: unknown[];
  /** Locations API answer (`GET /v2/locations`). */
  locations: unknown[];
  /** Catalog objects (type ITEM with variations), listed 100 a page by `GET /v2/catalog/list` and `POST /v2/catalog/search`. */
  catalog: Array<{ id: string; updated_at?: string } & Record<string, unknown>>;
  readonly calls: Array<{ method: string; path: string; authorization?: string; body?: string }>;
  close(): Promise<void>;
}

export const SQUARE_TOKEN = 'EAAA-test-access-token';

export async function startFakeSquareApi(): Promise<FakeSquareApi> {
  const orders = new Map<string, unknown>();
  const fake = { orders, counts: [] as unknown[], locations: [] as unknown[], catalog: [] as FakeSquareApi['catalog'], calls: [] as FakeSquareApi['calls'] };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => { body += chunk.toString('utf8'); });
    req.on('end', () => {
      const path = req.url ?? '';
      fake.calls.push({ method: req.method ?? '', path, ...(req.headers.authorization && { authorization: req.headers.authorization }), ...(body && { body }) });
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (req.headers.authorization !== `Bearer ${SQUARE_TOKEN}`) return send(401, { errors: [{ category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED' }] });
      const order = /^\/v2\/orders\/([^/?]+)$/.exec(path);
      if (req.method === 'GET' && order) {
        const found = orders.get(decodeURIComponent(order[1]!));
        return found ? send(200, found) : send(404, { errors: [{ category: 'INVALID_REQUEST_ERROR', code: 'NOT_FOUND' }] });
      }
      if (req.method === 'POST' && path === '/v2/inventory/counts/batch-retrieve') return send(200, { counts: fake.counts });
      if (req.method === 'GET' && path === '/v2/locations') return send(200, { locations: fake.locations });
      const url = new URL(path, 'http://fake');
      const catalogPage = (cursor: string | null, objects: FakeSquareApi['catalog']) => {
        const start = cursor ? Number(cursor.slice(2)) : 0;
        const page = objects.slice(start, start + 100);
        const next = start + page.length < objects.length ? `c:${start + page.length}` : undefined;
        return send(200, { objects: page, ...(next && { cursor: next }), latest_time: '2024-06-02T12:00:00.000Z' });
      };
      if (req.method === 'GET' && url.pathname === '/v2/catalog/list') return catalogPage(url.searchParams.get('cursor'), fake.catalog);
      if (req.method === 'POST' && url.pathname === '/v2/catalog/search') {
        const query = JSON.parse(body || '{}') as { begin_time?: string; cursor?: string };
        const changed = fake.catalog.filter((o) => !query.begin_time || (o.updated_at ?? '') > query.begin_time);
        return catalogPage(query.cursor ?? null, changed);
      }
      return send(404, { errors: [{ code: 'NOT_FOUND' }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  });
}
