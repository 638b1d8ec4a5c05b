/**
 * `@fastify/rate-limit` over a `RateCounterStore`: the plugin takes a store class
 * (`{ store: sharedRateLimitStore(counters) }`) and calls `incr(key, callback, timeWindow, max)`
 * per limited request. Keys already name their route (`login|…`, `webhook|…`, rate-limits.ts),
 * so every route's child shares the one store. Every `sweepEvery` hits, counters whose window
 * ended are removed in the background (a failed sweep is retried at the next turn).
 *
 * Only the plain fixed window is offered: `continueExceeding` and `exponentialBackoff` would need
 * their state in the shared store too, and no route here uses them, so asking for them throws.
 */
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { RateCounterStore } from './port';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

interface ModeOptions {
  readonly continueExceeding?: boolean;
  readonly exponentialBackoff?: boolean;
}

export function sharedRateLimitStore(counters: RateCounterStore, options: { sweepEvery?: number } = {}): FastifyRateLimitStoreCtor {
  const sweepEvery = options.sweepEvery ?? 1000;
  let hits = 0;
  const sweepNow = () => {
    counters.sweep().catch(() => undefined);
  };

  class SharedRateLimitStore implements FastifyRateLimitStore {
    constructor(mode: ModeOptions) {
      if (mode.continueExceeding || mode.exponentialBackoff) {
        throw new Error('the shared rate-limit store supports the fixed window only (no continueExceeding, no exponentialBackoff)');
      }
    }

    incr(key: string, callback: Callback, timeWindow: number): void {
      hits += 1;
      if (hits % sweepEvery === 0) sweepNow();
      counters.hit(key, timeWindow).then(
        (count) => callback(null, { current: count.current, ttl: count.ttlMs }),
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
