/**
 * The two Square API calls Stocktide makes: retrieve an order, and batch-retrieve inventory
 * counts. The access token is sent in the Authorization header and nowhere else.
 */
import type { FromSchema } from 'json-schema-to-ts';
import { SquareBatchCountsResponse } from '../../schemas/pos';
import { assertValid } from '../../schemas/validation';
import type { PosConnection } from '../connections/connection-store';
import { parsePosJson } from '../pos-json';

export const SQUARE_VERSION = '2024-10-17';
const TIMEOUT_MS = 10_000;

export class SquareApiError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'SquareApiError';
  }
}

type Fetch = typeof fetch;

export async function call(fetchImpl: Fetch, c: PosConnection, path: string, init: { method: 'GET' | 'POST'; body?: unknown }): Promise<unknown> {
  if (!c.apiBaseUrl || !c.accessToken) throw new SquareApiError(`connection ${c.id} has no apiBaseUrl or access token`);
  let response: Response;
  try {
    response = await fetchImpl(new URL(path, c.apiBaseUrl.endsWith('/') ? c.apiBaseUrl : `${c.apiBaseUrl}/`), {
      method: init.method,
      headers: {
        authorization: `Bearer ${c.accessToken}`,
        'square-version': SQUARE_VERSION,
        accept: 'application/json',
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new SquareApiError(`Square API unreachable: ${(error as Error).message}`);
  }
  if (!response.ok) throw new SquareApiError(`Square API answered ${response.status} for ${path}`, response.status);
  try {
    return parsePosJson(await response.text());
  } catch {
    throw new SquareApiError(`Square API answered malformed JSON for ${path}`);
  }
}

/** `GET /v2/orders/{order_id}`: the raw answer (validated by the adapter). */
export function retrieveSquareOrder(fetchImpl: Fetch, c: PosConnection, orderId: string): Promise<unknown> {
  return call(fetchImpl, c, `v2/orders/${encodeURIComponent(orderId)}`, { method: 'GET' });
}

export type SquareCount = NonNullable<FromSchema<typeof SquareBatchCountsResponse>['counts']>[number];

/** `POST /v2/inventory/counts/batch-retrieve`, following cursors, for the mapped locations. */
export async function batchRetrieveSquareCounts(fetchImpl: Fetch, c: PosConnection, locationIds: string[]): Promise<SquareCount[]> {
  const counts: SquareCount[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const body = await call(fetchImpl, c, 'v2/inventory/counts/batch-retrieve', {
      method: 'POST',
      body: { location_ids: locationIds, states: ['IN_STOCK'], ...(cursor && { cursor }) },
    });
    try {
      assertValid<FromSchema<typeof SquareBatchCountsResponse>>(SquareBatchCountsResponse, body, 'Square counts');
    } catch {
      throw new SquareApiError('Square API answered counts in an unexpected shape');
    }
    counts.push(...(body.counts ?? []));
    cursor = body.cursor;
    if (!cursor) return counts;
  }
  throw new SquareApiError('too many pages of Square counts');
}
