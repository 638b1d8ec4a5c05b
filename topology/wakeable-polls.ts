/**
 * Polls of something another thread or process writes: every `intervalMs`, and at once when
 * `wakeUps` emits (a writer announcing a commit: storage/file-signals.ts). `exhaustMap` never
 * overlaps two polls; a wake-up (or `again()`) during a poll makes it poll once more, since what
 * was announced may have been committed after the poll read. `dirty` is checked as the poll
 * completes, in the same synchronous step as `exhaustMap` frees up, so no wake-up falls between
 * the two. Used by the projector's log poll (polled-log.ts) and the api's feed (projection-feed.ts).
 */
import { EMPTY, defer, exhaustMap, merge, of, repeat, tap, timer, type Observable } from 'rxjs';

export interface WakeablePolls {
  /** Subscribe to start polling; each emission is a poll that completed. */
  readonly polls: Observable<unknown>;
  /** Marks that something is to be read: a poll under way polls once more. */
  again(): void;
}

export function wakeablePolls(intervalMs: number, wakeUps: Observable<unknown>, pollOnce: () => Promise<unknown>): WakeablePolls {
  let dirty = false;
  const poll = defer(() => {
    dirty = false;
    return pollOnce();
  }).pipe(repeat({ delay: () => (dirty ? of(0) : EMPTY) }));
  return {
    polls: merge(timer(0, intervalMs), wakeUps).pipe(
      tap(() => { dirty = true; }),
      exhaustMap(() => poll),
    ),
    again: () => { dirty = true; },
  };
}
