/**
 * Runs the projections: one pipeline and one checkpoint per projection, so a projection that
 * fails stops alone and the others keep reflecting the log.
 *
 * Per projection: read its checkpoint; catch up by pulling pages of `readAll` (the next page
 * is read only once the previous one is committed, so memory stays bounded however long the
 * log); then go live with `subscribe(checkpoint)` (which itself closes the seam without gap or
 * duplicate), batched with `liveBatches` (bigger batches under load) and processed strictly
 * one batch after another (`concatMap`). Each batch is one unit of work and one commit of documents + checkpoint;
 * its changes are published on `changes$` only after that commit. The batches of every projection
 * that arrive in one turn share one transaction (group-commit.ts), each checkpoint in it moving
 * with its own documents.
 *
 * A projector that throws stops its projection at the failing event (the events before it
 * are committed), records the failure in `status()`/`failures$` and logs it; nothing is skipped.
 * `restart(name)` resumes from the checkpoint. Any other error (a dropped subscription, a store
 * that is briefly unavailable) resubscribes from the stored checkpoint with backoff.
 */
import {
  EMPTY, Observable, Subject, bufferWhen, concat, concatMap, connect, defer, expand, filter, firstValueFrom, from, ignoreElements,
  map, of, race, retry, skip, switchMap, take, tap, throwError, timeout, timer, type OperatorFunction, type Subscription,
} from 'rxjs';
import type { EventStore } from '../../write-side/eventstore/port';
import type { Fence, ReadStore } from '../readstore/port';
import { ProjectorError, applyBatch, type BatchResult } from './apply-batch';
import { foldLane, foldLog, type FoldLane } from './fold-log';
import { groupCommitter, type GroupCommitter } from './group-commit';
import type { Projection, ReadModelChange } from './projection';

export interface ProjectionRunnerOptions {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  readonly projections: readonly Projection[];
  /** Live batching (see `liveBatches`). Default 500 events / 20 ms, 25 ms once batches reach 10 events. */
  readonly batch?: Partial<LiveBatching>;
  /** Events per catch-up page (one commit each). Default 2000. */
  readonly catchUpPageSize?: number;
  /** Where failures and retries are logged. Default: console.error. */
  readonly log?: (message: string) => void;
  /** Delay before resubscribing after an infrastructure error. Default: 100 ms doubling to 10 s. */
  readonly retryDelayMs?: (attempt: number) => number;
  /**
   * The lease this runner holds, checked by the read store in the same transaction as every
   * batch commit (topology/): a runner whose lease was taken over commits nothing more.
   * Absent: the only runner (one process, no lease).
   */
  readonly fence?: () => Fence | undefined;
  /**
   * The bulk catch-up (`foldLog`, the rebuild's path): projections at least `minEvents` behind
   * the head when the runner starts (a first start on an empty read store, a long outage) are
   * folded in memory, one read of the log for all of them, one commit per projection every
   * `chunkEvents` events; then each goes on with the paged catch-up and live as before. `false`
   * turns it off. Defaults: 10,000 behind, 5,000-event pages, 20,000-event chunks: a chunk's
   * commit is one synchronous transaction that also maintains every index of the live store, and
   * holds the thread and the write lock meanwhile (lease renewals of other roles wait on it), so
   * chunks are smaller than a rebuild's; the documents a chunk touched stay in memory for the
   * next one, so a smaller chunk costs writes of the hot documents, not reads.
   */
  readonly bulkCatchUp?: Partial<BulkCatchUp> | false;
}

export interface BulkCatchUp {
  readonly minEvents: number;
  readonly pageSize: number;
  readonly chunkEvents: number;
}

/** Where the bulk catch-up is (absent once it is done or when it did not run). */
export interface CatchUpProgress {
  /** Head of the log the catch-up is heading for, and the lowest checkpoint of its projections. */
  readonly head: bigint;
  readonly position: bigint;
  readonly behind: bigint;
  /** Share of the log (from position 0) the slowest of its projections has passed, 0-100. */
  readonly percent: number;
  readonly eventsPerSecond: number;
  /** Estimated seconds to the head at the rate so far (absent until a rate is known). */
  readonly etaSeconds?: number;
}

export type ProjectionState = 'idle' | 'catching_up' | 'live' | 'failed' | 'stopped';

