/**
 * Counts hits on a shared `RateCounterStore` without a store write per hit. The first hit on a
 * key in a window goes to the store (so this process learns the window's count and end); later
 * hits in that window are counted here, and every `slack`-th one writes the hits counted here
 * since the last write in one step (`hit(key, windowMs, n)`), learning the shared count back.
 *
 * Bounded error, whatever the timing: at most `slack - 1` hits of a key are known to this process
 * only, and a process answers with at most its own unwritten hits on top of the last shared count
 * it saw, so it admits at most `slack` hits past the point where the shared count reached the
 * limit before its next write shows it. Over the deployment, a budget of `max` may admit up to
 * `max + instances × slack` hits in a window (`slack` 1: exact, every hit written, as before).
 * Hits still unwritten when their window ends (or the process stops) only forgive requests.
 */
import type { RateCount, RateCounterStore } from './port';

interface Window {
  /** The shared count as last seen (this process's written hits included). */
  base: number;
  /** Hits counted here since the last write. */
  pending: number;
  /** Hits in writes not yet answered. */
  writing: number;
  expiresAt: number;
}

export class SlackCounts {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly store: RateCounterStore, private readonly now: () => number = Date.now) {}

  /** One hit; answered at once (no store write) unless it opens a window here or writes the slack. */
  hit(key: string, windowMs: number, slack: number): RateCount | Promise<RateCount> {
    if (slack <= 1) return this.store.hit(key, windowMs);
    const now = this.now();
    const window = this.windows.get(key);
    if (window === undefined || window.expiresAt <= now) {
      if (window !== undefined) this.windows.delete(key); // its unwritten hits belonged to the ended window
      return this.write(key, windowMs, 1);
    }
    window.pending += 1;
    if (window.pending >= slack) {
      const n = window.pending;
      window.pending = 0;
      window.writing += n;
      return this.write(key, windowMs, n).then(
        (count) => { window.writing -= n; return count; },
        (error: unknown) => {
          window.writing -= n;
          window.pending += n; // not counted in the store: written with the next step
          throw error;
        },
      );
    }
    return { current: window.base + window.writing + window.pending, ttlMs: window.expiresAt - now };
  }

  /** Forgets windows that have ended (their counters are the store's to sweep). */
  prune(): void {
    const now = this.now();
    for (const [key, window] of this.windows) if (window.expiresAt <= now) this.windows.delete(key);
  }

  private async write(key: string, windowMs: number, n: number): Promise<RateCount> {
    const count = await this.store.hit(key, windowMs, n);
    const expiresAt = this.now() + count.ttlMs;
    const window = this.windows.get(key);
    // Windows of one key end at least `windowMs` apart: ends closer than half of it are the same window.
    if (window !== undefined && Math.abs(window.expiresAt - expiresAt) < windowMs / 2) {
      window.base = Math.max(window.base, count.current); // concurrent writes may answer out of order
    } else if (window === undefined || window.expiresAt < expiresAt) {
      // A window new to this process (hits counted here for the older end belonged to that one).
      this.windows.set(key, { base: count.current, pending: 0, writing: 0, expiresAt });
    }
    return count;
  }
}
