/**
 * A legacy till's CSV -> tickets. Pure. Header `eventId,type,locationId,occurredAt,sku,quantity`;
 * rows sharing an eventId form one ticket. A ticket with any bad row is rejected whole (a
 * partial ticket would be a wrong sale), and every rejected row is reported by its line number.
 */
import { parse } from 'csv-parse/sync';
import type { GenericEvent } from '../generic/generic-adapter';
import { isoTime, MalformedPayload } from '../effects';

export const CSV_COLUMNS = ['eventId', 'type', 'locationId', 'occurredAt', 'sku', 'quantity'] as const;
type Column = (typeof CSV_COLUMNS)[number];

export interface CsvError { readonly line: number; readonly message: string }
export interface CsvTicket { readonly event: GenericEvent; readonly lines: readonly number[] }
export interface CsvParseResult { readonly tickets: CsvTicket[]; readonly errors: CsvError[] }

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const MAX_TEXT = 200;

interface Row { line: number; values: Record<Column, string> }

/** Throws MalformedPayload when the file itself is unreadable (bad quoting, wrong header). */
export function parseCsvTickets(text: string): CsvParseResult {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as never;
  } catch (error) {
    throw new MalformedPayload(`CSV is malformed: ${(error as Error).message}`);
  }
  const header = records.shift();
  if (!header) throw new MalformedPayload('CSV is empty');
  const index = new Map(header.record.map((name, i) => [name, i]));
  const missing = CSV_COLUMNS.filter((c) => !index.has(c));
  if (missing.length > 0) throw new MalformedPayload(`CSV header lacks ${missing.join(', ')}; expected ${CSV_COLUMNS.join(',')}`);

  const errors: CsvError[] = [];
  const groups = new Map<string, { rows: Row[]; bad: CsvError[] }>();
  for (const { record, info } of records) {
    const values = Object.fromEntries(CSV_COLUMNS.map((c) => [c, record[index.get(c)!] ?? ''])) as Record<Column, string>;
    const row = { line: info.lines, values };
    const eventId = values.eventId;
    if (!eventId || eventId.length > MAX_TEXT) {
      errors.push({ line: row.line, message: 'eventId is missing or longer than 200 characters' });
      continue;
    }
    const group = groups.get(eventId) ?? { rows: [], bad: [] };
    groups.set(eventId, group);
    group.rows.push(row);
    const problem = rowProblem(values, group.rows[0]!.values);
    if (problem) group.bad.push({ line: row.line, message: problem });
  }

  const tickets: CsvTicket[] = [];
  for (const [eventId, { rows, bad }] of groups) {
    if (bad.length > 0) {
      errors.push(...bad);
      const badLines = new Set(bad.map((b) => b.line));
      for (const row of rows) {
        if (!badLines.has(row.line)) errors.push({ line: row.line, message: `rejected with ticket ${eventId} (line ${bad[0]!.line} is invalid)` });
      }
      continue;
    }
    const first = rows[0]!.values;
    tickets.push({
      lines: rows.map((r) => r.line),
      event: {
        eventId,
        type: first.type as 'sale' | 'return',
        locationId: first.locationId,
        occurredAt: first.occurredAt,
        lines: rows.map((r) => ({ sku: r.values.sku, quantity: Number(r.values.quantity) })),
      },
    });
  }
  errors.sort((a, b) => a.line - b.line);
  return { tickets, errors };
}

function rowProblem(v: Record<Column, string>, first: Record<Column, string>): string | undefined {
  if (v.type !== 'sale' && v.type !== 'return') return `type must be sale or return, not "${v.type}"`;
  if (!v.locationId || v.locationId.length > MAX_TEXT) return 'locationId is missing or too long';
  if (!ISO_DATE_TIME.test(v.occurredAt) || !isoTime(v.occurredAt)) return `occurredAt "${v.occurredAt}" is not an ISO 8601 date-time`;
  if (!v.sku || v.sku.length > MAX_TEXT) return 'sku is missing or too long';
  if (!/^[1-9][0-9]{0,9}$/.test(v.quantity) || Number(v.quantity) > 1_000_000_000) return `quantity "${v.quantity}" is not a positive whole number`;
  if (v.type !== first.type || v.locationId !== first.locationId || v.occurredAt !== first.occurredAt) {
    return 'rows of one eventId must share type, locationId and occurredAt';
  }
  return undefined;
}
