/**
 * `@fastify/rate-limit` over a `RateCounterStore`: the plugin takes a store class
 * (`{ store: sharedRateLimitStore(counters) }`) and calls `incr(key, callback, timeWindow, max)`
 * per limited request. Keys already name their route (`login|…`, `webhook|…`, rate-limits.ts),
 * so every route's child shares the one store. Every `sweepEvery` hits, counters whose window
 * ended are removed in the background (a failed sweep is retried at the next turn).
 *
 * Hits are counted through `SlackCounts`: a route whose budget is `max` lets each process count up
 * to `max × slackShare` hits (default a thousandth, at least 1: exact for small budgets such as
 * logins) before writing them to the shared store in one step. The webhook budget (60,000 a
 * minute) writes once per 60 hits instead of once per hit; a deployment may overshoot a budget by
 * at most that slack per instance (slack-counts.ts).
 *
 * Only the plain fixed window is offered: `continueExceeding` and `exponentialBackoff` would need
 * their state in the shared store too, and no route here uses them, so asking for them throws.
 */
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { RateCount, RateCounterStore } from './port';
import { SlackCounts } from './slack-counts';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

interface ModeOptions {
  readonly continueExceeding?: boolean;
  readonly exponentialBackoff?: boolean;
}

export function sharedRateLimitStore(
  counters: RateCounterStore, options: { sweepEvery?: number; slackShare?: number } = {},
): FastifyRateLimitStoreCtor {
  const sweepEvery = options.sweepEvery ?? 1000;
  const slackShare = options.slackShare ?? 0.001;
  const counts = new SlackCounts(counters);
  let hits = 0;
  const sweepNow = () => {
    counts.prune();
    counters.sweep().catch(() => undefined);
  };
  const answer = (callback: Callback, count: RateCount) => callback(null, { current: count.current, ttl: count.ttlMs });

  class SharedRateLimitStore implements FastifyRateLimitStore {
    constructor(mode: ModeOptions) {
      if (mode.continueExceeding || mode.exponentialBackoff) {
        throw new Error('the shared rate-limit store supports the fixed window only (no continueExceeding, no exponentialBackoff)');
      }
    }

    incr(key: string, callback: Callback, timeWindow: number, max: number): void {
      hits += 1;
      if (hits % sweepEvery === 0) sweepNow();
      const slack = Number.isFinite(max) ? Math.max(1, Math.floor(max * slackShare)) : 1;
      const count = counts.hit(key, timeWindow, slack);
      if (!(count instanceof Promise)) return answer(callback, count);
      count.then(
        (written) => answer(callback, written),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    read(key: string, callback: Callback): void {
      counters.peek(key).then(
        (count) => callback(null, { current: count.current, ttl: count.ttlMs }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    /** The plugin passes the route's merged rate-limit options (typed as the route's options). */
    child(routeOptions: unknown): FastifyRateLimitStore {
      return new SharedRateLimitStore(routeOptions as ModeOptions);
    }
  }
  return SharedRateLimitStore as unknown as FastifyRateLimitStoreCtor;
}
