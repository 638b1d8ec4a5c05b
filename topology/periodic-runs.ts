/**
 * A background job that runs now and then (the outbound sender, the product pusher): one run at a
 * time (a `runOnce` from an API call queues behind the ticker's), ticks skipped while a run is in
 * progress (`exhaustMap`), a failed run logged and the next tick tried, and a `stop` that waits
 * for the run in progress. `stopping` lets a long run end between pages.
 */
import { catchError, EMPTY, exhaustMap, from, timer, type Subscription } from 'rxjs';

export interface PeriodicRuns<R> {
  runOnce(): Promise<R>;
  start(): void;
  stop(): Promise<void>;
  readonly stopping: boolean;
}

export function periodicRuns<R>(
  run: () => Promise<R>,
  options: { readonly intervalMs: number; readonly label: string; readonly log: (line: string) => void },
): PeriodicRuns<R> {
  let running: Promise<unknown> = Promise.resolve();
  let ticker: Subscription | undefined;
  let stopping = false;

  function runOnce(): Promise<R> {
    const next = running.catch(() => undefined).then(run);
    running = next;
    return next;
  }

  return {
    runOnce,
    start() {
      if (ticker) return;
      stopping = false;
      ticker = timer(0, options.intervalMs).pipe(
        exhaustMap(() => from(runOnce()).pipe(catchError((error: unknown) => {
          options.log(`${options.label}: run failed: ${error instanceof Error ? error.message : String(error)}`);
          return EMPTY;
        }))),
      ).subscribe();
    },
    async stop() {
      stopping = true;
      ticker?.unsubscribe();
      ticker = undefined;
      await running.catch(() => undefined);
      stopping = false;
    },
    get stopping() {
      return stopping;
    },
  };
}
