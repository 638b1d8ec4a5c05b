/**
 * Keys and normalisations shared by the read models.
 * `|` appears in neither a location id nor a SKU (see schemas/common.ts), so composite keys
 * built with it are unambiguous.
 */

/** Zero-padded to 20 digits so that string order equals numeric order (2^64 has 20 digits). */
export const padPosition = (position: bigint | string): string => position.toString().padStart(20, '0');

export const stockKey = (locationId: string, sku: string): string => `${locationId}|${sku}`;

/** Ledger ids sort by position, then by line inside the event. */
export const ledgerKey = (position: bigint, line: number): string => `${padPosition(position)}-${String(line).padStart(5, '0')}`;

/**
 * One textual form for every instant (UTC, millisecond precision), so that timestamps sent
 * with offsets or without milliseconds still compare correctly as strings in queries.
 */
export function iso(timestamp: string | Date): string {
  if (typeof timestamp !== 'string') return timestamp.toISOString();
  // Nearly every stored timestamp is already canonical; a cheap check then answers without
  // the Date round trip (the memo below misses on a log where every event has its own time).
  if (isCanonical(timestamp)) return timestamp;
  // Each event asks for the same few instants several times (occurredAt, recordedAt, its
  // day, and again in their canonical form): a small memo skips most Date parsing during a
  // rebuild. Cleared when full, so it stays small; the answer never depends on it.
  let out = isoMemo.get(timestamp);
  if (out === undefined) {
    out = new Date(timestamp).toISOString();
    if (isoMemo.size >= 256) isoMemo.clear();
    isoMemo.set(timestamp, out);
    isoMemo.set(out, out);
  }
  return out;
}
const isoMemo = new Map<string, string>();

const CANONICAL = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
/**
 * A form `new Date(t).toISOString()` gives back unchanged. Days 29-31 are left to the slow
 * path (whether they exist depends on the month), as is every other form.
 */
const isCanonical = (t: string): boolean => t.length === 24 && CANONICAL.test(t);

/** The UTC calendar day of an instant, `YYYY-MM-DD`. */
export const dayOf = (timestamp: string): string => iso(timestamp).slice(0, 10);

export const DAY_MS = 86_400_000;
