/**
 * A verified delivery -> its effect -> commands, a quarantine item or nothing.
 * Used by the webhook route, the CSV import and the quarantine retry alike, so a payload
 * retried from quarantine goes through exactly the same mapping as a fresh one.
 */
import type { CommandContext, StockCommands } from '../../write-side/commands/types';
import { SchemaViolation } from '../../schemas/validation';
import type { ConnectionStore, PosConnection, QuarantineReason, StoredDelivery } from '../connections/connection-store';
import { MalformedPayload, type PosEffect, type Ticket } from '../effects';
import { genericEffect } from '../generic/generic-adapter';
import { parsePosJson } from '../pos-json';
import { shopifyEffect } from '../shopify/shopify-adapter';
import { squareNotificationEffect, squareOrderEffect } from '../square/square-adapter';
import { retrieveSquareOrder, SquareApiError } from '../square/square-api';
import { KeyedLock } from './keyed-lock';

export interface ProcessDeps {
  readonly commands: StockCommands;
  readonly store: ConnectionStore;
  readonly fetchImpl: typeof fetch;
  readonly clock: () => Date;
  readonly newId: () => string;
  readonly lock: KeyedLock;
  /** The connection as the adapters should read it (the catalog's derived SKU map under the hand-made one). */
  readonly mapping?: (connection: PosConnection) => Promise<PosConnection>;
  /** Topics handled outside the stock adapters (catalog webhooks): an outcome, or undefined to carry on. */
  readonly topics?: (connection: PosConnection, delivery: StoredDelivery) => Promise<Outcome | undefined>;
}

export type Outcome =
  | { readonly status: 'applied'; readonly position: bigint; readonly duplicate: boolean }
  | { readonly status: 'quarantined'; readonly id?: string; readonly posEventId: string; readonly reason: QuarantineReason; readonly detail: string }
  | { readonly status: 'ignored'; readonly reason: string };

export interface ProcessOptions {
  /** Retrying a quarantined item: report a new problem instead of storing another item. */
  readonly retry?: boolean;
}

/** The effect of a delivery (pure, except JSON parsing). Throws MalformedPayload / SchemaViolation. */
export function effectOf(connection: PosConnection, delivery: StoredDelivery): PosEffect {
  const payload = parsePosJson(delivery.rawBody);
  switch (delivery.kind) {
    case 'shopify':
      if (!delivery.topic) throw new MalformedPayload('X-Shopify-Topic is missing');
      return shopifyEffect(payload, { topic: delivery.topic, ...(delivery.deliveryId && { deliveryId: delivery.deliveryId }) }, connection);
    case 'square':
      return squareNotificationEffect(payload, connection);
    case 'generic':
    case 'csv':
      return genericEffect(payload, connection);
    default: {
      const _exhaustive: never = delivery.kind;
      throw new Error(`unknown delivery kind ${String(_exhaustive)}`);
    }
  }
}

export const isPayloadError = (e: unknown): e is MalformedPayload | SchemaViolation =>
  e instanceof MalformedPayload || e instanceof SchemaViolation;

export async function processDelivery(
  deps: ProcessDeps, connection: PosConnection, delivery: StoredDelivery, options: ProcessOptions = {},
): Promise<Outcome> {
  const routed = await deps.topics?.(connection, delivery);
  if (routed) return routed;
  const mapped = deps.mapping ? await deps.mapping(connection) : connection;
  const effect = effectOf(mapped, delivery);
  return deps.lock.run(`${connection.id}\u0000${lockKey(effect)}`, () => apply(deps, mapped, delivery, effect, options));
}

function lockKey(effect: PosEffect): string {
  switch (effect.kind) {
    case 'sale': case 'return': return effect.tickets[0]?.eventId ?? '';
    case 'observation': return effect.dedupeKey;
    case 'fetch-order': case 'quarantine': return effect.posEventId;
    case 'ignore': return '';
    case 'several': return effect.effects[0] ? lockKey(effect.effects[0]) : '';
    default: { const _exhaustive: never = effect; return String(_exhaustive); }
  }
}

/** Applies an effect built outside a delivery (the scheduled Square pull), under the same lock. */
export function applyEffect(deps: ProcessDeps, connection: PosConnection, delivery: StoredDelivery, effect: PosEffect): Promise<Outcome> {
  return deps.lock.run(`${connection.id}\u0000${lockKey(effect)}`, () => apply(deps, connection, delivery, effect, {}));
}

/** Strips a per-location or per-part suffix: the POS event a ticket came from. */
const baseEventId = (eventId: string) => eventId.split('#')[0]!;

