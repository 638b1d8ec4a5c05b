/**
 * Entry of a role's worker thread (topology/worker-host.ts): starts the role, reports its state
 * to the host, stops cleanly (lease released) when the host asks. An error that escapes ends
 * the worker; the host restarts it and it resumes from its checkpoint.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LeasedRole } from '../../topology/roles';
import type { RoleConfig } from './role-config';
import { startRole } from './start-role';
import { nameThisThread } from '../../topology/thread-name';

const { role, config, holder } = workerData as { role: LeasedRole; config: RoleConfig; holder: string };
const port = parentPort!;
nameThisThread(`st-${role}`);
const log = (message: string) => console.warn(`[${role}] ${message}`);

const started = await startRole(role, config, holder, (state) => port.postMessage({ type: 'state', state }), log);
port.on('message', (message: { type?: string }) => {
  if (message.type !== 'stop') return;
  started.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      log(`stop failed: ${String(error)}`);
      process.exit(1);
    },
  );
});
