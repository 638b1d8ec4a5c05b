/**
 * Who holds a lease: `host/pid/thread/nonce`. On one host, a holder whose process is gone is
 * known dead at once (its lease is released instead of waiting for the TTL): the embedded
 * case, where a SIGKILLed process leaves its lease behind. Elsewhere only the TTL tells.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';

export const newHolderId = (): string => `${hostname()}/${process.pid}/${threadId}/${randomUUID().slice(0, 8)}`;

/** True only when `holder` ran in another process of this host that no longer exists. */
export function holderProcessIsGone(holder: string): boolean {
  const [host, pidText] = holder.split('/');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid === process.pid) return false;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
