/**
 * Processes inbox entries left pending: at start every pending entry (crash recovery: the
 * process died between storing a delivery and settling it), then each entry the webhook could
 * not settle in time (an upstream slow or down), again with backoff until it settles or is
 * quarantined. One RxJS pipeline: `schedule` feeds a Subject, each entry waits its backoff
 * (`timer`) and is processed; `mergeMap` bounds the entries in flight; a periodic sweep (`timer`
 * + `exhaustMap`) picks up entries nobody is working on (a failed record, a lost schedule).
 * One worker per inbox store.
 */
import { catchError, concatMap, EMPTY, exhaustMap, filter, finalize, from, map, mergeMap, Subject, timer, type Subscription } from 'rxjs';
import type { ConnectionStore } from '../connections/connection-store';
import type { InboxEntry } from './inbox-store';
import { processEntry, type IntakeDeps } from './intake';

export interface InboxWorkerOptions {
  /** Entries processed at once. Default 4. */
  readonly concurrency?: number;
  /** How often to look for pending entries nobody is working on. Default 30 s. */
  readonly sweepMs?: number;
  /** Settled entries older than this are pruned at each sweep (health looks back 7 days). Default 30 days. */
  readonly retentionMs?: number;
}

export interface InboxWorker {
  /** Processes `id` after `delayMs` unless it is already scheduled or in flight. */
  schedule(id: string, delayMs: number): void;
  start(): void;
  /** Stops scheduling; resolves once entries in flight are done. */
  stop(): Promise<void>;
  /** Resolves when nothing is scheduled nor in flight (tests). */
  idle(): Promise<void>;
}

/** Exponential backoff, capped: base, 2·base, 4·base, ... ≤ maxMs. */
export function exponentialBackoff(baseMs: number, maxMs: number): (attempts: number) => number {
  return (attempts) => Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

export function createInboxWorker(
  deps: Omit<IntakeDeps, 'schedule'> & { readonly connections: ConnectionStore },
  options: InboxWorkerOptions = {},
): InboxWorker {
  const concurrency = options.concurrency ?? 4;
  const sweepMs = options.sweepMs ?? 30_000;
  const retentionMs = options.retentionMs ?? 30 * 24 * 3_600_000;
  const scheduled = new Set<string>();
  const due$ = new Subject<{ id: string; delayMs: number }>();
  const subscriptions: Subscription[] = [];
  const active = new Set<Promise<void>>();
  let running = 0;
  let stopped = false;
  const waiters: Array<() => void> = [];
  const settleWaiters = () => {
    if (scheduled.size === 0 && running === 0) waiters.splice(0).forEach((resolve) => resolve());
  };

  const intake: IntakeDeps = { ...deps, schedule: (id, delayMs) => worker.schedule(id, delayMs) };

  async function attempt(id: string): Promise<void> {
    const entry = await deps.inbox.get(id);
    if (!entry || entry.status !== 'pending') return;
    const connection = await deps.connections.getConnection(entry.connectionId);
    if (!connection) {
      deps.log?.warn(`POS inbox: entry ${id} names connection ${entry.connectionId}, which is gone; left pending`);
      return;
    }
    deps.inFlight.add(id);
    try {
      await processEntry(intake, connection, entry);
    } finally {
      deps.inFlight.delete(id);
    }
  }

  const worker: InboxWorker = {
    schedule(id, delayMs) {
      if (stopped || scheduled.has(id)) return;
      scheduled.add(id);
      due$.next({ id, delayMs });
    },
    start() {
      subscriptions.push(due$.pipe(
        // Each entry waits its own backoff; the wait holds no slot of the concurrency bound.
        mergeMap(({ id, delayMs }) => timer(delayMs).pipe(map(() => id))),
        mergeMap((id) => {
          scheduled.delete(id);
          if (deps.inFlight.has(id)) { settleWaiters(); return EMPTY; }
          running++;
          const work = attempt(id);
          active.add(work);
          return from(work).pipe(
            catchError((error: unknown) => {
              deps.log?.warn(`POS inbox: entry ${id} failed: ${(error as Error).message}`);
              return EMPTY;
            }),
            finalize(() => { active.delete(work); running--; settleWaiters(); }),
          );
        }, concurrency),
      ).subscribe());
      // The first sweep, at once, is the crash recovery: whatever was pending when the process died.
      subscriptions.push(timer(0, sweepMs).pipe(
        exhaustMap(() => from((async () => {
          await deps.inbox.prune(new Date(deps.clock().getTime() - retentionMs).toISOString());
          return deps.inbox.listPending(1000);
        })()).pipe(catchError((error: unknown) => {
          deps.log?.warn(`POS inbox: sweep failed: ${(error as Error).message}`);
          return EMPTY;
        }))),
        concatMap((entries: InboxEntry[]) => entries),
        filter((entry) => !deps.inFlight.has(entry.id)),
      ).subscribe((entry) => worker.schedule(entry.id, 0)));
    },
    async stop() {
      stopped = true;
      const inFlight = [...active]; // unsubscribing runs finalize, which forgets them
      subscriptions.splice(0).forEach((s) => s.unsubscribe());
      scheduled.clear();
      await Promise.allSettled(inFlight);
      settleWaiters();
    },
    idle() {
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        settleWaiters();
      });
    },
  };
  return worker;
}
