/**
 * Applies a CSV file's tickets through the same path as the generic webhook. Importing the same
 * file again changes nothing: every ticket's id is its eventId, so a repeat is a duplicate.
 */
import { catchError, from, lastValueFrom, mergeMap, of, retry, toArray } from 'rxjs';
import { ConcurrencyError } from '../../write-side/eventstore/port';
import type { PosConnection } from '../connections/connection-store';
import { lookup } from '../effects';
import { isPayloadError, processDelivery, type Outcome, type ProcessDeps } from '../processing/process-delivery';
import { parseCsvTickets, type CsvError, type CsvTicket } from './csv-tickets';

export interface CsvImportResult {
  imported: number;
  duplicates: number;
  errors: CsvError[];
  quarantined: Array<{ eventId: string; id: string; reason: string; lines: readonly number[] }>;
}

/** Tickets in flight at once: enough to share the event store's group commits. */
const CONCURRENCY = 8;

export async function importCsv(
  deps: ProcessDeps, connection: PosConnection, text: string,
  /** Location scope of the importer (a manager): tickets elsewhere are reported, not applied. */
  canAccess: (locationId: string) => boolean = () => true,
): Promise<CsvImportResult> {
  const { tickets, errors } = parseCsvTickets(text);
  const result: CsvImportResult = { imported: 0, duplicates: 0, errors: [...errors], quarantined: [] };
  type Applied = { ticket: CsvTicket; outcome?: Outcome; error?: string };
  const apply = async (ticket: CsvTicket): Promise<Applied> => {
    const mapped = lookup(connection.locationMap, ticket.event.locationId);
    if (mapped !== undefined && !canAccess(mapped)) return { ticket, error: `no access to location ${mapped}` };
    const outcome = await processDelivery(deps, connection, { kind: 'csv', rawBody: JSON.stringify(ticket.event) });
    return { ticket, outcome };
  };
  const done = await lastValueFrom(from(tickets).pipe(
    mergeMap((ticket) => from(apply(ticket)).pipe(
      retry({ count: 3, delay: (error) => { if (error instanceof ConcurrencyError) return of(0); throw error; } }),
      catchError((error: unknown) => {
        if (isPayloadError(error)) return of<Applied>({ ticket, error: (error as Error).message });
        throw error;
      }),
    ), CONCURRENCY),
    toArray(),
  ), { defaultValue: [] });
  for (const { ticket, outcome, error } of done) {
    if (error !== undefined) {
      for (const line of ticket.lines) result.errors.push({ line, message: `ticket ${ticket.event.eventId}: ${error}` });
    } else if (outcome?.status === 'applied') {
      if (outcome.duplicate) result.duplicates++; else result.imported++;
    } else if (outcome?.status === 'quarantined') {
      result.quarantined.push({ eventId: ticket.event.eventId, id: outcome.id ?? '', reason: outcome.reason, lines: ticket.lines });
    }
  }
  result.errors.sort((a, b) => a.line - b.line);
  result.quarantined.sort((a, b) => a.lines[0]! - b.lines[0]!);
  return result;
}
