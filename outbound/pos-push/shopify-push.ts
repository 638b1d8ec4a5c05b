/**
 * Pushes a balance to Shopify with the GraphQL Admin API `inventorySetQuantities` mutation:
 * name `available`, reason `correction`, and per quantity a `changeFromQuantity` (compare and
 * swap) equal to the last value Stocktide set there. Shopify refuses the change
 * (`CHANGE_FROM_QUANTITY_STALE`) when someone else changed the quantity since: then the current
 * quantity is read and recorded on the job (`observedQuantity`) and the job fails; nothing is
 * overwritten blindly. A manual retry then compares with the observed value. When Shopify already
 * shows the balance we wanted (its own sale moved it there), the job counts as delivered. The first push of a
 * job (nothing set before) passes `changeFromQuantity: null`, which opts out of the check:
 * Stocktide is the source of truth for the balances it pushes.
 *
 * Retries are idempotent: the `@idempotent(key:)` directive carries a key derived from the
 * job's content, so a retried request that Shopify already applied is not applied twice.
 */
import { createHash } from 'node:crypto';
import type { PosConnection } from '../../pos/connections/connection-store';
import { httpRequest, outcomeOf, type Fetch } from '../http-attempt';
import type { Outcome } from '../retry-policy';
import type { PushJob } from '../store/outbound-store';

export const SHOPIFY_API_VERSION = '2026-04';

export const SET_QUANTITIES_MUTATION = `mutation StocktideSetAvailable($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id }
    userErrors { code field message }
  }
}`;

export const READ_LEVEL_QUERY = `query StocktideAvailable($item: ID!, $location: ID!) {
  inventoryItem(id: $item) {
    inventoryLevel(locationId: $location) { quantities(names: ["available"]) { name quantity } }
  }
}`;

const gid = (type: string, id: string): string => (id.startsWith('gid://') ? id : `gid://shopify/${type}/${id}`);

/** What the compare-and-swap compares with: an observed value (manual retry) or our last push. */
export const changeFromOf = (job: PushJob): number | null => job.observedQuantity ?? job.lastPushedQuantity ?? null;

/** A UUID-shaped key from the job's content: the same request always carries the same key. */
export function idempotencyKey(job: PushJob, changeFrom: number | null): string {
  const h = createHash('sha256').update(`${job.id}|${job.position}|${job.quantity}|${changeFrom}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function setQuantitiesRequest(job: PushJob): { query: string; variables: Record<string, unknown> } {
  const changeFrom = changeFromOf(job);
  return {
    query: SET_QUANTITIES_MUTATION,
    variables: {
      key: idempotencyKey(job, changeFrom),
      input: {
        name: 'available',
        reason: 'correction',
        referenceDocumentUri: `stocktide://balances/${encodeURIComponent(job.locationId)}/${encodeURIComponent(job.sku)}?position=${job.position}`,
        quantities: [{
          inventoryItemId: gid('InventoryItem', job.posItemId),
          locationId: gid('Location', job.posLocationId),
          quantity: job.quantity,
          changeFromQuantity: changeFrom,
        }],
      },
    },
  };
}

export type PushOutcome = Outcome & { readonly pushedQuantity?: number; readonly observedQuantity?: number };

interface GraphqlAnswer {
  data?: {
    inventorySetQuantities?: { userErrors?: { code?: string; message?: string }[] };
    inventoryItem?: { inventoryLevel?: { quantities?: { name: string; quantity: number }[] } | null } | null;
  };
  errors?: { message?: string; extensions?: { code?: string } }[];
}

async function graphql(fetchImpl: Fetch, c: PosConnection, body: unknown, now: Date, timeoutMs: number) {
  const url = `${c.apiBaseUrl!.replace(/\/+$/, '')}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`;
  const answer = await httpRequest(fetchImpl, url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-shopify-access-token': c.accessToken! },
    body: JSON.stringify(body),
  }, timeoutMs);
  const outcome = outcomeOf(answer, now, 'Shopify');
  if (outcome.result !== 'delivered' || 'error' in answer) return { outcome };
  try {
    return { outcome, json: JSON.parse(answer.text) as GraphqlAnswer };
  } catch {
    return { outcome: { result: 'retry', status: answer.status, error: 'Shopify answered malformed JSON' } as Outcome };
  }
}

/** Reads what Shopify has as `available` now (undefined when it cannot be read). */
async function readAvailable(fetchImpl: Fetch, c: PosConnection, job: PushJob, now: Date, timeoutMs: number): Promise<number | undefined> {
  const { json } = await graphql(fetchImpl, c, {
    query: READ_LEVEL_QUERY,
    variables: { item: gid('InventoryItem', job.posItemId), location: gid('Location', job.posLocationId) },
  }, now, timeoutMs);
  return json?.data?.inventoryItem?.inventoryLevel?.quantities?.find((q) => q.name === 'available')?.quantity;
}

export async function pushToShopify(fetchImpl: Fetch, c: PosConnection, job: PushJob, now: Date, timeoutMs: number): Promise<PushOutcome> {
  if (!c.apiBaseUrl || !c.accessToken) return { result: 'fail', error: `connection ${c.id} has no apiBaseUrl or access token` };
  const { outcome, json } = await graphql(fetchImpl, c, setQuantitiesRequest(job), now, timeoutMs);
  if (!json) return outcome;
  const status = outcome.status;
  if (json.errors?.length) {
    const throttled = json.errors.some((e) => e.extensions?.code === 'THROTTLED');
    return { result: throttled ? 'retry' : 'fail', status, error: `Shopify: ${json.errors.map((e) => e.message).join('; ')}` };
  }
  const userErrors = json.data?.inventorySetQuantities?.userErrors ?? [];
  if (userErrors.length === 0) return { result: 'delivered', status, pushedQuantity: job.quantity };
  const codes = userErrors.map((e) => e.code ?? 'UNKNOWN');
  const detail = userErrors.map((e) => `${e.code ?? 'UNKNOWN'}: ${e.message ?? ''}`).join('; ');
  if (codes.includes('CHANGE_FROM_QUANTITY_STALE') || codes.includes('COMPARE_QUANTITY_STALE')) {
    const observed = await readAvailable(fetchImpl, c, job, now, timeoutMs);
    // Shopify moves `available` itself on its own sales; when it already shows our balance, we agree.
    if (observed === job.quantity) return { result: 'delivered', status, pushedQuantity: observed };
    return {
      result: 'fail', status,
      error: `Shopify's quantity changed outside Stocktide (expected ${changeFromOf(job)}, Shopify has ${observed ?? 'unknown'}); not overwritten: ${detail}`,
      ...(observed !== undefined ? { observedQuantity: observed } : {}),
    };
  }
  if (codes.every((code) => code === 'IDEMPOTENCY_CONCURRENT_REQUEST')) return { result: 'retry', status, error: `Shopify: ${detail}` };
  return { result: 'fail', status, error: `Shopify refused: ${detail}` };
}
