/**
 * What an import reads from a POS, page by page: its locations and its catalog items. A page
 * is asked for with the cursor the previous page gave (kept durably by the import), so an
 * import that stopped resumes at the page it had not finished.
 */
import type { PosConnection } from '../../pos/connections/connection-store';
import type { PosCatalogItem } from '../pos-catalog-item';
import { shopifySource } from './shopify-source';
import { squareSource } from './square-source';

export interface PosLocation {
  readonly posLocationId: string;
  readonly name: string;
  readonly active: boolean;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Cursor of the next page; absent on the last page. */
  readonly next?: string;
  /** Total number of items where the POS says it (progress). */
  readonly total?: number;
}

export interface CatalogSource {
  locations(cursor?: string): Promise<Page<PosLocation>>;
  items(cursor?: string): Promise<Page<PosCatalogItem>>;
}

/** A POS API call failed; `retryable` for timeouts, 429 and 5xx. */
export class PosApiError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
    this.name = 'PosApiError';
  }
}

export function catalogSourceFor(connection: PosConnection, fetchImpl: typeof fetch): CatalogSource {
  if (!connection.apiBaseUrl || !connection.accessToken) {
    throw new PosApiError(`connection ${connection.id} needs apiBaseUrl and accessToken to import`, false);
  }
  switch (connection.kind) {
    case 'shopify': return shopifySource(connection, fetchImpl);
    case 'square': return squareSource(connection, fetchImpl);
    case 'generic': throw new PosApiError('a generic connection has no catalog API to import from', false);
    default: {
      const _exhaustive: never = connection.kind;
      return _exhaustive;
    }
  }
}

/** A decimal amount ("19.99", 19.99) in minor units, without floating point; undefined when not money. */
export function minorUnits(amount: string | number | null | undefined): number | undefined {
  if (amount === null || amount === undefined) return undefined;
  const text = typeof amount === 'number' ? amount.toFixed(2) : amount.trim();
  const m = /^([0-9]{1,12})(?:\.([0-9]{1,2})[0]*)?$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
