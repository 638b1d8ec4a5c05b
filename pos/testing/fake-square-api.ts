/**
 * A fake Square API on 127.0.0.1 (port 0): orders by id, inventory counts, locations, the catalog, and the calls it saw.
 * Catalog writes (product pushes): `GET /v2/catalog/object/{id}`, `POST /v2/catalog/object` (UpsertCatalogObject:
 * `#`-ids create, an existing item must carry its current `version` or the answer is 400 `VERSION_MISMATCH`; a
 * repeated `idempotency_key` answers the first result), and `POST /v2/catalog/search` by `exact_query` on `sku`.
 * `editInPos` is a merchant's edit in the Square dashboard (the item's version and `updated_at` move on).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSquareApi {
  readonly baseUrl: string;
  readonly orders: Map<string, unknown>;
  counts: unknown[];
  /** Locations API answer (`GET /v2/locations`). */
  locations: unknown[];
  /**
   * Catalog objects (type ITEM with variations, and CATEGORY), listed 100 a page by `GET /v2/catalog/list`
   * and `POST /v2/catalog/search`, filtered by `types` / `object_types`; the search adds the items'
   * categories as `related_objects` when asked.
   */
  catalog: Array<{ id: string; updated_at?: string } & Record<string, unknown>>;
  readonly calls: Array<{ method: string; path: string; authorization?: string; body?: string }>;
  editInPos(itemId: string, change: (item: Record<string, any>) => void): void;
  close(): Promise<void>;
}

export const SQUARE_TOKEN = 'EAAA-test-access-token';

export async function startFakeSquareApi(): Promise<FakeSquareApi> {
  const orders = new Map<string, unknown>();
  let clock = Date.parse('2024-07-01T00:00:00Z');
  const tick = () => new Date((clock += 1000)).toISOString();
  let created = 0;
  const answered = new Map<string, unknown>();
  const fake = {
    orders, counts: [] as unknown[], locations: [] as unknown[], catalog: [] as FakeSquareApi['catalog'], calls: [] as FakeSquareApi['calls'],
    editInPos(itemId: string, change: (item: Record<string, any>) => void) {
      const item = fake.catalog.find((o) => o.id === itemId)! as Record<string, any>;
      change(item);
      bump(item);
    },
  };
  /** A write: the item and each variation get a new version and `updated_at`. */
  function bump(item: Record<string, any>): void {
    const at = tick();
    item['version'] = Date.parse(at);
    item['updated_at'] = at;
    for (const v of item['item_data']?.variations ?? []) { v.version = Date.parse(at); v.updated_at = at; }
  }
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
      /** The objects of the listed types (comma-separated, as Square takes them; all when none). */
      const ofTypes = (types: string | null | undefined, objects: FakeSquareApi['catalog']) => {
        const wanted = types ? new Set(types.split(',')) : undefined;
        return wanted ? objects.filter((o) => wanted.has(String(o['type']))) : objects;
      };
      /** The CATEGORY objects the page's items name (`include_related_objects`). */
      const relatedCategories = (page: FakeSquareApi['catalog']) => {
        const ids = new Set(page.flatMap((o) => {
          const d = (o as Record<string, any>)['item_data'] ?? {};
          return [d.reporting_category?.id, ...(d.categories ?? []).map((c: { id: string }) => c.id), d.category_id].filter(Boolean);
        }));
        return fake.catalog.filter((o) => o['type'] === 'CATEGORY' && ids.has(o.id));
      };
      const catalogPage = (cursor: string | null, objects: FakeSquareApi['catalog'], withRelated = false) => {
        const start = cursor ? Number(cursor.slice(2)) : 0;
        const page = objects.slice(start, start + 100);
        const next = start + page.length < objects.length ? `c:${start + page.length}` : undefined;
        const related = withRelated ? relatedCategories(page) : [];
        return send(200, { objects: page, ...(related.length > 0 && { related_objects: related }), ...(next && { cursor: next }), latest_time: '2024-06-02T12:00:00.000Z' });
      };
      const objectPath = /^\/v2\/catalog\/object\/([^/?]+)$/.exec(url.pathname);
      if (req.method === 'GET' && objectPath) {
        const found = fake.catalog.find((o) => o.id === decodeURIComponent(objectPath[1]!));
        return found ? send(200, { object: found }) : send(404, { errors: [{ category: 'INVALID_REQUEST_ERROR', code: 'NOT_FOUND' }] });
      }
      if (req.method === 'POST' && url.pathname === '/v2/catalog/object') {
        const { idempotency_key: key, object } = JSON.parse(body) as { idempotency_key: string; object: Record<string, any> };
        if (answered.has(key)) return send(200, answered.get(key));
        let item: Record<string, any>;
        if (String(object['id']).startsWith('#')) {
          const n = ++created;
          const ids = new Map<string, string>([[object['id'], `SQ-ITEM-NEW-${n}`]]);
          item = { ...object, id: ids.get(object['id']), is_deleted: false, present_at_all_locations: true };
          item['item_data'] = { ...object['item_data'], variations: (object['item_data']?.variations ?? []).map((v: Record<string, any>, i: number) => {
            ids.set(v['id'], `SQ-VAR-NEW-${n}-${i}`);
            return { ...v, id: ids.get(v['id']), item_variation_data: { ...v['item_variation_data'], item_id: item['id'] } };
          }) };
          bump(item);
          fake.catalog.push(item as FakeSquareApi['catalog'][number]);
          const answer = { catalog_object: item, id_mappings: [...ids].map(([client_object_id, object_id]) => ({ client_object_id, object_id })) };
          answered.set(key, answer);
          return send(200, answer);
        }
        const index = fake.catalog.findIndex((o) => o.id === object['id']);
        if (index < 0) return send(404, { errors: [{ category: 'INVALID_REQUEST_ERROR', code: 'NOT_FOUND' }] });
        const stored = fake.catalog[index] as Record<string, any>;
        if (object['version'] !== stored['version']) {
          return send(400, { errors: [{ category: 'INVALID_REQUEST_ERROR', code: 'VERSION_MISMATCH', detail: 'Object version does not match latest database version.', field: 'version' }] });
        }
        item = { ...object };
        bump(item);
        fake.catalog[index] = item as FakeSquareApi['catalog'][number];
        const answer = { catalog_object: item, id_mappings: [] };
        answered.set(key, answer);
        return send(200, answer);
      }
      if (req.method === 'GET' && url.pathname === '/v2/catalog/list') return catalogPage(url.searchParams.get('cursor'), ofTypes(url.searchParams.get('types'), fake.catalog));
      if (req.method === 'POST' && url.pathname === '/v2/catalog/search') {
        const query = JSON.parse(body || '{}') as { begin_time?: string; cursor?: string; object_types?: string[]; include_related_objects?: boolean; query?: { exact_query?: { attribute_name: string; attribute_value: string } } };
        const exact = query.query?.exact_query;
        if (exact?.attribute_name === 'sku') {
          const items = fake.catalog.filter((o) => !(o as Record<string, any>)['is_deleted']) as Array<Record<string, any>>;
          const variations = items.flatMap((o) => (o['item_data']?.variations ?? []) as Array<Record<string, any>>).filter((v) => v['item_variation_data']?.sku === exact.attribute_value);
          return send(200, { objects: variations, related_objects: items.filter((o) => variations.some((v) => v['item_variation_data']?.item_id === o['id'])) });
        }
        const changed = ofTypes(query.object_types?.join(','), fake.catalog).filter((o) => !query.begin_time || (o.updated_at ?? '') > query.begin_time);
        return catalogPage(query.cursor ?? null, changed, query.include_related_objects === true);
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
