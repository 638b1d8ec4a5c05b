/**
 * The changes of one turn of the event loop, in order: the unit of SSE fan-out. A projector
 * batch (in one process) or a page of the projection feed (across threads) hands its changes
 * over synchronously, one after another; they are emitted here as one array, a microtask after
 * the last of them. At 1,000 sales/s and 100 clients, a filter-and-write per change per client
 * was 100,000 steps a second on the api thread, which then answered webhooks late; a write per
 * turn per client is a few thousand (docs/benchmarks.md, "Round eight").
 * Shared: every client of the stream sees the same arrays, so work keyed by a turn is done once.
 */
import { asapScheduler, buffer, debounceTime, filter, share, type Observable } from 'rxjs';

export function changeTurns<T>(changes$: Observable<T>): Observable<T[]> {
  return changes$.pipe(
    buffer(changes$.pipe(debounceTime(0, asapScheduler))),
    filter((turn) => turn.length > 0),
    share(),
  );
}
