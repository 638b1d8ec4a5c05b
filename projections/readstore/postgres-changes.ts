/**
 * Read-model changes across processes when the read store is PostgreSQL: the projector
 * process appends each batch's changes to `read_changes` in the same transaction as the batch
 * (see `PostgresReadStore.commit`), and any API process follows them here for its SSE streams.
 * In one process, `ProjectionRunner.changes$` is enough.
 *
 * The table is the truth and NOTIFY only a wake-up: a reader remembers the last `seq` it
 * delivered and reads `seq > last` whenever woken (a notification, a reconnect, the poll).
 * Sequence numbers are taken under a lock and so become visible in order: nothing is skipped,
 * and a missed notification costs latency, never a frame. Changes are kept
 * `CHANGES_RETENTION_HOURS`.
 */
import { EMPTY, Observable, defer, retry, timer } from 'rxjs';
import { notifications } from '../../storage/postgres-notifications';
import type { ChangeRecord } from './port';
import type { PostgresReadStore } from './postgres-read-store';

const PAGE = 1000;

export interface WatchOptions {
  /** Safety-net poll. Default 1000 ms. */
  readonly pollMs?: number;
}

/** Every change committed after event position `after` (all projections), backlog first, then live. */
export function watchChanges(store: PostgresReadStore, after: bigint, options: WatchOptions = {}): Observable<ChangeRecord> {
  return defer(() => {
    let lastSeq: bigint | undefined; // survives reconnects
    const once = new Observable<ChangeRecord>((subscriber) => {
      let reading = false;
      let again = false;
      const pump = async () => {
        if (reading) {
          again = true;
          return;
        }
        reading = true;
        try {
          if (lastSeq === undefined) {
            // Backlog and starting sequence number from one statement, so from one snapshot.
            const { rows } = await store.pool.query<{ top: string; seq: string | null; change: ChangeRecord | null }>(
              `WITH top AS (SELECT coalesce(max(seq), 0) AS top FROM read_changes)
               SELECT top.top, c.seq, c.change FROM top LEFT JOIN read_changes c ON c.position > $1::numeric AND c.seq <= top.top
               ORDER BY c.seq`, [after.toString(10)]);
            for (const row of rows) if (row.change && !subscriber.closed) subscriber.next(row.change);
            lastSeq = BigInt(rows[0]?.top ?? 0);
          }
          do {
            again = false;
            for (;;) {
              const from: bigint = lastSeq;
              const page: Array<{ seq: string; change: ChangeRecord }> = (await store.pool.query<{ seq: string; change: ChangeRecord }>(
                'SELECT seq, change FROM read_changes WHERE seq > $1 ORDER BY seq LIMIT $2', [from.toString(10), PAGE])).rows;
              for (const row of page) {
                if (subscriber.closed) return;
                lastSeq = BigInt(row.seq);
                subscriber.next(row.change);
              }
              if (page.length < PAGE) break;
            }
          } while (again && !subscriber.closed);
        } catch (error) {
          subscriber.error(error);
        } finally {
          reading = false;
        }
      };
      const woken = notifications({ url: store.url, channel: `${store.schema}_read_changes`, pollMs: options.pollMs })
        .subscribe({ next: () => void pump(), error: (e: unknown) => subscriber.error(e) });
      void pump();
      return () => woken.unsubscribe();
    });
    return once.pipe(retry({
      resetOnSuccess: true,
      delay: (_error: unknown, attempt) => (attempt > 1000 ? EMPTY : timer(Math.min(5000, 100 * 2 ** (attempt - 1)))),
    }));
  });
}
