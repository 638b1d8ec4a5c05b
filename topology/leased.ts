/**
 * Runs something only while holding a lease (topology/lease/port.ts): acquire (or wait as a
 * standby), start, renew every third of the TTL, and stop at once when a renewal fails. The
 * started thing gets the lease's token to fence its writes: even if it is slow to stop, the
 * store refuses its commits once another holder has the lease.
 */
import { defer, exhaustMap, timer, type Subscription } from 'rxjs';
import { holderProcessIsGone } from './holder';
import type { Lease, LeaseStore } from './lease/port';
import type { RoleState } from './roles';

export interface Running {
  stop(): Promise<void>;
}

export interface LeasedOptions {
  readonly leases: LeaseStore;
  readonly name: string;
  readonly holder: string;
  readonly ttlMs: number;
  /** Starts the work under `lease`; `fence()` answers the current token (undefined once lost). */
  readonly start: (lease: Lease) => Promise<Running>;
  readonly report?: (state: RoleState) => void;
  readonly log?: (message: string) => void;
}

export interface LeasedRunner {
  /** The lease held now (undefined while standby). */
  held(): Lease | undefined;
  /** Stops the work and releases the lease (a standby takes over at once). */
  stop(): Promise<void>;
}

export function runUnderLease(o: LeasedOptions): LeasedRunner {
  let lease: Lease | undefined;
  let running: Running | undefined;
  let stopped = false;
  const log = o.log ?? ((m: string) => console.warn(m));
  let standbyReported = false;

  async function tick(): Promise<void> {
    if (stopped) return;
    if (!lease) {
      let got = await o.leases.acquire(o.name, o.holder, o.ttlMs);
      if (!got) {
        const current = await o.leases.current(o.name);
        if (current && holderProcessIsGone(current.holder)) {
          log(`lease ${o.name}: holder ${current.holder} is gone; taking over`);
          await o.leases.release(current);
          got = await o.leases.acquire(o.name, o.holder, o.ttlMs);
        }
      }
      if (!got || stopped) {
        if (!standbyReported) o.report?.('standby'); // once: the first answer, then only changes
        standbyReported = true;
        return;
      }
      lease = got;
      standbyReported = false;
      running = await o.start(got);
      o.report?.('active');
      return;
    }
    const renewed = await o.leases.renew(lease, o.ttlMs);
    if (renewed) {
      lease = renewed;
      return;
    }
    log(`lease ${o.name}: taken over by another holder; stopping`);
    lease = undefined;
    await running?.stop();
    running = undefined;
    o.report?.('standby');
    standbyReported = true;
  }

  const ticks: Subscription = timer(0, Math.max(50, Math.floor(o.ttlMs / 3))).pipe(
    exhaustMap(() => defer(() => tick().catch((error: unknown) => log(`lease ${o.name}: ${error instanceof Error ? error.message : String(error)}`)))),
  ).subscribe();

  return {
    held: () => lease,
    async stop() {
      stopped = true;
      ticks.unsubscribe();
      await running?.stop();
      running = undefined;
      if (lease) await o.leases.release(lease).catch(() => undefined);
      lease = undefined;
      o.report?.('stopped');
    },
  };
}
