/**
 * The barcode registry (`catalog-barcodes` stream): which SKU owns each GTIN. Every assignment
 * is decided here, against the whole catalog, so two products never share a barcode even when
 * two imports run at once (the stream's expected revision serializes them).
 */
import type { DomainEvent } from '../../schemas/types';
import { BusinessRuleViolation } from '../../write-side/domain/errors';

export interface BarcodeRegistry {
  /** GTIN -> SKU. */
  readonly owner: Map<string, string>;
  /** SKU -> its GTINs, in the order given. */
  readonly bySku: Map<string, readonly string[]>;
}

export const initialBarcodeRegistry = (): BarcodeRegistry => ({ owner: new Map(), bySku: new Map() });

/** Folds in place (the stream cache owns the state; deciders never mutate it). */
export function evolveBarcodeRegistry(state: BarcodeRegistry, event: DomainEvent): BarcodeRegistry {
  if (event.type !== 'ProductBarcodesChanged') return state;
  const { sku, barcodes } = event.data;
  for (const code of state.bySku.get(sku) ?? []) if (state.owner.get(code) === sku) state.owner.delete(code);
  for (const code of barcodes) state.owner.set(code, sku);
  if (barcodes.length > 0) state.bySku.set(sku, [...barcodes]);
  else state.bySku.delete(sku);
  return state;
}

export interface SetBarcodes {
  readonly type: 'SetBarcodes';
  readonly sku: string;
  /** Already normalised (see gtin.ts). */
  readonly barcodes: readonly string[];
  readonly now: string;
}

export class BarcodeTaken extends BusinessRuleViolation {
  constructor(readonly barcode: string, readonly ownerSku: string, sku: string) {
    super(`barcode ${barcode} belongs to ${ownerSku}, not ${sku}`, 'barcode-taken');
  }
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Decides several assignments in order (an import page) against the registry plus what the
 * earlier ones in the batch decided. A taken barcode throws for a single command (`strict`),
 * or is left out and reported for a batch.
 */
export function decideBarcodes(
  cmds: readonly SetBarcodes[], registry: BarcodeRegistry, strict: boolean,
): { events: DomainEvent[]; refused: Array<{ sku: string; barcode: string; owner: string }> } {
  const owner = new Map<string, string | undefined>();
  const bySku = new Map<string, readonly string[]>();
  const ownerOf = (code: string) => (owner.has(code) ? owner.get(code) : registry.owner.get(code));
  const codesOf = (sku: string) => bySku.get(sku) ?? registry.bySku.get(sku) ?? [];
  const events: DomainEvent[] = [];
  const refused: Array<{ sku: string; barcode: string; owner: string }> = [];
  for (const cmd of cmds) {
    const kept: string[] = [];
    for (const code of cmd.barcodes) {
      const current = ownerOf(code);
      if (current !== undefined && current !== cmd.sku) {
        if (strict) throw new BarcodeTaken(code, current, cmd.sku);
        refused.push({ sku: cmd.sku, barcode: code, owner: current });
      } else kept.push(code);
    }
    const previous = codesOf(cmd.sku);
    if (same(previous, kept)) continue;
    for (const code of previous) owner.set(code, undefined);
    for (const code of kept) owner.set(code, cmd.sku);
    bySku.set(cmd.sku, kept);
    events.push({ type: 'ProductBarcodesChanged', data: { sku: cmd.sku, barcodes: kept, previous: [...previous], occurredAt: cmd.now, recordedAt: cmd.now } });
  }
  return { events, refused };
}
