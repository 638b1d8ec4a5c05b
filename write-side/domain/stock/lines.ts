import { InvalidCommand } from '../errors';
import type { SkuQuantity } from '../locations/location-state';

/** One line per sku, quantities summed, in first-seen order. */
export function mergeLines(lines: readonly SkuQuantity[]): SkuQuantity[] {
  const totals = new Map<string, number>();
  for (const line of lines) totals.set(line.sku, (totals.get(line.sku) ?? 0) + line.quantity);
  return [...totals].map(([sku, quantity]) => ({ sku, quantity }));
}

/** Counts name each sku once: two different counted quantities for one sku cannot both be true. */
export function assertDistinctSkus(lines: readonly { sku: string }[]): void {
  const seen = new Set<string>();
  for (const { sku } of lines) {
    if (seen.has(sku)) throw new InvalidCommand(`sku ${sku} appears twice`, 'duplicate-sku');
    seen.add(sku);
  }
}
