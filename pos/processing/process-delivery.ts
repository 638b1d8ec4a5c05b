/**
 * A verified delivery -> its effect -> commands, a quarantine item or nothing.
 * Used by the inbox (webhooks), the CSV import and the quarantine retry alike, so a payload
 * retried from quarantine goes through exactly the same mapping as a fresh one. The handler of
 * a topic comes from the topic table (`topic-table.ts`).
 */
import { createHash } from 'node:crypto';
import type { CommandContext, StockCommands } from '../../write-side/commands/types';
import { BusinessRuleViolation } from '../../write-side/domain/errors';
import { SchemaViolation } from '../../schemas/validation';
import type { ConnectionStore, PosConnection, QuarantineReason, StoredDelivery } from '../connections/connection-store';
import { MalformedPayload, UnreadablePayload, UnsupportedTopic, type PosEffect, type Ticket } from '../effects';
import { genericEffect } from '../generic/generic-adapter';
import { parsePosJson } from '../pos-json';
import { isShopifyTest } from '../shopify/shopify-adapter';
import { squareEnvelope, squareOrderEffect } from '../square/square-adapter';
import { retrieveSquareOrder, SquareApiError } from '../square/square-api';
import { KeyedLock } from './keyed-lock';
import { handlerFor, shopifyTopics, squareTopics } from './topic-table';

export interface ProcessDeps {
  readonly commands: StockCommands;
  readonly store: ConnectionStore;
  readonly fetchImpl: typeof fetch;
  readonly clock: () => Date;
  readonly newId: () => string;
  readonly lock: KeyedLock;
  /** Timeout of one POS API call made while a POS waits for its answer (Square Orders API). */
  readonly upstreamTimeoutMs: number;
  /** The connection as the adapters should read it (the catalog's derived SKU map under the hand-made one). */
  readonly mapping?: (connection: PosConnection) => Promise<PosConnection>;
  /** Topics handled outside the stock adapters (catalog webhooks): an outcome, or undefined to carry on. */
  readonly topics?: (connection: PosConnection, delivery: StoredDelivery) => Promise<Outcome | undefined>;
}

export type Outcome =
  | {
    readonly status: 'applied'; readonly position: bigint; readonly duplicate: boolean;
    /**
     * The whole effect is events in the log, durable when the append answered (sales and
     * returns): the webhook may answer without its own fsync of the inbox entry.
     */
    readonly effectInLog?: true;
  }
  | { readonly status: 'quarantined'; readonly id?: string; readonly posEventId: string; readonly reason: QuarantineReason; readonly detail: string }
  | { readonly status: 'ignored'; readonly reason: string; readonly test?: boolean };

export interface ProcessOptions {
  /** Retrying a quarantined item: report a new problem instead of storing another item. */
  readonly retry?: boolean;
  /**
   * A POS API that is slow or down (timeout, network, 408/429/5xx) throws `UpstreamUnavailable`
   * instead of quarantining: the inbox keeps the delivery pending and fetches again with backoff.
   */
  readonly deferUpstream?: boolean;
}

/** A POS API could not answer in time; the delivery stays pending in the inbox. */
export class UpstreamUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpstreamUnavailable';
  }
}

/** The effect of a delivery (pure, except JSON parsing). Throws MalformedPayload / SchemaViolation. */
export function effectOf(connection: PosConnection, delivery: StoredDelivery): PosEffect {
  const payload = parsePosJson(delivery.rawBody);
  switch (delivery.kind) {
    case 'shopify': {
      if (!delivery.topic) throw new UnsupportedTopic('X-Shopify-Topic is missing');
      if (isShopifyTest(payload)) return { kind: 'ignore', reason: `test notification (${delivery.topic}): no stock moves`, test: true };
      const handler = handlerFor(shopifyTopics, delivery.topic);
      if (!handler) throw new UnsupportedTopic(`Shopify topic ${delivery.topic} has no handler`);
      return handler(payload, { topic: delivery.topic, ...(delivery.deliveryId && { deliveryId: delivery.deliveryId }) }, connection);
    }
    case 'square': {
      const notification = squareEnvelope(payload);
      const handler = handlerFor(squareTopics, notification.type);
      if (!handler) throw new UnsupportedTopic(`Square event type ${notification.type} has no handler`);
      return handler(notification, connection);
    }
    case 'generic':
    case 'csv':
      return genericEffect(payload, connection);
    default: {
      const _exhaustive: never = delivery.kind;
      throw new Error(`unknown delivery kind ${String(_exhaustive)}`);
    }
  }
}

/**
 * The effect of an AUTHENTIC delivery: a body we cannot read or map is never refused, it is
 * kept in quarantine (`unreadable` / `unsupported`), one item per distinct body.
 */
