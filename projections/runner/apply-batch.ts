/**
 * Projects one batch of events for one projection: one unit of work, one commit that moves
 * the documents and the checkpoint together. Used by the live runner; a rebuild into a fresh
 * store keeps one unit of work for the whole pass instead (`rebuild.ts`).
 */
import type { RecordedEvent } from '../../write-side/eventstore/port';
import type { Fence, ProjectionBatch, ReadStore } from '../readstore/port';
import type { Projection, ReadModelChange } from './projection';
import { commitOne } from './group-commit';
import { BatchUnitOfWork } from './unit-of-work';

/** A projector threw on an event: that projection stops there until it is fixed and restarted. */
export class ProjectorError extends Error {
  constructor(
    readonly projection: string,
    readonly position: bigint,
    readonly eventType: string,
    override readonly cause: unknown,
  ) {
    super(`projection ${projection} failed on ${eventType} at position ${position}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'ProjectorError';
  }

  /** What was committed of the batch before the failing event (its changes still get published). */
  prefix: BatchResult | undefined;
}

export interface BatchResult {
  /** Position now committed (the last event of the batch), or the old one if nothing was new. */
  readonly committed: bigint;
  readonly changes: readonly ReadModelChange[];
  readonly applied: number;
}

async function applyAll(projection: Projection, store: ReadStore, events: readonly RecordedEvent[]): Promise<BatchUnitOfWork> {
  const uow = new BatchUnitOfWork(store);
  for (const event of events) {
    try {
      await projection.apply(event, uow);
    } catch (error) {
      throw new ProjectorError(projection.name, event.position, event.type, error);
    }
  }
  return uow;
}

/**
 * Applies the events after `checkpoint` and commits them (through `commit`: the runner's group
 * committer, or the store's own `commit`). When a projector throws, the events
 * before the failing one are still committed (so the checkpoint stops just before it), then
 * the `ProjectorError` is rethrown.
 */
export async function applyBatch(
  projection: Projection, store: ReadStore, checkpoint: bigint, batch: readonly RecordedEvent[], fence?: Fence,
  commit: (batch: ProjectionBatch, fence: Fence | undefined) => Promise<void> = commitOne(store),
): Promise<BatchResult> {
  const events = batch.filter((e) => e.position > checkpoint); // idempotent: replays are skipped
  if (events.length === 0) return { committed: checkpoint, changes: [], applied: 0 };
  let uow: BatchUnitOfWork;
  try {
    uow = await applyAll(projection, store, events);
  } catch (error) {
    if (error instanceof ProjectorError) {
      const good = events.filter((e) => e.position < error.position);
      if (good.length > 0) {
        // The unit of work saw part of the failing event: replay the good prefix in a fresh one.
        const prefix = await applyAll(projection, store, good);
        const committed = good.at(-1)!.position;
        await commit({ projection: projection.name, writes: prefix.writes(), position: committed, changes: prefix.changes }, fence);
        error.prefix = { committed, changes: prefix.changes, applied: good.length };
      }
    }
    throw error;
  }
  const last = events.at(-1)!.position;
  await commit({ projection: projection.name, writes: uow.writes(), position: last, changes: uow.changes }, fence);
  return { committed: last, changes: uow.changes, applied: events.length };
}
