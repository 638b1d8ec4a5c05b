/**
 * The command service: for each command it loads the states the decision needs (cached per
 * stream, caught up from the cached revision), decides with the pure domain, validates the
 * events against their schemas and appends them to the one stream they belong to:
 *
 * - with that stream's expected revision (balance-dependent decisions: nothing is lost to a
 *   concurrent command), re-reading and re-deciding on a conflict, at most `maxAttempts` times;
 * - with `any` for sales and returns (facts from the tills: no contention between tills), under a
 *   deterministic event id so a repeat is recognised.
 *
 * A repeat answers `duplicate: true` and the position of the original event.
 */
import type { DomainEvent } from '../../schemas/types';
import { assertValidEvent } from '../../schemas/validation';
import type { ProductState } from '../domain/catalog/product-state';
import type { StockCommand } from '../domain/commands';
import { decide, locationStream, productStream, streams, transferStream } from '../domain/decide';
import { NotFound } from '../domain/errors';
import { idempotencyKeyOf, idempotencyKeyOfCommand } from '../domain/idempotency';
import { onHandOf, type LocationState } from '../domain/locations/location-state';
import { ourQuantityAt } from '../domain/stock/reconcile-pos-total';
import { evolveTransfer, initialTransferState, type TransferState } from '../domain/transfers/transfer-state';
import type { DecisionView } from '../domain/view';
import {
  ConcurrencyError, IdempotencyConflictError, type AppendResult, type EventStore, type EventToAppend,
} from '../eventstore/port';
import { deterministicId, newId, posReturnEventId, posSaleEventId } from './ids';
import { KeyedLock } from './keyed-lock';
import { StreamCache, type CachedStream } from './stream-cache';
import type { SnapshotStore } from './snapshots/port';
import type { CommandContext, CommandResult, StockCommands } from './types';

export interface StockCommandsOptions {
  /** Streams kept in the state cache (least recently used evicted). Default 10 000. */
  readonly maxCachedStreams?: number;
  /** Decide-and-append attempts before a concurrency conflict surfaces (409). Default 10. */
  readonly maxAttempts?: number;
  /** Where location states are snapshotted (a cold decision reads only the tail); absent: none. */
  readonly snapshots?: SnapshotStore;
  /** Save a snapshot every this many events of a stream. Default 1000. */
  readonly snapshotEvery?: number;
  readonly onSnapshotError?: (error: unknown) => void;
}

type StreamRef =
  | { readonly kind: 'location'; readonly id: string }
  | { readonly kind: 'product'; readonly id: string }
  | { readonly kind: 'transfer'; readonly id: string };

const loc = (id: string): StreamRef => ({ kind: 'location', id });
const prod = (id: string): StreamRef => ({ kind: 'product', id });
const xfer = (id: string): StreamRef => ({ kind: 'transfer', id });
const streamIdOf = (ref: StreamRef): string =>
  ref.kind === 'location' ? locationStream(ref.id) : ref.kind === 'product' ? productStream(ref.id) : transferStream(ref.id);

const isRetryable = (error: unknown) => error instanceof ConcurrencyError || error instanceof IdempotencyConflictError;

/** Reads a transfer's plan straight from the store (the HTTP edge uses it to check access to the origin). */
export async function readTransfer(eventStore: EventStore, transferId: string): Promise<TransferState> {
  const events = await eventStore.readStream(transferStream(transferId), { maxCount: 1 });
  return events.reduce((state, r) => evolveTransfer(state, { type: r.type, data: r.data } as DomainEvent), initialTransferState());
}

