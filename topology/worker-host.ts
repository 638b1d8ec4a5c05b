/**
 * Hosts roles in `node:worker_threads` workers (`npm start`: the api on the main thread, the
 * projector and the outbound sender beside it). A worker that exits without being asked is
 * restarted with backoff (1 s doubling to 30 s) and resumes from its checkpoint; `onCrash`
 * runs first (the composition releases the lease the dead worker held, so the restart does not
 * wait for the TTL). Workers report their state (`{ type: 'state', state }`), shown by /health.
 */
import { Worker } from 'node:worker_threads';
import type { LeasedRole, RoleState } from './roles';

export interface WorkerHostOptions {
  /** The worker's module (a `.ts` file runs through the tsx loader the process was started with). */
  readonly entry: URL;
  readonly roles: readonly LeasedRole[];
  /** What each worker receives as `workerData` (its role, the configuration, a fresh holder id). */
  readonly workerData: (role: LeasedRole) => { holder: string } & Record<string, unknown>;
  readonly onCrash?: (role: LeasedRole, holder: string) => Promise<void>;
  readonly log?: (message: string) => void;
}

export interface WorkerHost {
  /**
   * Resolves once every worker has loaded and reported its first state (active or standby), or
   * after `timeoutMs`: a process starts serving when its roles are up, so a read with
   * `minPosition` right after the first /health does not wait for a worker still loading.
   */
  started(timeoutMs: number): Promise<void>;
  status(): Partial<Record<LeasedRole, RoleState>>;
  stop(): Promise<void>;
}

interface Hosted {
  worker?: Worker;
  state: RoleState;
  crashes: number;
  restartTimer?: ReturnType<typeof setTimeout>;
}

const STOP_GRACE_MS = 5000;

export function hostWorkers(o: WorkerHostOptions): WorkerHost {
  const log = o.log ?? ((m: string) => console.warn(m));
  const hosted = new Map<LeasedRole, Hosted>(o.roles.map((r) => [r, { state: 'starting', crashes: 0 }]));
  let stopping = false;
  const firstReports = new Map<LeasedRole, () => void>();
  const allReported = Promise.all(o.roles.map((r) => new Promise<void>((resolve) => firstReports.set(r, resolve))));

  function spawn(role: LeasedRole): void {
    const slot = hosted.get(role)!;
    const data = o.workerData(role);
    const worker = new Worker(o.entry, { workerData: data });
    slot.worker = worker;
    slot.state = 'starting';
    worker.on('message', (message: { type?: string; state?: RoleState }) => {
      if (message.type === 'state' && message.state) {
        slot.state = message.state;
        if (message.state === 'active') slot.crashes = 0;
        firstReports.get(role)?.();
      }
    });
    worker.on('error', (error) => log(`${role} worker failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`));
    worker.on('exit', (code) => {
      slot.worker = undefined;
      if (stopping) {
        slot.state = 'stopped';
        return;
      }
      slot.state = 'restarting';
      slot.crashes += 1;
      const delay = Math.min(30_000, 1000 * 2 ** (slot.crashes - 1));
      log(`${role} worker exited (code ${code}); restarting in ${delay} ms`);
      void (o.onCrash?.(role, data.holder) ?? Promise.resolve()).catch(() => undefined).finally(() => {
        if (!stopping) slot.restartTimer = setTimeout(() => spawn(role), delay);
      });
    });
  }

  for (const role of o.roles) spawn(role);

  return {
    async started(timeoutMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([allReported, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    },
    status: () => Object.fromEntries([...hosted].map(([role, s]) => [role, s.state])),
    async stop() {
      stopping = true;
      await Promise.all([...hosted.values()].map(async (slot) => {
        clearTimeout(slot.restartTimer);
        const worker = slot.worker;
        if (!worker) return;
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        worker.postMessage({ type: 'stop' });
        const timer = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }));
    },
  };
}
