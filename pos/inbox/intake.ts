/**
 * An authentic delivery, from the inbox to its effect. The webhook calls `processEntry` with the
 * delivery held in memory (`HeldEntry`: stored as it settles, or kept pending durably when it
 * cannot settle within the answer budget); the inbox worker calls it again for entries
 * left pending (an upstream slow or down, an unexpected error, a crash). Effects are idempotent
 * per POS event (deterministic event ids), so processing an entry twice counts once.
 */
import type { PosConnection } from '../connections/connection-store';
import { processAuthentic, UpstreamUnavailable, type Outcome, type ProcessDeps } from '../processing/process-delivery';
import { storedEntry, type EntryRecord } from './held-entry';
import type { InboxEntry, InboxOutcome, InboxSettlement, InboxStore } from './inbox-store';

export interface IntakeDeps extends ProcessDeps {
  readonly inbox: InboxStore;
  /** Entries being processed in this process right now (the worker's sweep leaves them alone). */
  readonly inFlight: Set<string>;
  /** Asks the worker to process an entry again after `delayMs`. */
  schedule(id: string, delayMs: number): void;
  /** Delay before the n-th retry (n = attempts so far, from 1). */
  backoffMs(attempts: number): number;
  /** After this many pending attempts the delivery is quarantined with the reason. */
  readonly maxAttempts: number;
  readonly log?: { warn(message: string): void };
}

export type EntryResult =
  | { readonly kind: 'settled'; readonly outcome: Outcome }
  | { readonly kind: 'pending'; readonly reason: string };

function settlementOf(outcome: Outcome, at: string): InboxSettlement {
  switch (outcome.status) {
    case 'applied':
      return { status: 'done', at, outcome: { status: 'applied', position: outcome.position.toString(), duplicate: outcome.duplicate } };
    case 'ignored':
      return { status: 'done', at, outcome: { status: 'ignored', reason: outcome.reason, ...(outcome.test && { test: true }) } };
    case 'quarantined': {
      const recorded: InboxOutcome = { status: 'quarantined', quarantineId: outcome.id ?? '', reason: outcome.reason };
      return { status: 'quarantined', at, outcome: recorded };
    }
    default: {
      const _exhaustive: never = outcome;
      return _exhaustive;
    }
  }
}

/**
 * Processes an entry once. Settled: the effect is durable (or kept in quarantine) and the entry
 * says so. Pending: the entry records the attempt and the worker is asked to try again later; on
 * the last allowed attempt the delivery goes to quarantine instead, with the reason.
 */
export async function processEntry(
  deps: IntakeDeps, connection: PosConnection, entry: InboxEntry, record: EntryRecord = storedEntry(deps.inbox, entry.id),
): Promise<EntryResult> {
  const last = entry.attempts + 1 >= deps.maxAttempts;
  let outcome: Outcome;
  try {
    outcome = await processAuthentic(deps, connection, entry.delivery, { deferUpstream: !last });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (last) {
      outcome = await giveUp(deps, connection, entry, error instanceof UpstreamUnavailable ? 'order-unavailable' : 'processing-failed', message);
    } else {
      const attempts = entry.attempts + 1;
      const delayMs = deps.backoffMs(attempts);
      const now = deps.clock();
      try {
        await record.keep();
        await deps.inbox.defer(entry.id, { at: now.toISOString(), nextAttemptAt: new Date(now.getTime() + delayMs).toISOString(), error: message });
      } catch (recordError) {
        // Still pending in the store: the next sweep (or the next start) picks it up.
        deps.log?.warn(`POS inbox: could not record attempt of ${entry.id}: ${(recordError as Error).message}`);
      }
      deps.schedule(entry.id, delayMs);
      return { kind: 'pending', reason: message };
    }
  }
  // Durable with the settlement unless the effect is durable in the log already (a sale's events).
  const inLog = outcome.status === 'applied' && outcome.effectInLog === true;
  await record.settle(settlementOf(outcome, deps.clock().toISOString()), !inLog);
  return { kind: 'settled', outcome };
}

async function giveUp(
  deps: IntakeDeps, connection: PosConnection, entry: InboxEntry, reason: 'order-unavailable' | 'processing-failed', message: string,
): Promise<Outcome> {
  const item = await deps.store.putQuarantine({
    id: deps.newId(), connectionId: connection.id, posEventId: `inbox:${entry.id}`, reason,
    detail: `gave up after ${entry.attempts + 1} attempts: ${message}`.slice(0, 1000),
    delivery: entry.delivery, receivedAt: entry.receivedAt,
  });
  return { status: 'quarantined', id: item.id, posEventId: item.posEventId, reason: item.reason, detail: item.detail };
}