export function createStockCommands(eventStore: EventStore, options: StockCommandsOptions = {}): StockCommands {
  const cache = new StreamCache(eventStore, options.maxCachedStreams ?? 10_000, {
    ...(options.snapshots && { snapshots: options.snapshots }),
    ...(options.snapshotEvery !== undefined && { snapshotEvery: options.snapshotEvery }),
    ...(options.onSnapshotError && { onSnapshotError: options.onSnapshotError }),
  });
  const lock = new KeyedLock();
  const maxAttempts = options.maxAttempts ?? 10;

  // Registered products and created transfers never change again: no need to re-read them.
  const loadRef = (ref: StreamRef): Promise<CachedStream<unknown>> => loadTyped(ref) as Promise<unknown> as Promise<CachedStream<unknown>>;
  const loadTyped = (ref: StreamRef) => {
    switch (ref.kind) {
      case 'location': return cache.load<LocationState>(streamIdOf(ref), streams.location);
      case 'product': return cache.load<ProductState>(streamIdOf(ref), streams.product, (s) => s.registered);
      case 'transfer': return cache.load<TransferState>(streamIdOf(ref), streams.transfer, (s) => s.created);
      default: {
        const _exhaustive: never = ref;
        throw new Error('unknown stream kind');
      }
    }
  };

  async function loadView(refs: readonly StreamRef[], warm = false): Promise<{ view: DecisionView; entries: Map<string, CachedStream<unknown>> }> {
    const unique = [...new Map(refs.map((r) => [streamIdOf(r), r])).values()];
    const loaded = await Promise.all(unique.map((r) => (warm && r.kind === 'location'
      ? cache.loadWarm<LocationState>(streamIdOf(r), streams.location) as Promise<unknown> as Promise<CachedStream<unknown>>
      : loadRef(r))));
    const entries = new Map(loaded.map((e) => [e.streamId, e]));
    const stateOf = <S>(streamId: string, initial: () => S): S => (entries.get(streamId)?.state as S | undefined) ?? initial();
    const view: DecisionView = {
      location: (id) => stateOf(locationStream(id), streams.location.initial),
      product: (sku) => stateOf(productStream(sku), streams.product.initial),
      transfer: (id) => stateOf(transferStream(id), streams.transfer.initial),
    };
    return { view, entries };
  }

  function eventIdFor(command: StockCommand, event: DomainEvent, streamId: string): string {
    if (command.type === 'RecordSale' && command.pos) return posSaleEventId(command.pos.connectionId, command.pos.eventId);
    if (command.type === 'RecordReturn' && command.pos) return posReturnEventId(command.pos.connectionId, command.pos.eventId);
    const key = idempotencyKeyOf(event);
    return key === undefined ? newId() : deterministicId(`${streamId}/${key}`);
  }

  function envelope(command: StockCommand, event: DomainEvent, streamId: string, ctx: CommandContext): EventToAppend {
    const metadata = {
      actor: ctx.actor, source: ctx.source, correlationId: ctx.correlationId,
      ...(ctx.causationId !== undefined && { causationId: ctx.causationId }),
    };
    assertValidEvent(event.type, event.data, metadata);
    return { id: eventIdFor(command, event, streamId), type: event.type, data: event.data as Record<string, unknown>, metadata };
  }

  /** Extra information for the answer; never a reason to fail a command that was decided. */
  const safely = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch {
      return undefined;
    }
  };

  interface Execution {
    readonly target: StreamRef;
    readonly reads: readonly StreamRef[];
    /** Sales and returns: no expected revision, serialized per fact instead of per stream. */
    readonly appendAny?: boolean;
  }

  async function execute<T = undefined>(
    command: StockCommand, ctx: CommandContext, how: Execution, inspect?: (view: DecisionView) => T,
  ): Promise<CommandResult & { inspected: T | undefined }> {
    const streamId = streamIdOf(how.target);
    const key = idempotencyKeyOfCommand(command);
    // Sales and returns overlap on their stream (no expected revision), one at a time per fact;
    // any other command on the stream waits for them and they for it (keyed-lock.ts).
    const serialized = <R>(work: () => Promise<R>): Promise<R> => how.appendAny
      ? lock.runShared(streamId, () => lock.run(`${streamId}|${key ?? newId()}`, work))
      : lock.run(streamId, work);
    return serialized(async () => {
      for (let attempt = 1; ; attempt += 1) {
        // A sale or return on the embedded store decides first on the cached state, without a
        // read of the stream: every append of this process folds into the cache (`advance`), and
        // a state stale by another writer's append cannot make the decision wrong: the repeat it
        // fails to see carries the stored event's deterministic id, which the store refuses
        // exactly (a replay, or IdempotencyConflictError when `recordedAt` differs); that attempt
        // and any retry read the stream as before.
        const warm = how.appendAny === true && attempt === 1 && eventStore.kind === 'embedded';
        const { view, entries } = await loadView([how.target, ...how.reads], warm);
        const target = entries.get(streamId)!;
        // From here to the append's call nothing awaits: the decision and the revision match.
        const events = decide(command, view);
        const inspected = safely(() => inspect?.(view));
        const original = key === undefined ? undefined : target.positions.get(key);
        if (events.length === 0) {
          // A key the state remembers but this process never saw stored (it came with a snapshot):
          // a repeat all the same; the stream's last position includes the original.
          const remembered = key !== undefined && target.kind.remembers?.(target.state, key) === true;
          return {
            position: original ?? target.lastPosition,
            duplicate: original !== undefined || remembered || command.type === 'SetReorderPoint',
            inspected,
          };
        }
        const toAppend = events.map((e) => envelope(command, e, streamId, ctx));
        const expected = how.appendAny ? 'any' : target.revision < 0n ? 'no_stream' : target.revision;
        let appended: AppendResult;
        try {
          appended = await eventStore.append(streamId, toAppend, expected);
        } catch (error) {
          // The fact's deterministic id is already stored, yet after a catch-up (the retry above)
          // the state still does not know its key: a repeat older than the dedupe window. The
          // store's id dedupe kept it out; the stream's last position includes the original.
          if (error instanceof IdempotencyConflictError && attempt > 1 && key !== undefined) {
            return { position: target.lastPosition, duplicate: true, inspected };
          }
          if (isRetryable(error) && attempt < maxAttempts) continue;
          throw error;
        }
        const { position } = appended;
        // Catch up (from the append's answer when nothing came in between, else by reading):
        // if the same fact was already stored (a concurrent repeat), its key points to it.
        await cache.advance(target, events, appended);
        const stored = key === undefined ? undefined : target.positions.get(key);
        return { position: stored ?? position, duplicate: stored !== undefined && stored !== position, inspected };
      }
    });
  }

  const stamp = (ctx: CommandContext) => ctx.now.toISOString();
  const result = ({ position, duplicate }: CommandResult): CommandResult => ({ position, duplicate });

  async function transferPlan(transferId: string): Promise<Extract<TransferState, { created: true }>> {
    const entry = await loadRef(xfer(transferId));
    const state = entry.state as TransferState;
    if (!state.created) throw new NotFound(`unknown transfer ${transferId}`, 'unknown-transfer');
    return state;
  }

  const locationState = async (locationId: string) => (await loadRef(loc(locationId))).state as LocationState;
  // A registration is never undone: once the cached state says registered, no need to read the
  // location's stream again just to check that it exists (it is hot: every sale appends to it).
  const locationRegistered = (locationId: string) =>
    cache.load<LocationState>(locationStream(locationId), streams.location, (s) => s.registered);

  return {
    async registerLocation(cmd, ctx) {
      const command: StockCommand = { type: 'RegisterLocation', locationId: cmd.id, name: cmd.name, locationType: cmd.type, now: stamp(ctx) };
      return result(await execute(command, ctx, { target: loc(cmd.id), reads: [] }));
    },

    async registerProduct(cmd, ctx) {
      const command: StockCommand = { type: 'RegisterProduct', ...cmd, now: stamp(ctx) };
      return result(await execute(command, ctx, { target: prod(cmd.sku), reads: [] }));
    },

    async setReorderPoint(cmd, ctx) {
      const command: StockCommand = { type: 'SetReorderPoint', ...cmd, now: stamp(ctx) };
      return result(await execute(command, ctx, { target: loc(cmd.locationId), reads: [prod(cmd.sku)] }));
    },

    async receiveStock(cmd, ctx) {
      const receiptId = cmd.receiptId ?? newId();
      const command: StockCommand = { type: 'ReceiveStock', ...cmd, receiptId, now: stamp(ctx) };
      const reads = cmd.lines.map((l) => prod(l.sku));
      return { ...result(await execute(command, ctx, { target: loc(cmd.locationId), reads })), receiptId };
    },

    async adjustStock(cmd, ctx) {
      const adjustmentId = cmd.adjustmentId ?? newId();
      const command: StockCommand = { type: 'AdjustStock', ...cmd, adjustmentId, now: stamp(ctx) };
      return { ...result(await execute(command, ctx, { target: loc(cmd.locationId), reads: [prod(cmd.sku)] })), adjustmentId };
    },

    async countStock(cmd, ctx) {
      const countId = cmd.countId ?? newId();
      const now = stamp(ctx);
      const command: StockCommand = { type: 'CountStock', ...cmd, countId, countedAt: cmd.countedAt ?? now, now };
      const reads = cmd.lines.map((l) => prod(l.sku));
      return { ...result(await execute(command, ctx, { target: loc(cmd.locationId), reads })), countId };
    },

    async createTransfer(cmd, ctx) {
      const id = cmd.id ?? newId();
      const command: StockCommand = {
        type: 'CreateTransfer', transferId: id, fromLocationId: cmd.fromLocationId, toLocationId: cmd.toLocationId,
        lines: cmd.lines, now: stamp(ctx),
      };
      const reads = [loc(cmd.fromLocationId), loc(cmd.toLocationId), ...cmd.lines.map((l) => prod(l.sku))];
      return { ...result(await execute(command, ctx, { target: xfer(id), reads })), id };
    },

    async dispatchTransfer(transferId, ctx) {
      const plan = await transferPlan(transferId);
      const command: StockCommand = { type: 'DispatchTransfer', transferId, now: stamp(ctx) };
      return result(await execute(command, ctx, { target: loc(plan.fromLocationId), reads: [xfer(transferId)] }));
    },

    async receiveTransfer(transferId, cmd, ctx) {
      const plan = await transferPlan(transferId);
      const command: StockCommand = {
        type: 'ReceiveTransfer', transferId, final: cmd.final ?? true, now: stamp(ctx), ...(cmd.lines && { lines: cmd.lines }),
        ...(cmd.receiptId !== undefined && { receiptId: cmd.receiptId }),
      };
      const reads = [xfer(transferId), loc(plan.fromLocationId)];
      return result(await execute(command, ctx, { target: loc(plan.toLocationId), reads }));
    },

    async cancelTransfer(transferId, cmd, ctx) {
      const plan = await transferPlan(transferId);
      const command: StockCommand = { type: 'CancelTransfer', transferId, now: stamp(ctx), ...(cmd.reason !== undefined && { reason: cmd.reason }) };
      return result(await execute(command, ctx, { target: loc(plan.fromLocationId), reads: [xfer(transferId)] }));
    },

    async recordSale(cmd, ctx) {
      const now = stamp(ctx);
      const saleId = cmd.saleId ?? (cmd.pos ? `${cmd.pos.connectionId}:${cmd.pos.eventId}` : newId());
      const command: StockCommand = { type: 'RecordSale', ...cmd, saleId, occurredAt: cmd.occurredAt ?? now, now };
      return result(await execute(command, ctx, { target: loc(cmd.locationId), reads: [], appendAny: true }));
    },

    async recordReturn(cmd, ctx) {
      const now = stamp(ctx);
      const returnId = cmd.returnId ?? (cmd.pos ? `${cmd.pos.connectionId}:${cmd.pos.eventId}` : newId());
      const command: StockCommand = { type: 'RecordReturn', ...cmd, returnId, occurredAt: cmd.occurredAt ?? now, now };
      return result(await execute(command, ctx, { target: loc(cmd.locationId), reads: [], appendAny: true }));
    },

    async reconcilePosTotal(obs, ctx) {
      const command = { type: 'ReconcilePosTotal', ...obs, now: stamp(ctx) } as const;
      const outcome = await execute(command, ctx, { target: loc(obs.locationId), reads: [prod(obs.sku)] },
        (view) => obs.posQuantity - ourQuantityAt(command, view));
      return { ...result(outcome), difference: outcome.inspected ?? 0 };
    },

    async locationExists(locationId) {
      return (await locationRegistered(locationId)).state.registered;
    },

    async productExists(sku) {
      return ((await loadRef(prod(sku))).state as ProductState).registered;
    },

    async onHand(locationId, sku) {
      return onHandOf(await locationState(locationId), sku);
    },
  };
}
