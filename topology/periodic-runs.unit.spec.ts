import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { periodicRuns } from './periodic-runs';

describe('periodic runs', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  test('runOnce calls made together run one after another, never overlapping', async () => {
    let active = 0;
    let most = 0;
    const runs = periodicRuns(async () => {
      active++;
      most = Math.max(most, active);
      await new Promise((resolve) => setTimeout(resolve, 10));
      active--;
      return active;
    }, { intervalMs: 1000, label: 'job', log: () => undefined });
    const all = Promise.all([runs.runOnce(), runs.runOnce(), runs.runOnce()]);
    await vi.advanceTimersByTimeAsync(30);
    expect(await all).toEqual([0, 0, 0]);
    expect(most).toBe(1);
  });

  test('a tick while a run is in progress is skipped, not queued', async () => {
    let calls = 0;
    const runs = periodicRuns(async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 2500));
    }, { intervalMs: 1000, label: 'job', log: () => undefined });
    runs.start();
    await vi.advanceTimersByTimeAsync(2600); // ticks at 0, 1000, 2000: the first run still holds
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(500); // the tick at 3000 finds it done
    expect(calls).toBe(2);
    const stopped = runs.stop();
    await vi.advanceTimersByTimeAsync(2500);
    await stopped;
  });

  test('a failed run is logged and the next tick runs again', async () => {
    const lines: string[] = [];
    let calls = 0;
    const runs = periodicRuns(async () => {
      calls++;
      if (calls === 1) throw new Error('store unavailable');
    }, { intervalMs: 1000, label: 'outbound', log: (line) => lines.push(line) });
    runs.start();
    await vi.advanceTimersByTimeAsync(1500);
    expect(lines).toEqual(['outbound: run failed: store unavailable']);
    expect(calls).toBe(2);
    await runs.stop();
  });

  test('stop says so to the run in progress and waits for it to end', async () => {
    let pages = 0;
    const runs = periodicRuns(async () => {
      while (!runs.stopping && pages < 100) {
        pages++;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }, { intervalMs: 1000, label: 'job', log: () => undefined });
    runs.start();
    await vi.advanceTimersByTimeAsync(35);
    const stopped = runs.stop();
    expect(runs.stopping).toBe(true);
    await vi.advanceTimersByTimeAsync(10);
    await stopped;
    expect(pages).toBeLessThan(10);
    expect(runs.stopping).toBe(false);
    const after = pages;
    await vi.advanceTimersByTimeAsync(5000); // no ticker after stop
    expect(pages).toBe(after);
  });
});
