/**
 * What posting a count session appends: ordinary stock counts (the count rule of
 * write-side/domain/stock/count-stock.ts), so sales during the count still apply.
 *
 * Each SKU is dated at its earliest scan since the last recount request: a unit sold after
 * the shelf was counted is then taken off the count, where dating it at the last scan (say
 * the backroom, later) would let the count absorb that sale and keep a unit that left.
 * SKUs counted at the same instant share one count; counts are ordered by time so none of
 * them is "superseded" by another of the same posting. Count ids are a hash of the session
 * and the instant: a resumed post appends the same counts, which the stock stream dedupes.
 */
import { createHash } from 'node:crypto';
import type { CountedLine, CountSessionPostingStartedData } from './count-session-state';

export type PostingCount = CountSessionPostingStartedData['counts'][number];

export const postingCountId = (sessionId: string, countedAt: string): string =>
  `cs-${createHash('sha256').update(`${sessionId}|${Date.parse(countedAt)}`).digest('hex').slice(0, 40)}`;

export function postingCounts(sessionId: string, lines: ReadonlyMap<string, CountedLine>): PostingCount[] {
  const byInstant = new Map<number, { countedAt: string; lines: Array<{ sku: string; countedQuantity: number }> }>();
  for (const [sku, line] of [...lines].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const t = Date.parse(line.firstCountedAt);
    const group = byInstant.get(t) ?? { countedAt: new Date(t).toISOString(), lines: [] };
    group.lines.push({ sku, countedQuantity: line.counted });
    byInstant.set(t, group);
  }
  return [...byInstant].sort(([a], [b]) => a - b).map(([, g]) => ({ countId: postingCountId(sessionId, g.countedAt), countedAt: g.countedAt, lines: g.lines }));
}
