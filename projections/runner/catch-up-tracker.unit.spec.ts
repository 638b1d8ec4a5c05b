import { describe, expect, it } from 'vitest';
import { CatchUpTracker } from './catch-up-tracker';

describe('CatchUpTracker', () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, advance: (ms: number) => { t += ms; } };
  };

  it('given read models far behind, then it says catching up, how far, the share done, and once a rate is known, the time left', () => {
    const c = clock();
    const tracker = new CatchUpTracker(c.now);
    expect(tracker.observe(100_000n, 1_000_000n)).toEqual({ state: 'catching_up', behind: '900000', percent: 10 });
    c.advance(2_000);
    expect(tracker.observe(300_000n, 1_000_000n)).toEqual({
      state: 'catching_up', behind: '700000', percent: 30, eventsPerSecond: 100_000, etaSeconds: 7,
    });
  });

  it('given read models within a batch of the head, then it says live', () => {
    const tracker = new CatchUpTracker(() => 0);
    expect(tracker.observe(5_000n, 5_120n)).toEqual({ state: 'live', behind: '120', percent: 97.6 });
    expect(tracker.observe(0n, 0n)).toEqual({ state: 'live', behind: '0', percent: 100 });
  });

  it('given samples older than the window, then the rate is the recent one', () => {
    const c = clock();
    const tracker = new CatchUpTracker(c.now, 10_000);
    tracker.observe(0n, 100_000n);
    c.advance(20_000);
    tracker.observe(20_000n, 100_000n); // 1,000/s over the first 20 s: outside the window later
    c.advance(5_000);
    expect(tracker.observe(70_000n, 100_000n)).toMatchObject({ eventsPerSecond: 10_000, etaSeconds: 3 });
  });

  it('given a position that went back (a rebuilt read store), then older samples are forgotten', () => {
    const c = clock();
    const tracker = new CatchUpTracker(c.now);
    tracker.observe(50_000n, 100_000n);
    c.advance(2_000);
    expect(tracker.observe(10_000n, 100_000n)).toEqual({ state: 'catching_up', behind: '90000', percent: 10 });
  });
});
