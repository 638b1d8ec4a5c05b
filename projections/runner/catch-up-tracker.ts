/**
 * How far the read models are behind the log, for `/health` and the dashboard: events behind,
 * the share of the log they reflect, the rate they gain at and an estimated time to the head.
 * Works from two numbers any api has, its view's position and the log's head, so it is the
 * same whether the projectors run in this thread, a worker or another process. The rate comes
 * from the positions observed over the last `windowMs` (each `/health` call is one sample).
 */

/** Behind by this many events or more: "catching up" (a live projector lags by a batch or two). */
export const CATCHING_UP_BEHIND = 1000n;

export interface CatchUpReport {
  readonly state: 'catching_up' | 'live';
  /** Events in the log the read models do not reflect yet (a decimal string, like positions). */
  readonly behind: string;
  /** Share of the log (from position 0) the read models reflect, 0-100, one decimal. */
  readonly percent: number;
  /** Events per second gained over the last samples (absent until two samples are a second apart). */
  readonly eventsPerSecond?: number;
  /** Seconds to the head at that rate (absent without a rate). */
  readonly etaSeconds?: number;
}

export class CatchUpTracker {
  private samples: Array<{ readonly position: bigint; readonly at: number }> = [];

  constructor(private readonly now: () => number = () => performance.now(), private readonly windowMs = 60_000) {}

  observe(position: bigint, head: bigint): CatchUpReport {
    const at = this.now();
    this.samples = this.samples.filter((s) => at - s.at <= this.windowMs && s.position <= position);
    this.samples.push({ position, at });
    const behind = head > position ? head - position : 0n;
    const percent = head > 0n ? Math.min(100, Math.floor(Number(((head - behind) * 1000n) / head)) / 10) : 100;
    const state = behind >= CATCHING_UP_BEHIND ? 'catching_up' : 'live';
    const first = this.samples[0]!;
    const seconds = (at - first.at) / 1000;
    if (seconds < 1) return { state, behind: behind.toString(), percent };
    const eventsPerSecond = Math.round(Number(position - first.position) / seconds);
    return {
      state, behind: behind.toString(), percent, eventsPerSecond,
      ...(eventsPerSecond > 0 && { etaSeconds: Math.ceil(Number(behind) / eventsPerSecond) }),
    };
  }
}
