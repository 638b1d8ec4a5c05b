import { Subject } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { liveBatches } from './projection-runner';

const batching = { maxEvents: 5, maxMs: 20, busyEvents: 3, busyMs: 100 };

function batchesOf() {
  const events = new Subject<number>();
  const batches: number[][] = [];
  let completed = false;
  const subscription = events.pipe(liveBatches(batching)).subscribe({ next: (b) => batches.push(b), complete: () => { completed = true; } });
  return { events, batches, subscription, completed: () => completed };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('live batches of the projection runner', () => {
  it('given light load, when an event arrives, then its batch closes maxMs after it', () => {
    const { events, batches } = batchesOf();
    events.next(1);
    vi.advanceTimersByTime(19);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([[1]]);
  });

  it('given a batch reaching maxEvents, when the last one arrives, then it closes at once', () => {
    const { events, batches } = batchesOf();
    [1, 2, 3, 4, 5, 6].forEach((e) => events.next(e));
    expect(batches).toEqual([[1, 2, 3, 4, 5]]);
  });

  it('given a busy batch, when the next events arrive, then they wait busyMs, and a light window brings maxMs back', () => {
    const { events, batches } = batchesOf();
    [1, 2, 3].forEach((e) => events.next(e));
    vi.advanceTimersByTime(20);
    expect(batches).toEqual([[1, 2, 3]]);

    events.next(4);
    vi.advanceTimersByTime(20);
    expect(batches).toHaveLength(1); // load: a longer window
    vi.advanceTimersByTime(80);
    expect(batches).toEqual([[1, 2, 3], [4]]);

    events.next(5);
    vi.advanceTimersByTime(20);
    expect(batches).toEqual([[1, 2, 3], [4], [5]]);
  });

  it('given an open batch, when the source completes, then the batch is emitted before completion and no event is lost', () => {
    const { events, batches, completed } = batchesOf();
    events.next(1);
    events.next(2);
    events.complete();
    expect(batches).toEqual([[1, 2]]);
    expect(completed()).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('given an open batch, when unsubscribed, then no timer is left behind', () => {
    const { events, subscription } = batchesOf();
    events.next(1);
    subscription.unsubscribe();
    expect(vi.getTimerCount()).toBe(0);
  });
});
