/**
 * Opening balances from a file (warehouses, legacy tills): `location,sku,quantity,unitCost`
 * with a header row. Every bad row is listed with its line and reason; good rows are kept.
 */
import { parse } from 'csv-parse/sync';
import type { StockCommands } from '../write-side/commands/types';
import type { OpeningLine } from './opening-balances';

export interface RawLine { readonly line: number; readonly locationId: string; readonly sku: string; readonly quantity: unknown; readonly unitCost?: unknown }

const INTEGER = /^-?[0-9]+$/;
const MAX = 1_000_000_000;

/** Rows of the CSV as raw lines (line numbers count the header as line 1). */
export function parseOpeningCsv(text: string): { rows: RawLine[]; errors: Array<{ line: number; message: string }> } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (error) {
    return { rows: [], errors: [{ line: 0, message: `not CSV: ${(error as Error).message}` }] };
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const expected = ['location', 'sku', 'quantity', 'unitcost'];
  if (!(header.length >= 3 && expected.slice(0, 3).every((h, i) => header[i] === h) && (header.length === 3 || header[3] === 'unitcost'))) {
    return { rows: [], errors: [{ line: 1, message: 'header must be location,sku,quantity,unitCost' }] };
  }
  const rows = records.slice(1).map((r, i): RawLine => ({
    line: i + 2, locationId: r[0] ?? '', sku: r[1] ?? '', quantity: r[2] ?? '', ...(r[3] !== undefined && r[3] !== '' && { unitCost: r[3] }),
  }));
  return { rows, errors: [] };
}

/** Checks every row; a row that names an unknown location or SKU, repeats one, or has a bad number is listed. */
export async function validateOpeningLines(commands: StockCommands, rows: readonly RawLine[]): Promise<{ good: OpeningLine[]; errors: Array<{ line: number; message: string }> }> {
  const good: OpeningLine[] = [];
  const errors: Array<{ line: number; message: string }> = [];
  const seen = new Map<string, number>();
  const known = new Map<string, boolean>();
  const exists = async (key: string, check: () => Promise<boolean>) => {
    if (!known.has(key)) known.set(key, await check());
    return known.get(key)!;
  };
  const asInt = (v: unknown): number | undefined => {
    if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
    return typeof v === 'string' && INTEGER.test(v) ? Number(v) : undefined;
  };
  for (const row of rows) {
    const problems: string[] = [];
    const quantity = asInt(row.quantity);
    if (quantity === undefined) problems.push(`quantity ${JSON.stringify(row.quantity)} is not a whole number`);
    else if (quantity < 0 || quantity > MAX) problems.push(`quantity ${quantity} must be between 0 and ${MAX}`);
    const unitCost = row.unitCost === undefined ? undefined : asInt(row.unitCost);
    if (row.unitCost !== undefined && (unitCost === undefined || unitCost < 0)) problems.push(`unitCost ${JSON.stringify(row.unitCost)} must be whole minor units (cents), 0 or more`);
    if (!row.locationId || !(await exists(`l|${row.locationId}`, () => commands.locationExists(row.locationId)))) problems.push(`unknown location ${JSON.stringify(row.locationId)}`);
    if (!row.sku || !(await exists(`s|${row.sku}`, () => commands.productExists(row.sku)))) problems.push(`unknown SKU ${JSON.stringify(row.sku)}`);
    const key = `${row.locationId}\u0000${row.sku}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push(`duplicate of line ${first} (${row.locationId}, ${row.sku})`);
    else seen.set(key, row.line);
    if (problems.length > 0) errors.push({ line: row.line, message: problems.join('; ') });
    else good.push({ line: row.line, locationId: row.locationId, sku: row.sku, quantity: quantity!, ...(unitCost !== undefined && { unitCost }) });
  }
  return { good, errors };
}
