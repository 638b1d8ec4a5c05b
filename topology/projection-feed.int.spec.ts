import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, Subject } from 'rxjs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteReadStore } from '../projections/readstore/sqlite-read-store';
import type { ReadModelChange } from '../projections/runner/projection';
import { projectionFeed, type ProjectionFeed } from './projection-feed';

const change = (position: string): ReadModelChange =>
  ({ kind: 'stock', locationId: 'A', sku: 'X', onHand: Number(position), inTransitIn: 0, inTransitOut: 0, position });

let writer: SqliteReadStore;
let reader: SqliteReadStore;
let feed: ProjectionFeed;
const dir = mkdtempSync(join(tmpdir(), 'feed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

beforeEach(async () => {
  // Two connections to one database: the projector's (keeps changes) and the api's.
  const path = join(dir, `read-${(n += 1)}.sqlite`);
  writer = new SqliteReadStore({ path, keepChanges: true });
  reader = new SqliteReadStore({ path });
  await writer.commit('stock', [], 1n, [change('1')]);
  feed = projectionFeed({ readStore: reader, projections: ['stock', 'alerts'], intervalMs: 5 });
  await feed.ready;
});
afterEach(async () => {
  feed.stop();
  await Promise.all([writer.close(), reader.close()]);
});

describe('the projection feed (an api following projectors elsewhere)', () => {
  it('given changes committed by another connection, then it emits them once, in order, from its start on, and the position is the lowest checkpoint', async () => {
    const seen: string[] = [];
    feed.changes$.subscribe((c) => seen.push(c.position));
    expect(feed.position()).toBe(0n); // `alerts` has not committed yet
    await writer.commit('stock', [], 2n, [change('2')]);
    await writer.commit('alerts', [], 2n, []);
    expect(await feed.waitForPosition(2n, 2000)).toBe(true);
    await writer.commit('stock', [], 3n, [change('3')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual(['2', '3']); // '1' was committed before the feed started
    expect(feed.position()).toBe(2n);
    expect(await feed.waitForPosition(3n, 100)).toBe(false);
  });

  it('given a long poll interval, when the projector announces a commit, then the feed reads the change at once', async () => {
    const wakeUps = new Subject<void>();
    const slow = projectionFeed({ readStore: reader, projections: ['stock'], intervalMs: 60_000, wakeUps});
    await slow.ready;
    const next = firstValueFrom(slow.changes$);
    await writer.commit('stock', [], 2n, [change('2')]);
    wakeUps.next();
    expect((await next).position).toBe('2'); // the next poll would be a minute away (past the test's timeout)
    slow.stop();
  });

  it('given nothing committed between polls, then a poll reads only the change mark, and a commit is read at the next one', async () => {
    const reads = { changes: 0, checkpoints: 0 };
    const counting = Object.assign(Object.create(reader) as SqliteReadStore, {
      changesAfter: (cursor: string | undefined, limit: number) => { reads.changes += 1; return reader.changesAfter(cursor, limit); },
      checkpoints: (names: readonly string[]) => { reads.checkpoints += 1; return reader.checkpoints(names); },
    });
    const quiet = projectionFeed({ readStore: counting, projections: ['stock', 'alerts'], intervalMs: 5 });
    await quiet.ready;
    const seen: string[] = [];
    quiet.changes$.subscribe((c) => seen.push(c.position));
    // The first poll starts the cursor ("from now") and reads; the second reads once more (it has
    // no mark to compare yet) and keeps the mark; from then on the mark holds.
    for (let waited = 0; reads.changes < 3 && waited < 2000; waited += 5) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(reads.changes).toBe(3);
    const idle = { ...reads };
    await new Promise((resolve) => setTimeout(resolve, 60)); // ~12 polls, nothing committed
    expect(reads).toEqual(idle);
    await writer.commitAll([{ projection: 'stock', writes: [], position: 2n, changes: [change('2')] }, { projection: 'alerts', writes: [], position: 2n }]);
    expect(await quiet.waitForPosition(2n, 2000)).toBe(true);
    expect(seen).toEqual(['2']);
    expect(reads.checkpoints).toBeGreaterThan(idle.checkpoints);
    quiet.stop();
  });
});
