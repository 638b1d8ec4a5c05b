/**
 * Signed generic sale webhooks for the benchmark, and the checks that every one of them was
 * stored exactly once: a benchmark that loses or doubles a unit must fail, not report a figure.
 * Pure: the clock and the event log are passed in.
 */
import { demoProducts } from '../../server/demo/demo-chain';
import { sign } from '../../pos/signatures';
import type { LoadRequest } from '../load/http-load';

/** The POS's own location ids, mapped onto the demo chain's stores. */
export const TILL_LOCATIONS: Readonly<Record<string, string>> = {
  'TILL-DT': 'store-downtown', 'TILL-UP': 'store-uptown', 'TILL-AP': 'store-airport',
};
const tills = Object.keys(TILL_LOCATIONS);

export interface SaleWebhookOptions {
  readonly connectionId: string;
  readonly secret: string;
  readonly count: number;
  /** Unique per run and connection, e.g. `open`. */
  readonly prefix: string;
  /** Every n-th request (n > 1) resends, byte for byte, the request `duplicateLag` before it; 0: none. */
  readonly duplicateEvery: number;
  readonly duplicateLag: number;
  readonly occurredAt: Date;
}

export interface SaleWebhooks {
  readonly requests: LoadRequest[];
  /** Per request: the POS event id it carries. */
  readonly eventIds: string[];
  /** Per unique POS event id: the units it sells. */
  readonly units: Map<string, number>;
  /** Per request: `locationId|sku` (our ids) of the first line, whose stock document the sale changes. */
  readonly stockKeys: string[];
}

export function saleWebhooks(o: SaleWebhookOptions): SaleWebhooks {
  const requests: LoadRequest[] = [];
  const eventIds: string[] = [];
  const units = new Map<string, number>();
  const stockKeys: string[] = [];
  const path = `/pos/${encodeURIComponent(o.connectionId)}/webhook`;
  const occurredAt = o.occurredAt.toISOString();
  for (let i = 0; i < o.count; i += 1) {
    if (o.duplicateEvery > 1 && i >= o.duplicateLag && i % o.duplicateEvery === o.duplicateEvery - 1) {
      requests.push(requests[i - o.duplicateLag]!);
      eventIds.push(eventIds[i - o.duplicateLag]!);
      stockKeys.push(stockKeys[i - o.duplicateLag]!);
      continue;
    }
    const eventId = `${o.prefix}-${i}`;
    const lines = [{ sku: demoProducts[i % demoProducts.length]!.sku, quantity: 1 + (i % 3) }];
    if (i % 4 === 0) lines.push({ sku: demoProducts[(i + 5) % demoProducts.length]!.sku, quantity: 1 });
    const body = JSON.stringify({ eventId, type: 'sale', locationId: tills[i % tills.length], occurredAt, lines });
    requests.push({
      method: 'POST', path, body,
      headers: { 'content-type': 'application/json', 'x-ims-signature': sign.generic(o.secret, body) },
    });
    eventIds.push(eventId);
    stockKeys.push(`${TILL_LOCATIONS[tills[i % tills.length]!]}|${lines[0]!.sku}`);
    units.set(eventId, lines.reduce((sum, l) => sum + l.quantity, 0));
  }
  return { requests, eventIds, units, stockKeys };
}

export interface AnswerCheck {
  /** POS event ids known to be stored, with the position answered. */
  readonly applied: Map<string, string>;
  /** POS event ids whose every request went unanswered (timeout, reset): stored once or not at all. */
  readonly unanswered: Set<string>;
  /**
   * POS event ids answered 202 `pending`: the delivery is kept in the durable inbox and applied
   * after the answer budget ran out, so it must be in the log exactly once once the inbox drains.
   */
  readonly pending: Set<string>;
}

/**
 * The answers: each POS event answered 200 once without `duplicate` and 200 `duplicate` with the
 * same position for every repeat. Requests never sent (status -1) are left out; unanswered ones
 * (status 0) leave their event's fate to the log; 202 `pending` ones must reach it exactly once.
 * Anything else throws.
 */
