/**
 * The `balances` phase of a POS import: each page of POS balances becomes opening counts as of
 * the import's cut-over T. A POS location mapped to no Stocktide location, an item mapped to no
 * SKU, a negative or fractional quantity: listed with the item, left out, never clamped. A line
 * without a POS cost is flagged (the product's unit cost values it).
 */
import type { CatalogService } from '../catalog/catalog-service';
import type { PhaseRunner } from '../catalog/import/import-runner';
import { PosApiError } from '../catalog/sources/catalog-source';
import { lookup } from '../pos/effects';
import type { StockCommands } from '../write-side/commands/types';
import { shopifyBalances, squareBalances, type PosBalance } from './balance-sources';
import { recordOpeningBalances, type OpeningLine } from './opening-balances';
import type { OpeningDates } from './opening-date';

/** A location whose opening balances have another T fails the import (its message names the T to use). */
export function balancesPhase(deps: { commands: StockCommands; dates: OpeningDates; catalog: CatalogService; fetchImpl?: typeof fetch }): PhaseRunner {
  const fetchImpl = deps.fetchImpl ?? fetch;
  return async (job, connection, cursor, ctx) => {
    let page: { items: readonly PosBalance[]; next?: string };
    if (connection.kind === 'shopify') page = await shopifyBalances(fetchImpl, connection, cursor);
    else if (connection.kind === 'square') {
      const locations = Object.keys(connection.locationMap).filter((k) => k !== '*');
      page = locations.length === 0 ? { items: [] } : await squareBalances(fetchImpl, connection, locations, cursor);
    } else throw new PosApiError('a generic connection has no inventory API', false);

    // The derived map as the write side knows it now (the catalog phase just wrote it), under the hand-made one.
    const links = await deps.catalog.links(connection.id);
    const derived = new Map<string, string>();
    for (const [posItemId, item] of links.items) {
      derived.set(posItemId, item.sku);
      for (const alias of item.aliases) derived.set(alias, item.sku);
    }
    const counts: Record<string, number> = { 'balances.lines': page.items.length };
    const bump = (k: string) => (counts[`balances.${k}`] = (counts[`balances.${k}`] ?? 0) + 1);
    const problems: Array<{ item: string; reason: string }> = [];
    const unmappedLocations = new Set<string>();
    const lines: OpeningLine[] = [];
    for (const b of page.items) {
      const locationId = lookup(connection.locationMap, b.posLocationId);
      const sku = lookup(connection.skuMap, b.posItemId) ?? derived.get(b.posItemId);
      if (locationId === undefined) {
        bump('unmappedLocation');
        if (!unmappedLocations.has(b.posLocationId)) problems.push({ item: `location ${b.posLocationId}`, reason: 'POS location mapped to no Stocktide location: its balances are listed, not invented' });
        unmappedLocations.add(b.posLocationId);
        continue;
      }
      if (sku === undefined) {
        bump('unmappedItem');
        problems.push({ item: `${b.posItemId}${b.sku ? ` (${b.sku})` : ''} at ${b.posLocationId}`, reason: 'item mapped to no SKU: import the catalog first, or map it' });
        continue;
      }
      if (!Number.isInteger(b.quantity) || b.quantity < 0) {
        bump('invalidQuantity');
        problems.push({ item: `${sku} at ${locationId}`, reason: `the POS says ${Number.isNaN(b.quantity) ? 'a fractional quantity' : b.quantity}: left out, not clamped` });
        continue;
      }
      if (b.unitCost === undefined) {
        bump('noCost');
        if (connection.kind === 'shopify') problems.push({ item: `${sku} at ${locationId}`, reason: 'no unit cost in the POS: valued at the product\'s unit cost' });
      }
      lines.push({ locationId, sku, quantity: b.quantity, ...(b.unitCost !== undefined && { unitCost: b.unitCost }) });
    }
    const result = await recordOpeningBalances(deps.commands, deps.dates, `import:${connection.id}:${cursor ?? ''}`, job.asOf, lines, ctx);
    counts['balances.imported'] = result.imported;
    counts['balances.unchanged'] = result.unchanged;
    for (const e of result.errors) problems.push({ item: e.message.split(':')[0]!, reason: e.message });
    return {
      done: page.items.length, counts, problems, ...(page.next && { next: page.next }),
      ...(result.position !== undefined && { position: result.position }),
    };
  };
}
