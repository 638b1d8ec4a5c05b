/**
 * A product push job: the latest catalog change of one SKU to write to one POS connection.
 * One job per (connection, SKU), coalesced: a newer change replaces a pending one (the push
 * always sends the product as it is now, so two renames in a row are one write).
 *
 * Compare-and-set: before writing, the pusher reads the POS item and compares it with what
 * Stocktide last saw there (the link's `posUpdatedAt`, title and price). When the POS changed it
 * meanwhile, nothing is written: the job fails with what the POS shows (`observed`), and a
 * `changed-in-pos` catalog alert shows both sides. Resolving it with `push` re-queues the job
 * with `expectedPosUpdatedAt` = the observed version: it then overwrites that version, and only
 * that one (a further change in the POS raises a new alert).
 */
export type ProductPushStatus = 'pending' | 'delivered' | 'failed' | 'dead';

export interface ProductPushJob {
  /** `product-push|{connectionId}|{sku}`. */
  readonly id: string;
  readonly connectionId: string;
  readonly sku: string;
  /** Log position of the latest change of the product (decimal string). */
  readonly position: string;
  readonly status: ProductPushStatus;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastStatus?: number;
  readonly lastError?: string;
  readonly deliveredAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** What the last attempt did: `created` in the POS, `updated`, `linked` (found by SKU), `unchanged`, `conflict`. */
  readonly result?: 'created' | 'updated' | 'linked' | 'unchanged' | 'conflict';
  /** The POS item written or found (variant / item variation id). */
  readonly posItemId?: string;
  /** What the POS showed when the compare failed. */
  readonly observed?: { readonly title: string; readonly sku?: string; readonly price?: number; readonly posUpdatedAt?: string };
  /** Set by a `push` resolution: overwrite the POS item if it is still at this version. */
  readonly expectedPosUpdatedAt?: string;
}

/** Fields an attempt (or a resolution) changes; `undefined` removes the field. */
export type ProductPushUpdate = Partial<Omit<ProductPushJob, 'id' | 'connectionId' | 'sku' | 'createdAt'>>;

export const productPushJobId = (connectionId: string, sku: string) => `product-push|${connectionId}|${sku}`;

/** Coalescing rule of `upsertProductPush` (pure, shared by adapters): the newest position wins. */
export function coalesceProductPush(stored: ProductPushJob | undefined, incoming: ProductPushJob): ProductPushJob {
  if (!stored) return incoming;
  if (BigInt(incoming.position) <= BigInt(stored.position)) return stored;
  const { lastError: _e, lastStatus: _s, deliveredAt: _d, observed: _o, expectedPosUpdatedAt: _x, result: _r, ...rest } = stored;
  return { ...rest, position: incoming.position, status: 'pending', attempts: 0, nextAttemptAt: incoming.nextAttemptAt, updatedAt: incoming.updatedAt };
}

export function applyProductPushUpdate(job: ProductPushJob, update: ProductPushUpdate): ProductPushJob {
  const next: Record<string, unknown> = { ...job };
  for (const [key, value] of Object.entries(update)) {
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  return next as unknown as ProductPushJob;
}
