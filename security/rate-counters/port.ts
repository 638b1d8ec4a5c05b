/**
 * The rate-counter port: the counters behind `@fastify/rate-limit`, kept in a store every `api`
 * instance shares, so a budget (10 logins a minute per IP and username, 60,000 webhooks a minute
 * per connection and IP) holds for the whole deployment and not once per process behind a load
 * balancer.
 *
 * A counter is a fixed window: the first hit on a key opens a window of `windowMs`; each hit
 * inside it counts one more; the first hit after it ended opens a new window at 1. `hit` is one
 * atomic step in the store (an upsert), so hits from several processes at once are each counted
 * exactly once. Counters are not precious: a lost counter only forgives a few requests, so the
 * embedded adapter does not fsync each hit.
 *
 * Adapters: embedded SQLite (`${dataDir}/rate-limits.sqlite`, shared by the api processes on one
 * data directory), PostgreSQL (an UNLOGGED table), MongoDB (the `rate_counters` collection).
 * Each passes `rate-counter-store.contract.ts`. Expiry uses each instance's clock (keep clocks in
 * sync to well within a window; a skew only stretches or shortens a window, never double counts).
 */
export interface RateCount {
  /** Hits in the current window, this one included (0 from `peek` when no window runs). */
  readonly current: number;
  /** Milliseconds until the current window ends (0 when none runs). */
  readonly ttlMs: number;
}

export interface RateCounterStore {
  readonly kind: 'embedded' | 'postgres' | 'mongodb';
  /** Counts one hit on `key` and answers the window's count, atomically across processes. */
  hit(key: string, windowMs: number): Promise<RateCount>;
  /** The count without counting. */
  peek(key: string): Promise<RateCount>;
  /** Removes counters whose window has ended; answers how many. */
  sweep(): Promise<number>;
  close(): Promise<void>;
}
