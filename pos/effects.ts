/**
 * What a POS delivery means for stock, as the pure adapters decide it. The processor
 * (`processing/apply-effect.ts`) turns an effect into commands, a quarantine item or nothing.
 */
import type { PosKind, QuarantineReason } from './connections/connection-store';

export interface TicketLine {
  readonly sku: string;
  readonly quantity: number;
}

/** One sale or return at one of our locations, lines already mapped to our SKUs. */
export interface Ticket {
  /** Deterministic, unique per connection: a repeat of the POS event yields the same id. */
  readonly eventId: string;
  readonly locationId: string;
  /** When it happened at the till (ISO 8601, UTC). */
  readonly occurredAt: string;
  readonly orderId?: string;
  readonly reference?: string;
  readonly lines: readonly TicketLine[];
  /** Lines that move no stock (custom items, gift cards, tips, services, untracked variants), kept on the sale. */
  readonly unstocked?: readonly UnstockedLine[];
}

export type UnstockedReason = 'custom' | 'gift-card' | 'tip' | 'service' | 'untracked';

/** A line of a POS order that is not stock: recorded on the sale, never moved nor quarantined. */
export interface UnstockedLine {
  readonly posLineId?: string;
  readonly title?: string;
  readonly quantity: number;
  readonly reason: UnstockedReason;
}

export interface Observation {
  readonly posEventId: string;
  readonly locationId: string;
  readonly sku: string;
  /** A TOTAL reported by the POS, never a change. */
  readonly posQuantity: number;
  readonly observedAt: string;
}

export type PosEffect =
  | { readonly kind: 'sale'; readonly tickets: readonly Ticket[] }
  | { readonly kind: 'return'; readonly tickets: readonly Ticket[] }
  | { readonly kind: 'observation'; readonly dedupeKey: string; readonly observations: readonly Observation[]; readonly skipped: readonly string[] }
  /** `test`: a platform's test notification (acknowledged, counted in the connection's health). */
  | { readonly kind: 'ignore'; readonly reason: string; readonly test?: boolean }
  /** Square: the notification names an order that must be fetched from the POS API. */
  | { readonly kind: 'fetch-order'; readonly orderId: string; readonly posEventId: string }
  | { readonly kind: 'quarantine'; readonly posEventId: string; readonly reason: QuarantineReason; readonly detail: string }
  /** Several effects of one POS event (a Square exchange: a sale and a return). */
  | { readonly kind: 'several'; readonly effects: readonly PosEffect[] };

/** The part of a connection the pure adapters read. */
export interface ConnectionMaps {
  readonly id: string;
  readonly kind: PosKind;
  readonly locationMap: Readonly<Record<string, string>>;
  readonly skuMap: Readonly<Record<string, string>>;
}

/** Own-property lookup: a POS id such as "constructor" must not find Object.prototype members. */
export function lookup(map: Readonly<Record<string, string>>, key: string | undefined): string | undefined {
  return key !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Sums lines of the same SKU (a POS may list one item twice) and drops empty ones. */
export function mergeLines(lines: readonly TicketLine[]): TicketLine[] {
  const bySku = new Map<string, number>();
  for (const line of lines) if (line.quantity > 0) bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.quantity);
  return [...bySku].map(([sku, quantity]) => ({ sku, quantity }));
}

/** A POS timestamp as ISO 8601 UTC, or undefined when it is not a date. */
export function isoTime(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export class MalformedPayload extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The body is not JSON at all (quarantine reason `unreadable`). */
export class UnreadablePayload extends MalformedPayload {}

/** No handler for this topic / event type (quarantine reason `unsupported`). */
export class UnsupportedTopic extends MalformedPayload {}
