/**
 * Slack counting over the embedded store (two stores on one file, as two api processes): each
 * process answers every hit with no store write but every `slack`-th, and the shared count lags
 * the hits by less than the slack of each process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RateCount } from './port';
import { SlackCounts } from './slack-counts';
import { SqliteRateCounterStore } from './sqlite-rate-counter-store';

describe('SlackCounts', () => {
  let dir: string;
  let now: number;
  let stores: SqliteRateCounterStore[];
  const clock = () => now;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stocktide-slack-'));
    now = 1_000_000;
    stores = [0, 1].map(() => new SqliteRateCounterStore(join(dir, 'rate-limits.sqlite'), clock));
  });
  afterEach(async () => {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const shared = async () => (await stores[0]!.peek('k')).current;

  it('given slack 1, every hit is written: the shared count is the hits', async () => {
    const counts = new SlackCounts(stores[0]!, clock);
    for (let i = 1; i <= 5; i += 1) expect(await counts.hit('k', 60_000, 1)).toEqual({ current: i, ttlMs: 60_000 });
    expect(await shared()).toBe(5);
  });

  it('given slack 10 and one process, each hit is answered with the exact count and the store lags by less than the slack', async () => {
    const counts = new SlackCounts(stores[0]!, clock);
    const written: number[] = [];
    for (let i = 1; i <= 35; i += 1) {
      const answer = counts.hit('k', 60_000, 10);
      if (answer instanceof Promise) written.push(i);
      expect((await answer).current).toBe(i);
      expect(i - (await shared())).toBeLessThan(10);
    }
    expect(written).toEqual([1, 11, 21, 31]); // the window's first hit, then every 10th
  });

  it('given two processes alternating, they share one budget: each sees the other within its slack, none counted twice', async () => {
    const a = new SlackCounts(stores[0]!, clock);
    const b = new SlackCounts(stores[1]!, clock);
    const max = 50;
    let admitted = 0;
    for (let i = 0; i < 200; i += 1) {
      const count: RateCount = await (i % 2 === 0 ? a : b).hit('k', 60_000, 5);
      if (count.current <= max) admitted += 1;
      expect(await shared()).toBeLessThanOrEqual(i + 1); // never counted twice
      expect(i + 1 - (await shared())).toBeLessThanOrEqual(2 * 4); // at most slack - 1 unwritten per process
    }
    expect(admitted).toBeGreaterThanOrEqual(max);
    expect(admitted).toBeLessThanOrEqual(max + 2 * 5); // overshoot bounded by the processes' slack
  });

  it('concurrent hits in one turn each count once', async () => {
    const counts = new SlackCounts(stores[0]!, clock);
    await counts.hit('k', 60_000, 4);
    const answers = await Promise.all(Array.from({ length: 40 }, () => counts.hit('k', 60_000, 4)));
    expect(answers.map((a) => a.current).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));
    expect(await shared()).toBe(41);
  });

  it('when the window ends, the next hit opens a new one at 1 in the store, unwritten hits of the old one forgiven', async () => {
    const counts = new SlackCounts(stores[0]!, clock);
    for (let i = 0; i < 7; i += 1) await counts.hit('k', 1000, 10);
    now += 1000;
    expect(await counts.hit('k', 1000, 10)).toEqual({ current: 1, ttlMs: 1000 });
    now += 300;
    expect(await counts.hit('k', 1000, 10)).toEqual({ current: 2, ttlMs: 700 });
    expect(await shared()).toBe(1);
  });
});
