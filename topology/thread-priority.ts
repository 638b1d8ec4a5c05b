/**
 * Lowers the calling thread's scheduling priority (Linux: `setpriority` on the thread's own id,
 * which moves that thread only, not its process). The api's ack has the POS's deadline; the
 * projector's and outbound sender's work is eventually consistent and can take the gaps, so
 * when they share the api's process (`npm start`) they run niced and a busy machine serves the
 * webhook first. Best effort: elsewhere, or when refused, the thread keeps its priority.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The calling thread's id (`/proc/thread-self` links to `<pid>/task/<tid>`), or undefined off Linux. */
export function thisThreadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/** Sets the calling thread's nice value to `nice` (0–19; raising priority back needs privileges). Returns the value now in force, or undefined when it could not be read. */
export function niceThisThread(nice: number): number | undefined {
  const tid = thisThreadId();
  if (tid === undefined) return undefined;
  try {
    if (nice > getPriority(tid)) setPriority(tid, nice);
    return getPriority(tid);
  } catch {
    return undefined;
  }
}
