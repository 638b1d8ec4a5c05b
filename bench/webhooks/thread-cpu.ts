/**
 * CPU time of every thread of this process (Linux: `/proc/self/task/<tid>/stat`), for profiling
 * aids: which thread (the api, the appender, the projector, the load generator) used the cores
 * during a phase. Our worker threads name themselves (topology/thread-name.ts); V8's and libuv's
 * own threads are `node`; the main thread is the one whose id is the process id. Elsewhere: empty.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** CPU ms (user + system) per thread, keyed `name:tid` (`main` for the main thread; topology/thread-name.ts names ours). */
export function threadCpuMs(): Map<string, number> {
  const ticks = new Map<string, number>();
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return ticks;
  }
  for (const tid of tids) {
    try {
      // Fields after the `(comm)` part: utime and stime are the 12th and 13th (clock ticks, 100/s).
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const name = Number(tid) === process.pid ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      ticks.set(`${name}:${tid}`, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // the thread ended meanwhile
    }
  }
  return ticks;
}

/** CPU ms per thread name between two snapshots (unnamed threads of V8 and libuv summed as `node`). */
export function cpuByName(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const byName: Record<string, number> = {};
  for (const [thread, ms] of after) {
    const name = thread.slice(0, thread.lastIndexOf(':'));
    byName[name] = (byName[name] ?? 0) + ms - (before.get(thread) ?? 0);
  }
  return byName;
}

/** CPU ms of the app's threads: every thread but the load generator's (`bench-client`); `unlisted` (no thread's) is not the app's either. */
export const appCpuMs = (byName: Record<string, number>): number =>
  Object.entries(byName).filter(([name]) => name !== 'bench-client' && name !== 'unlisted').reduce((sum, [, ms]) => sum + ms, 0);

export interface CpuSpent<T> {
  readonly result: T;
  /** CPU ms per thread name during `work` (empty where `/proc` is not there). */
  readonly threads: Record<string, number>;
  /** CPU ms of the whole process (every thread, ended ones too: getrusage). */
  readonly processMs: number;
}

/** Runs `work` and measures the CPU it cost, per thread and for the process. */
export async function cpuSpent<T>(work: () => Promise<T>): Promise<CpuSpent<T>> {
  const threads0 = threadCpuMs();
  const process0 = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(process0);
  return { result, threads: cpuByName(threads0, threadCpuMs()), processMs: (used.user + used.system) / 1000 };
}
