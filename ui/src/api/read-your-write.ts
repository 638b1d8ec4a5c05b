/** After a command: re-read the affected balances at (or after) the command's position. */
import { api } from './client';
import type { Listing, StockItem } from './types';

export async function balancesAfter(position: string, locationId: string, skus: readonly string[]): Promise<StockItem[]> {
  const answer = await api.get<Listing<StockItem>>('/api/stock', { locationId, minPosition: position });
  const wanted = new Set(skus);
  return answer.items.filter((i) => i.locationId === locationId && wanted.has(i.sku));
}
