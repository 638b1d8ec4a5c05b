/**
 * An analyst's client, as a BI team would write it: types generated from the served document
 * (`npm run openapi:client` writes `../generated/stocktide.ts` with openapi-typescript) and
 * calls made with openapi-fetch. CI type-checks this file against freshly generated types, so
 * a change to the API that would break such clients breaks the build; the int test
 * (`analyst-client.int.spec.ts`) runs it against a real server.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from '../generated/stocktide';

export type StocktideClient = Client<paths>;
export type Problem = components['schemas']['Problem'];

/** Logs in and answers a client that sends the token on every call. */
export async function connect(baseUrl: string, username: string, password: string): Promise<StocktideClient> {
  const anonymous = createClient<paths>({ baseUrl });
  const { data, error } = await anonymous.POST('/api/auth/login', { body: { username, password } });
  if (error || !data) throw new Error(`login failed: ${JSON.stringify(error)}`);
  return createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${data.token}` } });
}

/** SKUs at or below their reorder point at one location, lowest first. */
export async function lowStock(client: StocktideClient, locationId: string): Promise<Array<{ sku: string; onHand: number }>> {
  const { data, error } = await client.GET('/api/stock', { params: { query: { locationId, status: 'low,out,negative', sort: 'onHand' } } });
  if (error) throw new Error(`${error.status} ${error.detail}`);
  return data.items.map((item) => ({ sku: item.sku, onHand: item.onHand }));
}

/** Every movement of a SKU, following `nextCursor` page by page (the one paging convention). */
export async function allMovements(client: StocktideClient, sku: string, pageSize = 500): Promise<number> {
  let cursor: string | undefined;
  let count = 0;
  do {
    const { data, error } = await client.GET('/api/movements', { params: { query: { sku, limit: pageSize, ...(cursor ? { cursor } : {}) } } });
    if (error) throw new Error(`${error.status} ${error.detail}`);
    count += data.items.length;
    cursor = data.nextCursor;
  } while (cursor);
  return count;
}

/** A bulk export as text (NDJSON: one JSON object per line); large ones are better streamed with fetch. */
export async function exportMovements(client: StocktideClient, from: string, to: string): Promise<string> {
  const { data, error } = await client.GET('/api/exports/movements', { params: { query: { from, to, format: 'ndjson' } }, parseAs: 'text' });
  if (error) throw new Error(`${error.status} ${error.detail}`);
  return data;
}
