/**
 * The read store as the projectors see it: a read that fails because the database is
 * unreachable (a PostgreSQL restart, a failover) waits and tries again instead of failing.
 *
 * Why: a projector reads documents while it applies an event, and anything a projector throws
 * stops its projection for good (a bug must not be skipped). An outage is no bug: the batch
 * just waits for the database, then carries on, and the commit (retried by the runner from the
 * checkpoint) applies it exactly once. API requests use the plain store and answer 503 at once.
 * The wait is bounded (`maxWaitMs`), so a database that stays away still surfaces.
 */
import { isPostgresUnavailable } from '../../storage/postgres';
import type { Doc, Query, ReadStore } from './port';

export interface RetriedReadsOptions {
  /** Give up after this long without the database. Default 60 s. */
  readonly maxWaitMs?: number;
  /** Delay before the n-th retry. Default 100 ms doubling to 2 s. */
  readonly delayMs?: (attempt: number) => number;
}

export function withRetriedReads(store: ReadStore, options: RetriedReadsOptions = {}): ReadStore {
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  const delayMs = options.delayMs ?? ((attempt: number) => Math.min(2000, 100 * 2 ** attempt));
  const retried = async <T>(read: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await read();
      } catch (error) {
        if (!isPostgresUnavailable(error) || Date.now() - started > maxWaitMs) throw error;
        await new Promise((resolve) => setTimeout(resolve, delayMs(attempt)));
      }
    }
  };
  return Object.assign(Object.create(store) as ReadStore, {
    get: <T extends Doc = Doc>(collection: string, id: string) => retried(() => store.get<T>(collection, id)),
    getMany: <T extends Doc = Doc>(collection: string, ids: readonly string[]) => retried(() => store.getMany<T>(collection, ids)),
    find: <T extends Doc = Doc>(collection: string, query?: Query) => retried(() => store.find<T>(collection, query)),
    count: (collection: string, query?: Query) => retried(() => store.count(collection, query)),
  });
}
