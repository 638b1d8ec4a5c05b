/**
 * What an API needs from projectors that run elsewhere (another thread, another process): the
 * position the read models reflect (for `minPosition` and `/health`) and the changes they
 * commit (for SSE). `ProjectionRunner` offers the same in one process.
 *
 * Both come from the read store, so they work across threads and processes alike: positions
 * from the projections' checkpoints, changes from the store's change log (`changesAfter`: the
 * SQLite `changes` table, written in each batch's transaction) or, on MongoDB, its change
 * stream (`watchChanges`). Polled every `intervalMs` (RxJS `timer` + `exhaustMap`), and at once
 * when `wakeUps` emits.
 */
import {
  EMPTY, Observable, Subject, filter, firstValueFrom, map, of, share, timeout, type Subscription,
} from 'rxjs';
import { watchChanges } from '../projections/readstore/mongo-changes';
import type { MongoReadStore } from '../projections/readstore/mongo-read-store';
import type { ChangeRecord, ReadStore } from '../projections/readstore/port';
import type { ReadModelChange } from '../projections/runner/projection';
import { wakeablePolls } from './wakeable-polls';

export interface ProjectionView {
  readonly changes$: Observable<ReadModelChange>;
  position(): bigint;
  waitForPosition(position: bigint, timeoutMs?: number): Promise<boolean>;
}

export interface ProjectionFeed extends ProjectionView {
  /** Resolves once the first poll is done (positions known). */
  readonly ready: Promise<void>;
  stop(): void;
}

export interface ProjectionFeedOptions {
  readonly readStore: ReadStore;
  /** The live projections' names: the position is the lowest of their checkpoints. */
  readonly projections: readonly string[];
  /** Default 10 ms. */
  readonly intervalMs?: number;
  /** Polls at once when this emits (the projector of this process announcing a commit: storage/file-signals.ts). */
  readonly wakeUps?: Observable<unknown>;
  readonly log?: (message: string) => void;
}

const PAGE = 1000;

export function projectionFeed(o: ProjectionFeedOptions): ProjectionFeed {
  const changes = new Subject<ReadModelChange>();
  const polled = new Subject<void>();
  let position = 0n;
  let cursor: string | undefined;
  let mongoChanges: Subscription | undefined;
  const log = o.log ?? ((m: string) => console.warn(m));

  const store = o.readStore;
  let mark: string | undefined;
  const poll = async () => {
    // Nothing committed since the last poll (most polls under load: ticks every 10 ms, commits
    // every 20-25 ms): the changes and positions read then still hold. Read before them, so a
    // commit that lands meanwhile moves the mark and the next poll reads it; kept only once the
    // poll has read everything (a poll that fails leaves it, and the next one reads again).
    const now = store.changeMark && cursor !== undefined ? await store.changeMark() : undefined;
    if (now !== undefined && now === mark) return void polled.next();
    if (store.changesAfter) {
      // Cursor first ("from now"), then positions: a change committed in between is delivered.
      if (cursor === undefined) cursor = (await store.changesAfter(undefined, 0)).cursor;
      for (;;) {
        const page = await store.changesAfter(cursor, PAGE);
        cursor = page.cursor;
        for (const change of page.changes) changes.next(change as unknown as ReadModelChange);
        if (page.changes.length < PAGE) break;
      }
    }
    const checkpoints = store.checkpoints
      ? [...(await store.checkpoints(o.projections)).values()]
      : await Promise.all(o.projections.map((name) => store.checkpoint(name)));
    position = checkpoints.reduce((min, c) => (c < min ? c : min), checkpoints[0] ?? 0n);
    mark = now;
    if (store.kind === 'mongodb' && !mongoChanges) {
      mongoChanges = watchChanges(store as MongoReadStore, position).subscribe({
        next: (change: ChangeRecord) => changes.next(change as unknown as ReadModelChange),
        error: (error: unknown) => {
          log(`change stream: ${String(error)}; reopening`);
          mongoChanges = undefined;
        },
      });
    }
    polled.next();
  };

  // A wake-up during a poll makes it poll once more (wakeable-polls.ts).
  const ticks = wakeablePolls(o.intervalMs ?? 10, o.wakeUps ?? EMPTY,
    () => poll().catch((error: unknown) => log(`projection feed: ${error instanceof Error ? error.message : String(error)}`)),
  ).polls.pipe(share());
  const subscription = ticks.subscribe();
  const ready = firstValueFrom(polled).then(() => undefined);

  return {
    changes$: changes.asObservable(),
    ready,
    position: () => position,
    async waitForPosition(target: bigint, timeoutMs = 5000) {
      if (position >= target) return true;
      return firstValueFrom(polled.pipe(
        filter(() => position >= target), map(() => true), timeout({ first: timeoutMs, with: () => of(false) }),
      ), { defaultValue: false });
    },
    stop() {
      subscription.unsubscribe();
      mongoChanges?.unsubscribe();
      changes.complete();
      polled.complete();
    },
  };
}
