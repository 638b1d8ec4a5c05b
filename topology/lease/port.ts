/**
 * The lease port: at most one active holder of a named role (`projector`, `outbound`) across
 * threads, processes and machines, with a fencing token.
 *
 * - `acquire` succeeds when the lease is free, expired, or already ours; taking it from another
 *   (expired) holder increments the token. A holder renews well within `ttlMs`; a standby that
 *   polls `acquire` takes over at most `ttlMs` after the holder stopped renewing.
 * - Expiry alone cannot stop a paused holder (GC, a frozen VM) from writing late. So every write
 *   that must come from the active holder carries the token, and the store that receives it
 *   checks, in the same transaction, that the lease still carries that token (the read store's
 *   `commit(..., fence)`): a stale holder's commit is refused.
 *
 * Adapters: embedded SQLite (the `leases` table inside read.sqlite, so the fence check and the
 * projection commit share a transaction), MongoDB (the `leases` collection of the read model
 * database). Each passes `lease-store.contract.ts`; a PostgreSQL adapter is one more file.
 */
export interface Lease {
  readonly name: string;
  readonly holder: string;
  /** Grows by one at each change of holder: the fencing token. */
  readonly token: bigint;
  /** Epoch milliseconds, by the store's clock. */
  readonly expiresAt: number;
}

export interface LeaseStore {
  readonly kind: 'embedded' | 'mongodb' | 'postgres';
  /** The lease, now held by `holder` for `ttlMs`, or undefined while another holder's lease runs. */
  acquire(name: string, holder: string, ttlMs: number): Promise<Lease | undefined>;
  /** Extends a held lease; undefined when it was taken over meanwhile (stop at once). */
  renew(lease: Lease, ttlMs: number): Promise<Lease | undefined>;
  /** Gives the lease up (a clean shutdown): a standby may take it at once. */
  release(lease: Lease): Promise<void>;
  /** The lease as stored, for /health and tests. */
  current(name: string): Promise<Lease | undefined>;
  close(): Promise<void>;
}
