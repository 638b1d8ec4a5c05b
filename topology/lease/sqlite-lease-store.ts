/**
 * Embedded lease store: the `leases` table of `${dataDir}/read.sqlite` (the read store checks
 * the fencing token from the same table inside each projection commit). Each operation is one
 * IMMEDIATE transaction, so two processes racing for a free lease serialize on SQLite's lock.
 *
 * `synchronous = NORMAL`: a renewal runs every third of the TTL on the thread that holds the
 * lease (the api's for `catalog-push`), and a FULL commit fsyncs there each time. Nothing is lost
 * that matters: the WAL keeps commits in order, so a power cut that drops a token change drops
 * every read-store commit fenced by it too (same file), and every holder died with the power.
 *
 * Waiting for the write lock yields: the projector commits to this file many times a second, and
 * SQLite's own busy handler sleeps inside the call, which on the api thread stalled every request
 * for as long. Here `busy_timeout` is 0 and a busy write is tried again after a timer (1 ms
 * doubling to 20 ms, about 6 s in all, as long as the usual 5-s busy timeout), so the thread
 * serves requests meanwhile. A busy IMMEDIATE transaction has done nothing yet: trying it again is safe.
 */
import type Database from 'better-sqlite3';
import { defer, firstValueFrom, of, retry, throwError, timer } from 'rxjs';
import { openSqlite } from '../../storage/sqlite';
import { LEASES_DDL } from '../../storage/sqlite-leases';
import type { Lease, LeaseStore } from './port';

interface Row {
  name: string;
  holder: string;
  token: bigint;
  expires_at: bigint;
}

export class SqliteLeaseStore implements LeaseStore {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  private readonly stmt;
  private readonly acquireTx: Database.Transaction<(name: string, holder: string, ttlMs: number) => Lease | undefined>;
  private readonly renewTx: Database.Transaction<(lease: Lease, ttlMs: number) => Lease | undefined>;

  constructor(path: string, private readonly now: () => number = Date.now) {
    this.db = openSqlite(path, { synchronous: 'NORMAL' });
    this.db.exec(LEASES_DDL); // with openSqlite's busy wait: the table's creation may meet a writer
    // From here on no busy wait inside a call: a renewal that meets the write lock retries on a timer.
    this.db.pragma('busy_timeout = 0');
    this.stmt = {
      get: this.db.prepare<[string], Row>('SELECT name, holder, token, expires_at FROM leases WHERE name = ?').safeIntegers(true),
      upsert: this.db.prepare<[string, string, bigint, number]>(`
        INSERT INTO leases (name, holder, token, expires_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, token = excluded.token, expires_at = excluded.expires_at`),
      release: this.db.prepare<[string, bigint]>('UPDATE leases SET expires_at = 0 WHERE name = ? AND token = ?'),
    };
    this.acquireTx = this.db.transaction((name: string, holder: string, ttlMs: number) => {
      const now = this.now();
      const row = this.stmt.get.get(name);
      if (row && row.holder !== holder && Number(row.expires_at) > now) return undefined;
      // Ours and still running: same token. Free, expired or released: a new token.
      const token = row && row.holder === holder && Number(row.expires_at) > now ? row.token : (row?.token ?? 0n) + 1n;
      this.stmt.upsert.run(name, holder, token, now + ttlMs);
      return { name, holder, token, expiresAt: now + ttlMs };
    });
    this.renewTx = this.db.transaction((lease: Lease, ttlMs: number) => {
      const row = this.stmt.get.get(lease.name);
      // Still ours only if nobody took it (an expired lease nobody took is still safe to extend:
      // no other token was handed out, so no other holder has committed anything).
      if (!row || row.token !== lease.token || row.holder !== lease.holder || Number(row.expires_at) === 0) return undefined;
      const expiresAt = this.now() + ttlMs;
      this.stmt.upsert.run(lease.name, lease.holder, lease.token, expiresAt);
      return { ...lease, expiresAt };
    });
  }

  acquire(name: string, holder: string, ttlMs: number): Promise<Lease | undefined> {
    return whenNotBusy(() => this.acquireTx.immediate(name, holder, ttlMs));
  }

  renew(lease: Lease, ttlMs: number): Promise<Lease | undefined> {
    return whenNotBusy(() => this.renewTx.immediate(lease, ttlMs));
  }

  async release(lease: Lease): Promise<void> {
    await whenNotBusy(() => this.stmt.release.run(lease.name, lease.token));
  }

  async current(name: string): Promise<Lease | undefined> {
    const row = this.stmt.get.get(name);
    return row && { name: row.name, holder: row.holder, token: row.token, expiresAt: Number(row.expires_at) };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

const isBusy = (error: unknown) => typeof (error as { code?: unknown }).code === 'string' && (error as { code: string }).code.startsWith('SQLITE_BUSY');

/** Runs a write, again after a timer while the file's write lock is held elsewhere (see above). */
function whenNotBusy<T>(write: () => T): Promise<T> {
  return firstValueFrom(defer(() => of(write())).pipe(
    retry({ count: 300, delay: (error: unknown, attempt) => (isBusy(error) ? timer(Math.min(20, 2 ** (attempt - 1))) : throwError(() => error)) }),
  ));
}
