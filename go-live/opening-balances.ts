/**
 * Opening balances: what a location holds at the cut-over instant T, recorded as a physical
 * count as of T (with the units' cost), so the project's count rule does the rest: a sale that
 * occurred before T and arrives later (a late webhook, an offline till) is recorded and shown
 * but does not move on-hand again (the count already holds it); a sale after T applies.
 *
 * A count's id is derived from its source, T, the location and its lines, so importing the same
 * balances again is recognised and appends nothing. That holds for the same T only, so a
 * location's first opening import fixes its T (opening-date.ts) and another T is refused whole.
 */
import { createHash } from 'node:crypto';
import type { CommandContext, StockCommands } from '../write-side/commands/types';
import { DomainError } from '../write-side/domain/errors';
import type { OpeningDates } from './opening-date';

export interface OpeningLine {
  readonly locationId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly unitCost?: number;
  /** Where it came from (CSV line number, POS item), for error reports. */
  readonly line?: number;
}

export interface OpeningResult {
  imported: number;
  unchanged: number;
  errors: Array<{ line: number; message: string }>;
  position?: bigint;
}

const CHUNK = 1000;

export const openingCountId = (source: string, asOf: string, locationId: string, lines: readonly OpeningLine[]): string => {
  const hash = createHash('sha256').update(`${source}\u0000${asOf}\u0000${locationId}\u0000`);
  for (const l of lines) hash.update(`${l.sku}=${l.quantity}@${l.unitCost ?? ''};`);
  return `opening-${hash.digest('hex').slice(0, 40)}`;
};

/**
 * Records the lines as opening counts as of `asOf`, one count per location (and per 1,000 lines).
 * Throws `OpeningDateDiffers`, appending nothing, when a location's opening balances have another T.
 */
export async function recordOpeningBalances(
  commands: StockCommands, dates: OpeningDates, source: string, asOf: string, lines: readonly OpeningLine[], ctx: CommandContext,
): Promise<OpeningResult> {
  const result: OpeningResult = { imported: 0, unchanged: 0, errors: [] };
  const byLocation = new Map<string, OpeningLine[]>();
  for (const line of lines) byLocation.set(line.locationId, [...(byLocation.get(line.locationId) ?? []), line]);
  await dates.check(byLocation.keys(), asOf, ctx.now.toISOString());
  for (const [locationId, all] of byLocation) {
    const sorted = [...all].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    let taken = false;
    for (let i = 0; i < sorted.length; i += CHUNK) {
      const chunk = sorted.slice(i, i + CHUNK);
      try {
        const r = await commands.countStock({
          locationId, countId: openingCountId(source, asOf, locationId, chunk), countedAt: asOf,
          lines: chunk.map((l) => ({ sku: l.sku, countedQuantity: l.quantity, ...(l.unitCost !== undefined && { unitCost: l.unitCost }) })),
        }, ctx);
        taken = true;
        if (r.duplicate) result.unchanged += chunk.length;
        else result.imported += chunk.length;
        if (result.position === undefined || r.position > result.position) result.position = r.position;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        for (const l of chunk) result.errors.push({ line: l.line ?? 0, message: `${locationId}/${l.sku}: ${error.message}` });
      }
    }
    // Only a T that holds counts is kept: a refused count (outside the horizon) fixes nothing.
    if (taken) await dates.record(locationId, asOf, source, ctx);
  }
  return result;
}