export function authenticEffectOf(connection: PosConnection, delivery: StoredDelivery): PosEffect {
  try {
    return effectOf(connection, delivery);
  } catch (error) {
    if (!isPayloadError(error)) throw error;
    return keptAsUnreadable(error, delivery);
  }
}

/** A payload error as a quarantine effect: `unreadable` (not JSON) or `unsupported`, one item per distinct body. */
function keptAsUnreadable(error: MalformedPayload | SchemaViolation, delivery: StoredDelivery): PosEffect {
  const reason = error instanceof UnreadablePayload ? 'unreadable' : 'unsupported';
  const digest = createHash('sha256').update(`${delivery.kind}\u0000${delivery.topic ?? ''}\u0000${delivery.rawBody}`).digest('hex').slice(0, 40);
  const details = 'errors' in error ? error.errors.slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim()) : [];
  return { kind: 'quarantine', posEventId: `${reason}:${digest}`, reason, detail: [error.message, ...details].join('; ').slice(0, 1000) };
}

export const isPayloadError = (e: unknown): e is MalformedPayload | SchemaViolation =>
  e instanceof MalformedPayload || e instanceof SchemaViolation;

/** CSV tickets: a malformed ticket throws (the import reports it against its rows). */
export async function processDelivery(
  deps: ProcessDeps, connection: PosConnection, delivery: StoredDelivery, options: ProcessOptions = {},
): Promise<Outcome> {
  const routed = await deps.topics?.(connection, delivery);
  if (routed) return routed;
  const mapped = deps.mapping ? await deps.mapping(connection) : connection;
  const effect = effectOf(mapped, delivery);
  return deps.lock.run(`${connection.id}\u0000${lockKey(effect)}`, () => apply(deps, mapped, delivery, effect, options));
}

/**
 * Webhook deliveries from the inbox and quarantine retries: never throws for the payload's sake.
 * Catalog topics (`deps.topics`) are routed first, as in `processDelivery`; a payload they cannot
 * read is kept in quarantine like any other.
 */
export async function processAuthentic(
  deps: ProcessDeps, connection: PosConnection, delivery: StoredDelivery, options: ProcessOptions = {},
): Promise<Outcome> {
  let routedError: MalformedPayload | SchemaViolation | undefined;
  try {
    const routed = await deps.topics?.(connection, delivery);
    if (routed) return routed;
  } catch (error) {
    if (!isPayloadError(error)) throw error;
    routedError = error;
  }
  const mapped = deps.mapping ? await deps.mapping(connection) : connection;
  const effect = routedError ? keptAsUnreadable(routedError, delivery) : authenticEffectOf(mapped, delivery);
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
      return { status: 'ignored', reason: effect.reason, ...(effect.test && { test: true }) };
    case 'quarantine':
      return quarantine(deps, connection, delivery, effect.posEventId, effect.reason, effect.detail, options);
    case 'fetch-order': {
      let order: unknown;
      let fetched: PosEffect;
      try {
        order = await retrieveSquareOrder(deps.fetchImpl, connection, effect.orderId, deps.upstreamTimeoutMs);
        fetched = squareOrderEffect(order, connection);
      } catch (error) {
        if (!(error instanceof SquareApiError) && !isPayloadError(error)) throw error;
        if (options.deferUpstream && error instanceof SquareApiError && error.transient) {
          throw new UpstreamUnavailable(`order ${effect.orderId}: ${error.message}`);
        }
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
    const pos = {
      connectionId: connection.id, kind: delivery.kind, eventId: ticket.eventId, ...(ticket.orderId && { orderId: ticket.orderId }),
      ...(ticket.unstocked && ticket.unstocked.length > 0 && { unstocked: ticket.unstocked.map((u) => ({ ...u })) }),
    };
    const common = {
      locationId: ticket.locationId, occurredAt: ticket.occurredAt, lines: ticket.lines.map((l) => ({ ...l })), pos,
      ...(ticket.reference && { reference: ticket.reference }),
    };
    const ctx = contextFor(deps, connection, delivery, ticket.eventId);
    const result = kind === 'sale' ? await deps.commands.recordSale(common, ctx) : await deps.commands.recordReturn(common, ctx);
    if (result.position > position) position = result.position;
    duplicate &&= result.duplicate;
  }
  return { status: 'applied', position, duplicate, effectInLog: true };
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
    let result;
    try {
      result = await deps.commands.reconcilePosTotal({ connectionId: connection.id, ...obs }, contextFor(deps, connection, delivery, obs.posEventId));
    } catch (error) {
      // A total is an observation: one too old to compare is of no use, and a POS must not retry it.
      if (error instanceof BusinessRuleViolation && error.code === 'observation-too-old') {
        skipped.push(`${obs.sku} at ${obs.locationId}: the total of ${obs.observedAt} is too old to compare`);
        continue;
      }
      throw error;
    }
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
