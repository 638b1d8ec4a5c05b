/** Balances at one location before a write, so the form can preview and report "22 → 21". */
import { api } from './client';
import type { Listing, StockItem } from './types';

export async function onHandAt(locationId: string, skus?: readonly string[]): Promise<Map<string, number>> {
  const query = skus?.length === 1 ? { locationId, sku: skus[0] } : { locationId };
  const answer = await api.get<Listing<StockItem>>('/api/stock', query);
  const wanted = skus ? new Set(skus) : undefined;
  return new Map(answer.items.filter((i) => i.locationId === locationId && (!wanted || wanted.has(i.sku))).map((i) => [i.sku, i.onHand]));
}