async function apply(
  deps: ProcessDeps, connection: PosConnection, delivery: StoredDelivery, effect: PosEffect, options: ProcessOptions,
): Promise<Outcome> {
  switch (effect.kind) {
    case 'ignore':
      return { status: 'ignored', reason: effect.reason };
    case 'quarantine':
      return quarantine(deps, connection, delivery, effect.posEventId, effect.reason, effect.detail, options);
    case 'fetch-order': {
      let order: unknown;
      let fetched: PosEffect;
      try {
        order = await retrieveSquareOrder(deps.fetchImpl, connection, effect.orderId);
        fetched = squareOrderEffect(order, connection);
      } catch (error) {
        if (!(error instanceof SquareApiError) && !isPayloadError(error)) throw error;
        return quarantine(deps, connection, delivery, effect.posEventId, 'order-unavailable',
          `order ${effect.orderId}: ${(error as Error).message}`, options);
      }
      return apply(deps, connection, delivery, fetched, options);
    }
    case 'observation':
      return observe(deps, connection, delivery, effect);
    case 'sale': case 'return': case 'several':
      return record(deps, connection, delivery, movements(effect), options);
    default: {
      const _exhaustive: never = effect;
      throw new Error(`unknown effect ${String(_exhaustive)}`);
    }
  }
}

type Movement = { kind: 'sale' | 'return'; ticket: Ticket };

function movements(effect: PosEffect): Movement[] {
  if (effect.kind === 'sale' || effect.kind === 'return') return effect.tickets.map((ticket) => ({ kind: effect.kind, ticket }));
  if (effect.kind === 'several') return effect.effects.flatMap(movements);
  return [];
}

async function record(
  deps: ProcessDeps, connection: PosConnection, delivery: StoredDelivery, moves: Movement[], options: ProcessOptions,
): Promise<Outcome> {
  const posEventId = baseEventId(moves[0]!.ticket.eventId);
  // Every location and SKU is checked before the first command: a POS event is applied whole or kept whole.
  for (const { ticket } of moves) {
    if (!(await deps.commands.locationExists(ticket.locationId))) {
      return quarantine(deps, connection, delivery, posEventId, 'unknown-location', `location ${ticket.locationId} does not exist`, options);
    }
    for (const line of ticket.lines) {
      if (!(await deps.commands.productExists(line.sku))) {
        return quarantine(deps, connection, delivery, posEventId, 'unknown-sku', `SKU ${line.sku} does not exist`, options);
      }
    }
  }
  let position = 0n;
  let duplicate = true;
  for (const { kind, ticket } of moves) {
    const pos = { connectionId: connection.id, kind: delivery.kind, eventId: ticket.eventId, ...(ticket.orderId && { orderId: ticket.orderId }) };
    const common = {
      locationId: ticket.locationId, occurredAt: ticket.occurredAt, lines: ticket.lines.map((l) => ({ ...l })), pos,
      ...(ticket.reference && { reference: ticket.reference }),
    };
    const ctx = contextFor(deps, connection, delivery, ticket.eventId);
    const result = kind === 'sale' ? await deps.commands.recordSale(common, ctx) : await deps.commands.recordReturn(common, ctx);
    if (result.position > position) position = result.position;
    duplicate &&= result.duplicate;
  }
  return { status: 'applied', position, duplicate };
}

async function observe(
  deps: ProcessDeps, connection: PosConnection, delivery: StoredDelivery, effect: Extract<PosEffect, { kind: 'observation' }>,
): Promise<Outcome> {
  const seen = await deps.store.getProcessed(connection.id, effect.dedupeKey);
  if (seen !== undefined) return { status: 'applied', position: BigInt(seen), duplicate: true };
  let position: bigint | undefined;
  const skipped = [...effect.skipped];
  for (const obs of effect.observations) {
    if (!(await deps.commands.locationExists(obs.locationId)) || !(await deps.commands.productExists(obs.sku))) {
      skipped.push(`${obs.sku} at ${obs.locationId} is not known here`);
      continue;
    }
    const result = await deps.commands.reconcilePosTotal({ connectionId: connection.id, ...obs }, contextFor(deps, connection, delivery, obs.posEventId));
    if (position === undefined || result.position > position) position = result.position;
  }
  if (position === undefined) return { status: 'ignored', reason: skipped.join('; ') || 'no total to reconcile' };
  await deps.store.putProcessed(connection.id, effect.dedupeKey, position.toString(), deps.clock().toISOString());
  return { status: 'applied', position, duplicate: false };
}

async function quarantine(
  deps: ProcessDeps, connection: PosConnection, delivery: StoredDelivery,
  posEventId: string, reason: QuarantineReason, detail: string, options: ProcessOptions,
): Promise<Outcome> {
  if (options.retry) return { status: 'quarantined', posEventId, reason, detail };
  const item = await deps.store.putQuarantine({
    id: deps.newId(), connectionId: connection.id, posEventId, reason, detail, delivery, receivedAt: deps.clock().toISOString(),
  });
  return { status: 'quarantined', id: item.id, posEventId, reason: item.reason, detail: item.detail };
}

function contextFor(deps: ProcessDeps, connection: PosConnection, delivery: StoredDelivery, eventId: string): CommandContext {
  return {
    actor: { kind: 'pos', id: connection.id },
    source: `pos:${delivery.kind}`,
    correlationId: `${connection.id}:${eventId}`.slice(0, 200),
    ...(delivery.deliveryId && { causationId: delivery.deliveryId.slice(0, 200) }),
    now: deps.clock(),
  };
}