export interface ProjectionFailure {
  readonly projection: string;
  /** Position of the event the projector threw on (the checkpoint stays just before it). */
  readonly position: bigint;
  readonly eventType: string;
  readonly error: string;
}

export interface ProjectionStatus {
  readonly name: string;
  readonly state: ProjectionState;
  /** Last committed position of this projection. */
  readonly checkpoint: bigint;
  readonly failure?: ProjectionFailure;
}

interface Slot {
  readonly projection: Projection;
  state: ProjectionState;
  checkpoint: bigint;
  failure?: ProjectionFailure;
  subscription?: Subscription;
  /** The batch being read, applied and committed, awaited by `stop()`. */
  inFlight?: Promise<unknown>;
  /** Bumped by every run and stop: work of an older run that is still in flight commits nothing more. */
  run: number;
}

export class ProjectionRunner {
  private readonly changesSubject = new Subject<ReadModelChange>();
  private readonly failuresSubject = new Subject<ProjectionFailure>();
  private readonly committedSubject = new Subject<void>();
  private readonly slots = new Map<string, Slot>();
  private readonly batching: LiveBatching;
  private readonly pageSize: number;
  private readonly log: (message: string) => void;
  private readonly retryDelayMs: (attempt: number) => number;
  private indexesEnsured = false;
  private readonly bulk: BulkCatchUp | undefined;
  /** The bulk catch-up in flight (resolves, never rejects), and a token `stop()` bumps. */
  private bulkDone: Promise<void> | undefined;
  private bulkRun = 0;
  private bulkProgress: CatchUpProgress | undefined;
  /** The batches the projections hand over in one turn commit in one transaction (group-commit.ts). */
  private readonly committer: GroupCommitter;

  /** Every change, after the batch that made it is committed (hot: late subscribers miss earlier ones). */
  readonly changes$: Observable<ReadModelChange> = this.changesSubject.asObservable();
  readonly failures$: Observable<ProjectionFailure> = this.failuresSubject.asObservable();

  constructor(private readonly options: ProjectionRunnerOptions) {
    const maxMs = options.batch?.maxMs ?? 20;
    this.batching = {
      maxEvents: options.batch?.maxEvents ?? 500,
      maxMs,
      busyEvents: options.batch?.busyEvents ?? 10,
      // 25, not 100: under a flood the window is what an SSE client waits for first (freshness
      // target 100 ms, docs/benchmarks.md); 4x the commits of 100 ms, each bounded by maxEvents.
      busyMs: Math.max(maxMs, options.batch?.busyMs ?? 25),
    };
    this.pageSize = options.catchUpPageSize ?? 2000;
    this.committer = groupCommitter(options.readStore);
    this.bulk = options.bulkCatchUp === false ? undefined : {
      minEvents: options.bulkCatchUp?.minEvents ?? 10_000,
      pageSize: options.bulkCatchUp?.pageSize ?? 5_000,
      chunkEvents: options.bulkCatchUp?.chunkEvents ?? 20_000,
    };
    this.log = options.log ?? ((message) => console.error(message));
    this.retryDelayMs = options.retryDelayMs ?? ((attempt) => Math.min(10_000, 100 * 2 ** (attempt - 1)));
    for (const projection of options.projections) {
      if (this.slots.has(projection.name)) throw new Error(`two projections are named ${projection.name}`);
      this.slots.set(projection.name, { projection, state: 'idle', checkpoint: 0n, run: 0 });
    }
  }

  /** Starts every projection; resolves once their indexes exist and pipelines run (not once caught up). */
  async start(): Promise<void> {
    if (!this.indexesEnsured) {
      for (const { projection } of this.slots.values()) await this.options.readStore.ensureIndexes(projection.indexes);
      this.indexesEnsured = true;
    }
    const starting = [...this.slots.values()].filter((slot) => !slot.subscription);
    // Their pipelines wait for the bulk catch-up (when one is needed), then resume from the
    // checkpoints it committed. Deciding first keeps a start with nothing to fold as it was.
    const run = (this.bulkRun += 1);
    const lanes = this.bulk && starting.length > 0
      ? await this.bulkLanes(starting, this.bulk).catch((error: unknown) => {
        this.log(`bulk catch-up not started: ${describe(error)}; the paged catch-up takes over`);
        return undefined;
      })
      : undefined;
    this.bulkDone = lanes && run === this.bulkRun ? this.bulkCatchUp(starting, this.bulk!, run, lanes) : undefined;
    for (const slot of starting) this.run(slot);
  }

