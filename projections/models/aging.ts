/** On-hand quantity and value by age bucket (first in, first out), from the stock lots. */
import type { ReadStore } from '../readstore/port';
import { COLLECTIONS, type LotsDoc } from './collections';
import { DAY_MS } from './keys';
import { locationCondition, where, type LocationScope } from './scope';

export const AGE_BUCKETS = ['0-30', '31-60', '61-90', '90+'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

export interface BucketTotal {
  readonly bucket: AgeBucket;
  readonly quantity: number;
  readonly value: number;
}

export interface AgingItem {
  readonly locationId: string;
  readonly sku: string;
  readonly buckets: BucketTotal[];
}

export interface AgingReport {
  readonly asOf: string;
  readonly buckets: BucketTotal[];
  readonly items: AgingItem[];
}

/** Whole days since receipt: 0-30 holds ages up to 30 days, 90+ anything older than 90. */
export function bucketOf(receivedAt: string, asOf: Date): AgeBucket {
  const days = Math.floor((asOf.getTime() - Date.parse(receivedAt)) / DAY_MS);
  if (days <= 30) return '0-30';
  if (days <= 60) return '31-60';
  if (days <= 90) return '61-90';
  return '90+';
}

const empty = (): BucketTotal[] => AGE_BUCKETS.map((bucket) => ({ bucket, quantity: 0, value: 0 }));

function add(into: BucketTotal[], bucket: AgeBucket, quantity: number, value: number): BucketTotal[] {
  return into.map((b) => (b.bucket === bucket ? { bucket, quantity: b.quantity + quantity, value: b.value + value } : b));
}

/** Pure: ages the lots of the given documents. */
export function ageLots(docs: readonly LotsDoc[], asOf: Date): AgingReport {
  let total = empty();
  const items: AgingItem[] = [];
  for (const doc of docs) {
    let buckets = empty();
    for (const lot of doc.lots) {
      const bucket = bucketOf(lot.receivedAt, asOf);
      buckets = add(buckets, bucket, lot.quantity, lot.quantity * lot.unitCost);
      total = add(total, bucket, lot.quantity, lot.quantity * lot.unitCost);
    }
    if (doc.lots.length > 0) items.push({ locationId: doc.locationId, sku: doc.sku, buckets });
  }
  return { asOf: asOf.toISOString(), buckets: total, items };
}

export async function agingReport(
  store: ReadStore,
  options: { asOf: Date; scope: LocationScope; locationId?: string },
): Promise<AgingReport> {
  const docs = await store.find<LotsDoc>(COLLECTIONS.lots, {
    where: where({ locationId: locationCondition(options.scope, options.locationId) }),
    orderBy: [['locationId', 'asc'], ['sku', 'asc']],
  });
  return ageLots(docs, options.asOf);
}
