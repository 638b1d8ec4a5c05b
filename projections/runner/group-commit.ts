/**
 * Group commit of the runner's batches: the batches that the projections hand over in one turn of
 * the event loop go to the read store together, in ONE transaction (`ReadStore.commitAll`), each
 * projection's checkpoint moving with its own documents in it. A live poll hands its events to
 * every projection at once, their batch windows close in the same timers phase, and each applies
 * its batch with reads that resolve as microtasks: so a poll's twelve batches meet here, one turn
 * later, and cost one transaction instead of twelve (one BEGIN/COMMIT, one fence check, one WAL
 * write of the checkpoints' and changes' pages).
 *
 * A failed group is committed again batch by batch, so a failure stays with the projection it
 * belongs to (a `CheckpointConflictError` of one) and the others commit as they would alone.
 * Either way each batch is committed once or not at all: a crash, or a failure of the group,
 * leaves every projection at its old checkpoint with none of the group's writes.
 * Stores without `commitAll` get one `commit` per batch, at once, as before.
 */
import { Observable, Subject, bufferWhen, concatMap, switchMap, take } from 'rxjs';
import type { Fence, ProjectionBatch, ReadStore } from '../readstore/port';

interface Pending {
  readonly batch: ProjectionBatch;
  readonly fence: Fence | undefined;
  resolve(): void;
  reject(error: unknown): void;
}

/** Emits once at the next turn of the event loop (after I/O and timers): what the others hand over meanwhile joins. */
const nextTurn = new Observable<void>((subscriber) => {
  const handle = setImmediate(() => {
    subscriber.next();
    subscriber.complete();
  });
  return () => clearImmediate(handle);
});

export interface GroupCommitter {
  /** Resolves once `batch` is committed (with the others of its turn), rejects with what refused it. */
  commit(batch: ProjectionBatch, fence: Fence | undefined): Promise<void>;
}

/** One batch in a transaction of its own (`ReadStore.commit`). */
export const commitOne = (store: ReadStore) => (b: ProjectionBatch, fence: Fence | undefined): Promise<void> =>
  store.commit(b.projection, b.writes, b.position, b.changes, fence);

export function groupCommitter(store: ReadStore): GroupCommitter {
  const commitAll = store.commitAll?.bind(store);
  const one = commitOne(store);
  if (!commitAll) return { commit: one };

  const commitGroup = async (group: readonly Pending[]) => {
    if (group.length === 0) return;
    try {
      await commitAll(group.map((p) => p.batch), group[0]!.fence);
      for (const p of group) p.resolve();
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error);
      for (const p of group) await one(p.batch, p.fence).then(p.resolve, p.reject);
    }
  };

  const handed = new Subject<Pending>();
  // A group opens with its first batch and closes one turn later; groups commit one after another.
  handed.pipe(
    bufferWhen(() => handed.pipe(take(1), switchMap(() => nextTurn))),
    concatMap(async (group) => {
      for (const part of byFence(group)) await commitGroup(part);
    }),
  ).subscribe();

  return {
    commit: (batch, fence) => new Promise<void>((resolve, reject) => handed.next({ batch, fence, resolve, reject })),
  };
}

/** The group split where the fence changes (a lease renewed with a new token between two batches). */
function byFence(group: readonly Pending[]): Pending[][] {
  const parts: Pending[][] = [];
  for (const p of group) {
    const last = parts.at(-1);
    const same = last && (last[0]!.fence?.name === p.fence?.name && last[0]!.fence?.token === p.fence?.token);
    if (same) last.push(p);
    else parts.push([p]);
  }
  return parts;
}