  /** Progress of the bulk catch-up while it runs (for `/health`). */
  catchUpProgress(): CatchUpProgress | undefined {
    return this.bulkProgress;
  }

  /**
   * Folds every projection of `slots` that is far behind, with one read of the log, up to the
   * head (again while the head ran away meanwhile by `minEvents` or more). Never throws: a
   * projector that fails here, or a store error, leaves that projection to the paged catch-up,
   * which commits the events before the failing one and reports it as before.
   */
  /** The projections of `slots` at least `minEvents` behind the head, as fold lanes (none: undefined). */
  private async bulkLanes(slots: readonly Slot[], o: BulkCatchUp): Promise<Map<FoldLane, Slot> | undefined> {
    const { eventStore, readStore } = this.options;
    const head = await eventStore.headPosition();
    const bySlot = new Map<FoldLane, Slot>();
    for (const slot of slots) {
      const checkpoint = await readStore.checkpoint(slot.projection.name);
      slot.checkpoint = checkpoint;
      if (head - checkpoint < BigInt(o.minEvents)) continue;
      // Checkpoint 0: nothing was ever committed, so the collections hold nothing of it.
      bySlot.set(foldLane(readStore, slot.projection, checkpoint, head, checkpoint === 0n), slot);
    }
    return bySlot.size > 0 ? bySlot : undefined;
  }

  /**
   * Folds the projections of `first` with one read of the log up to the head, then again while
   * the head ran away meanwhile by `minEvents` or more. Never throws: a projector that fails
   * here, or a store error, leaves that projection to the paged catch-up, which commits the
   * events before the failing one and reports the failure as before.
   */
  private async bulkCatchUp(slots: readonly Slot[], o: BulkCatchUp, run: number, first: Map<FoldLane, Slot>): Promise<void> {
    const { eventStore, readStore } = this.options;
    const stopped = () => run !== this.bulkRun;
    const started = performance.now();
    const failed = new Set<Slot>();
    let bySlot: Map<FoldLane, Slot> | undefined = first;
    const from = [...first.keys()].reduce((a, lane) => (lane.committed < a ? lane.committed : a), first.keys().next().value!.target);
    readStore.catchingUp?.(true);
    try {
      // Projections starting from zero load empty collections: their indexes are built at the end.
      for (const [lane, slot] of first) if (lane.committed === 0n) readStore.deferIndexes?.(slot.projection.collections);
      while (bySlot && !stopped()) {
        const lanes = [...bySlot.keys()];
        const head = lanes[0]!.target;
        const lowest = lanes.reduce((a, lane) => (lane.committed < a ? lane.committed : a), head);
        this.bulkProgress = progressOf(from, lowest, head, started);
        await foldLog({
          eventStore, store: readStore, lanes, pageSize: o.pageSize, chunkEvents: o.chunkEvents,
          ...(this.options.fence && { fence: this.options.fence }),
          onProjectorError: 'drop', stopped, yieldBetweenPages: true,
          onPage: ({ position }) => { this.bulkProgress = progressOf(from, position, head, started); },
          onCommit: (lane) => {
            bySlot!.get(lane)!.checkpoint = lane.committed;
            this.committedSubject.next();
          },
        });
        for (const [lane, slot] of bySlot) {
          if (!lane.failed) continue;
          failed.add(slot);
          this.log(`projection ${slot.projection.name}: bulk catch-up stopped at ${lane.failed.position}; the paged catch-up takes over`);
        }
        if (stopped()) return;
        bySlot = await this.bulkLanes(slots.filter((slot) => !failed.has(slot)), o);
      }
    } catch (error) {
      if (!stopped()) this.log(`bulk catch-up: ${describe(error)}; the paged catch-up takes over`);
    } finally {
      try {
        readStore.catchingUp?.(false); // SQLite builds the deferred indexes here
      } catch (error) {
        // Never throws (the pipelines wait on it): the next start's `ensureIndexes` builds them.
        this.log(`bulk catch-up: ending it failed: ${describe(error)}`);
      }
      if (!stopped()) this.bulkProgress = undefined;
    }
  }

