/**
 * Second looks before a write that is easy to get badly wrong: a count that wipes or halves a
 * line, a unit cost far from what the product usually costs. Each returns sentences; an empty
 * list means nothing to confirm.
 */

export interface CountedLine {
  sku: string;
  counted: number;
  /** What the book says now (undefined: no line yet). */
  onHand: number | undefined;
}

export function countWarnings(lines: readonly CountedLine[], where: string): string[] {
  const warnings: string[] = [];
  for (const { sku, counted, onHand } of lines) {
    if (onHand === undefined || onHand <= 0 || counted >= onHand) continue;
    if (counted === 0) warnings.push(`A count of 0 sets ${sku} at ${where} from ${onHand} to 0.`);
    else if (counted < onHand / 2) warnings.push(`${sku} at ${where} drops by more than half: ${onHand} → ${counted}.`);
  }
  return warnings;
}

/** How far from the usual cost a unit cost may be before we ask (either way). */
export const COST_FACTOR = 3;

export function costWarning(sku: string, unitCost: number | undefined, usualCost: number | undefined, format: (minor: number) => string): string | undefined {
  if (unitCost === undefined || usualCost === undefined || usualCost <= 0) return undefined;
  if (unitCost > usualCost * COST_FACTOR || unitCost * COST_FACTOR < usualCost) {
    return `Unit cost ${format(unitCost)} for ${sku} is far from its usual ${format(usualCost)}.`;
  }
  return undefined;
}

/** "MUG-CER at Uptown: 22 → 21" for each line a write changed. */
export function describeChanges(where: string, before: ReadonlyMap<string, number>, after: ReadonlyArray<{ sku: string; onHand: number }>): string {
  return after.map((line) => `${line.sku} at ${where}: ${before.get(line.sku) ?? 0} → ${line.onHand}`).join('; ');
}
