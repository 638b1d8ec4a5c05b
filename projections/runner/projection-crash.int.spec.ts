import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../write-side/eventstore/sqlite-event-store';
import type { ReadStore } from '../readstore/port';
import { SqliteReadStore } from '../readstore/sqlite-read-store';
import { ProjectionRunner } from './projection-runner';
import { countingProjection } from './testing/counting-projection';
import { writeStockEvents } from './testing/stock-events';

const EVENTS = 20_000;
const KILL_AT = 4_000n;
const CHILD = join(import.meta.dirname, 'fixtures', 'crash-child.ts');

/** Runs the child; `killWhen` sees each committed position and may SIGKILL it. */
function runChild(dataDir: string, killWhen?: (position: bigint) => boolean): Promise<{ code: number | null; signal: NodeJS.Signals | null; last: bigint }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir], {
      env: { ...process.env, SLOW_AFTER: killWhen ? String(KILL_AT) : '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let last = 0n;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^committed (\d+)$/.exec(line);
      if (!match) return;
      last = BigInt(match[1]!);
      if (killWhen?.(last)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, last }));
  });
}

async function allDocs(store: ReadStore): Promise<unknown> {
  return { counts: await store.find('counts'), totals: await store.find('count_totals') };
}

describe('projection crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stocktide-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given a projector SIGKILLed mid-projection, when restarted to completion, then its read models equal an uninterrupted paged run', async () => {
    const eventStore = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
    await writeStockEvents(eventStore, { count: EVENTS, locations: 5, skus: 40 }, 1000);
    expect(await eventStore.headPosition()).toBe(BigInt(EVENTS));

    const killed = await runChild(dir, (position) => position >= KILL_AT);
    expect(killed.signal).toBe('SIGKILL');
    const afterCrash = new SqliteReadStore({ path: join(dir, 'read.sqlite') });
    const crashedAt = await afterCrash.checkpoint('counting');
    await afterCrash.close();
    expect(crashedAt).toBeGreaterThanOrEqual(KILL_AT);
    expect(crashedAt).toBeLessThan(BigInt(EVENTS));

    const resumed = await runChild(dir);
    expect(resumed.code).toBe(0);

    const crashed = new SqliteReadStore({ path: join(dir, 'read.sqlite') });
    const reference = new SqliteReadStore({ path: ':memory:' });
    const runner = new ProjectionRunner({ eventStore, readStore: reference, projections: [countingProjection()], catchUpPageSize: 5000, bulkCatchUp: false });
    await runner.start();
    expect(await runner.waitForPosition(BigInt(EVENTS), 20_000)).toBe(true);
    await runner.stop();

    expect(await crashed.checkpoint('counting')).toBe(BigInt(EVENTS));
    expect((await crashed.get('count_totals', 'all'))?.events).toBe(EVENTS);
    expect(await allDocs(crashed)).toEqual(await allDocs(reference));
    await Promise.all([crashed.close(), reference.close(), eventStore.close()]);
  }, 120_000); // two child processes on a shared machine: bounded, generous
});
