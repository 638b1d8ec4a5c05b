/**
 * Names the calling thread for the operating system (Linux: `/proc/thread-self/comm`, 15
 * characters), so `top -H`, `ps -L` and the benchmarks' per-thread CPU figures tell the api,
 * the projector, the outbound sender and the appender apart. Best effort: elsewhere nothing.
 */
import { writeFileSync } from 'node:fs';

export function nameThisThread(name: string): void {
  try {
    writeFileSync('/proc/thread-self/comm', name.slice(0, 15));
  } catch {
    // not Linux, or /proc not mounted: the thread keeps the process's name
  }
}