  /** Stops every projection: the batch being committed finishes, nothing more is read. */
  async stop(): Promise<void> {
    const slots = [...this.slots.values()];
    this.bulkRun += 1;
    this.bulkProgress = undefined;
    for (const slot of slots) {
      slot.run += 1;
      slot.subscription?.unsubscribe();
      slot.subscription = undefined;
    }
    await Promise.allSettled([this.bulkDone, ...slots.map((slot) => slot.inFlight)]);
    for (const slot of slots) if (slot.state !== 'failed') slot.state = 'stopped';
  }

  /** Resumes a failed or stopped projection from its checkpoint. */
  restart(name: string): void {
    const slot = this.slots.get(name);
    if (!slot) throw new Error(`no projection named ${name}`);
    if (slot.subscription && slot.state !== 'failed') return;
    slot.subscription?.unsubscribe();
    slot.failure = undefined;
    this.run(slot);
  }

  status(): ProjectionStatus[] {
    return [...this.slots.values()].map((s) => ({
      name: s.projection.name, state: s.state, checkpoint: s.checkpoint, ...(s.failure ? { failure: s.failure } : {}),
    }));
  }

  /** The position every read model reflects: the lowest committed checkpoint. */
  position(): bigint {
    let min: bigint | undefined;
    for (const slot of this.slots.values()) if (min === undefined || slot.checkpoint < min) min = slot.checkpoint;
    return min ?? 0n;
  }

  /** Resolves true once every projection has committed `position`, false after `timeoutMs`. */
  async waitForPosition(position: bigint, timeoutMs = 5000): Promise<boolean> {
    if (this.slots.size === 0 || this.position() >= position) return true;
    return firstValueFrom(this.committedSubject.pipe(
      filter(() => this.position() >= position),
      map(() => true),
      timeout({ first: timeoutMs, with: () => of(false) }),
    ), { defaultValue: false });
  }

  private run(slot: Slot): void {
    slot.state = 'catching_up';
    slot.run += 1;
    slot.subscription = this.pipeline(slot, slot.run).subscribe({
      error: (error: unknown) => this.fail(slot, error),
    });
  }

  private pipeline(slot: Slot, run: number): Observable<never> {
    const { readStore } = this.options;
    // After the bulk catch-up (if one runs): resume from what it committed.
    const bulk = this.bulkDone;
    return defer(() => (bulk ? from(bulk.then(() => readStore.checkpoint(slot.projection.name))) : from(readStore.checkpoint(slot.projection.name)))).pipe(
      switchMap((checkpoint) => {
        slot.checkpoint = checkpoint;
        slot.state = 'catching_up';
        return concat(this.catchUp(slot, run), defer(() => this.live(slot, run)));
      }),
      retry({
        resetOnSuccess: true,
        delay: (error: unknown, attempt) => {
          if (error instanceof ProjectorError) return throwError(() => error);
          this.log(`projection ${slot.projection.name}: ${describe(error)}; resuming from its checkpoint (attempt ${attempt})`);
          return timer(this.retryDelayMs(attempt));
        },
      }),
      ignoreElements(),
    );
  }

  /** Pulls pages of the log; the next page is read only after this one is committed. */
  private catchUp(slot: Slot, run: number): Observable<BatchResult> {
    const page = () => defer(() => this.track(slot, (async () => {
      // A macrotask between pages: the store calls below resolve as microtasks, and a catch-up of
      // a million events would otherwise hold the thread (and every request) until it is done.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const after = slot.checkpoint;
      const events = await this.options.eventStore.readAll({ after, maxCount: this.pageSize });
      const result = await this.process(slot, run, events);
      // A full page that moved nothing would be read again forever: only a broken store does that.
      if (events.length === this.pageSize && slot.checkpoint <= after) {
        throw new Error(`event store answered a page at or before ${after} when asked for events after it`);
      }
      return { full: events.length === this.pageSize, result };
    })()));
    return page().pipe(
      expand(({ full }) => (full ? page() : EMPTY)),
      map(({ result }) => result),
    );
  }

