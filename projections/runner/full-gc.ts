/**
 * A full garbage collection on demand, for a long batch job at a point where most of what it
 * allocated just died (a rebuild chunk written out). V8 otherwise lets the old space grow to
 * several times the live data before collecting it (a rebuild's documents survive a whole
 * chunk, so they are promoted, then all die at once): the measured peak RSS of a rebuild was
 * twice its live heap. `--expose-gc` is switched on at run time, so no node flag is needed;
 * where that is not possible the call does nothing.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined | null = null;

export function collectGarbage(): void {
  if (gc === null) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = undefined;
    }
  }
  gc?.();
}