export function checkAnswers(eventIds: readonly string[], statuses: readonly number[], bodies: readonly string[]): AnswerCheck {
  const applied = new Map<string, string>();
  const unanswered = new Set<string>();
  const pending = new Set<string>();
  const repeats: Array<[string, string]> = [];
  const problems: string[] = [];
  statuses.forEach((status, i) => {
    const eventId = eventIds[i]!;
    if (status === -1) return;
    if (status === 0) {
      unanswered.add(eventId);
      return;
    }
    if (status === 202 && (JSON.parse(bodies[i] ?? '{}') as { pending?: boolean }).pending === true) {
      pending.add(eventId);
      return;
    }
    if (status !== 200) {
      problems.push(`request ${i} (${eventId}) answered ${status}: ${bodies[i]?.slice(0, 200) ?? ''}`);
      return;
    }
    const answer = JSON.parse(bodies[i]!) as { position?: string; duplicate?: boolean };
    if (typeof answer.position !== 'string') problems.push(`request ${i} answered 200 without a position`);
    else if (answer.duplicate) repeats.push([eventId, answer.position]);
    else if (applied.has(eventId)) problems.push(`POS event ${eventId} was applied twice`);
    else applied.set(eventId, answer.position);
  });
  for (const [eventId, position] of repeats) {
    // A repeat answered as such proves the original is stored, even when its own answer was lost.
    if (!applied.has(eventId) && unanswered.has(eventId)) applied.set(eventId, position);
    const original = applied.get(eventId);
    if (original !== position) problems.push(`repeat of ${eventId} answered position ${position}, the original ${original ?? 'none'}`);
  }
  for (const eventId of applied.keys()) {
    unanswered.delete(eventId);
    pending.delete(eventId);
  }
  for (const eventId of pending) unanswered.delete(eventId);
  if (problems.length > 0) throw new Error(`webhook answers are wrong (${problems.length}):\n  ${problems.slice(0, 10).join('\n  ')}`);
  return { applied, unanswered, pending };
}

export interface LoggedEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

export interface StoredExpectation {
  /** POS event id -> units: must be stored exactly once. */
  readonly exactlyOnce: ReadonlyMap<string, number>;
  /** POS event id -> units: stored once or not at all (their answers were lost). */
  readonly atMostOnce?: ReadonlyMap<string, number>;
}

/**
 * The log: exactly one StockSold per answered POS event id of this connection, carrying the units
 * that were sent, at most one per unanswered id, and none for any other id. Returns the sales and
 * units stored.
 */
export function checkStored(log: Iterable<LoggedEvent>, connectionId: string, expect: StoredExpectation): { sales: number; units: number } {
  const stored = new Map<string, number[]>();
  for (const e of log) {
    if (e.type !== 'StockSold') continue;
    const pos = e.data['pos'] as { connectionId?: string; eventId?: string } | undefined;
    if (pos?.connectionId !== connectionId || pos.eventId === undefined) continue;
    const lines = e.data['lines'] as Array<{ quantity: number }>;
    stored.set(pos.eventId, [...(stored.get(pos.eventId) ?? []), lines.reduce((sum, l) => sum + l.quantity, 0)]);
  }
  const atMostOnce = expect.atMostOnce ?? new Map<string, number>();
  const problems: string[] = [];
  for (const [eventId, found] of stored) {
    const units = expect.exactlyOnce.get(eventId) ?? atMostOnce.get(eventId);
    if (units === undefined) problems.push(`POS event ${eventId} is stored but was never sent or answered`);
    else if (found.length > 1) problems.push(`POS event ${eventId} is stored ${found.length} times`);
    else if (found[0] !== units) problems.push(`POS event ${eventId} stored ${found[0]} units, sent ${units}`);
  }
  for (const eventId of expect.exactlyOnce.keys()) if (!stored.has(eventId)) problems.push(`POS event ${eventId} was answered but is not stored`);
  if (problems.length > 0) throw new Error(`event log does not hold each sale exactly once (${problems.length}):\n  ${problems.slice(0, 10).join('\n  ')}`);
  return { sales: stored.size, units: [...stored.values()].reduce((sum, [units]) => sum + units!, 0) };
}