  private live(slot: Slot, run: number): Observable<BatchResult> {
    slot.state = 'live';
    return this.options.eventStore.subscribe(slot.checkpoint).pipe(
      liveBatches(this.batching),
      concatMap((batch) => this.track(slot, this.process(slot, run, batch))),
    );
  }

  private track<T>(slot: Slot, work: Promise<T>): Promise<T> {
    slot.inFlight = work.catch(() => undefined);
    return work;
  }

  private async process(slot: Slot, run: number, events: Parameters<typeof applyBatch>[3]): Promise<BatchResult> {
    if (run !== slot.run) return { committed: slot.checkpoint, changes: [], applied: 0 }; // stopped meanwhile
    try {
      const result = await applyBatch(slot.projection, this.options.readStore, slot.checkpoint, events, this.options.fence?.(), this.committer.commit);
      this.committed(slot, result);
      return result;
    } catch (error) {
      if (error instanceof ProjectorError && error.prefix) this.committed(slot, error.prefix);
      throw error;
    }
  }

  private committed(slot: Slot, result: BatchResult): void {
    if (result.committed <= slot.checkpoint && result.changes.length === 0) return;
    slot.checkpoint = result.committed;
    for (const change of result.changes) this.changesSubject.next(change);
    this.committedSubject.next();
  }

  private fail(slot: Slot, error: unknown): void {
    slot.state = 'failed';
    slot.subscription = undefined;
    const failure: ProjectionFailure = error instanceof ProjectorError
      ? { projection: error.projection, position: error.position, eventType: error.eventType, error: describe(error.cause) }
      : { projection: slot.projection.name, position: slot.checkpoint + 1n, eventType: 'unknown', error: describe(error) };
    slot.failure = failure;
    this.log(`projection ${failure.projection} stopped at position ${failure.position} (${failure.eventType}): ${failure.error}`);
    this.failuresSubject.next(failure);
  }
}

function progressOf(from: bigint, position: bigint, head: bigint, startedMs: number): CatchUpProgress {
  const seconds = (performance.now() - startedMs) / 1000;
  const done = Number(position - from);
  const eventsPerSecond = seconds > 0 ? Math.round(done / seconds) : 0;
  const behind = head > position ? head - position : 0n;
  return {
    head, position, behind,
    percent: head > 0n ? Math.floor(Number((position * 1000n) / head)) / 10 : 100,
    eventsPerSecond,
    ...(eventsPerSecond > 0 && { etaSeconds: Math.ceil(Number(behind) / eventsPerSecond) }),
  };
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export interface LiveBatching {
  /** A batch closes at this many events. */
  readonly maxEvents: number;
  /** ...or this long after its first event, while the load is light. */
  readonly maxMs: number;
  /** A batch of at least this many events means load: the next one may wait `busyMs`. */
  readonly busyEvents: number;
  readonly busyMs: number;
}

/**
 * Groups live events into batches for one commit each. Each commit has a fixed cost (a
 * transaction, the checkpoint, every touched document written once however many events touch
 * it), and under a stream of webhooks those commits competed with the requests for the one
 * thread. So the window adapts: `maxMs` after a light batch (an isolated change shows quickly),
 * `busyMs` after a batch of `busyEvents` or more (fewer, bigger commits while events pour in;
 * back to `maxMs` as soon as a window collects fewer). Never empty; order kept; on completion
 * the open batch is emitted.
 */
export function liveBatches<T>(o: LiveBatching): OperatorFunction<T, T[]> {
  if (o.maxEvents <= 1) return map((event) => [event]);
  return (source) => defer(() => {
    let window = o.maxMs;
    return source.pipe(
      connect((events) => events.pipe(
        // A batch's clock starts at its first event: it closes `window` later, or at maxEvents.
        // (The count subscribes during the first event, after the buffer's own subscription, so
        // the event that fills a batch is in it when the batch closes.)
        bufferWhen(() => events.pipe(
          take(1),
          switchMap(() => race(timer(window), events.pipe(skip(o.maxEvents - 2), take(1)))),
        )),
      )),
      filter((batch) => batch.length > 0), // a completion with nothing open emits an empty buffer
      tap((batch) => { window = batch.length >= o.busyEvents ? o.busyMs : o.maxMs; }),
    );
  });
}
