/**
 * The clock port: the one source of "now" for everything the composition root builds
 * (commands' `recordedAt`, alert ages, purchase-order and transfer due dates, the forecast's
 * "today", aging). Production uses the system clock; the simulator (simulator/) injects a
 * clock it moves day by day, so a 180-day run happens in minutes with every date consistent.
 */
export type Clock = () => Date;

/** The wall clock. */
export const systemClock: Clock = () => new Date();

/** A clock that stands still until it is set or advanced (simulations, tests). */
export interface ManualClock {
  readonly now: Clock;
  set(at: Date): void;
  advance(ms: number): void;
}

export function manualClock(start: Date): ManualClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set(at) {
      if (at.getTime() < current) throw new Error(`the clock does not run backwards (${at.toISOString()} < ${new Date(current).toISOString()})`);
      current = at.getTime();
    },
    advance(ms) {
      if (ms < 0) throw new Error('the clock does not run backwards');
      current += ms;
    },
  };
}
