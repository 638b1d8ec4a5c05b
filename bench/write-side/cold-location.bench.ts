/**
 * coldLocation: the first decision on a location whose stream holds `n` events, in a fresh
 * process state (empty caches), from its snapshot; and, in the same run, the same decision
 * without snapshots (a full replay) as the baseline.
 *
 * The stream is written straight into the embedded log (one prepared INSERT per event, 10,000
 * per transaction: building a million events through the HTTP API would take most of an hour),
 * and folded with the real `evolveLocation` as it is written, so the snapshot saved at the end
 * is the one the command service would have saved.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DomainEvent } from '../../schemas/types';
import { createStockCommands } from '../../write-side/commands/service';
import { SqliteSnapshotStore } from '../../write-side/commands/snapshots/sqlite-snapshot-store';
import type { CommandContext } from '../../write-side/commands/types';
import { evolveLocation, initialLocationState, type LocationState } from '../../write-side/domain/locations/location-state';
import { LOCATION_SNAPSHOT_VERSION, encodeLocation } from '../../write-side/domain/locations/location-snapshot';
import { SqliteEventStore } from '../../write-side/eventstore/sqlite-event-store';
import type { BenchRow } from '../bench-row';

const DAY = 24 * 60 * 60 * 1000;
const START = Date.parse('2024-01-01T00:00:00.000Z');
/** The history spans two years: the dedupe window keeps about 30 days of it. */
const SPAN_MS = 730 * DAY;

const ctx = (now: Date): CommandContext => ({ actor: { kind: 'system', id: 'bench' }, source: 'bench', correlationId: 'bench', now });

export async function benchColdLocation(n: number): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'stocktide-bench-cold-'));
  const eventsPath = join(dir, 'events.sqlite');
  const snapshotsPath = join(dir, 'snapshots.sqlite');
  try {
    // The location and a product, through the service (revision 0 of the stream).
    const setup = new SqliteEventStore({ path: eventsPath });
    const seed = createStockCommands(setup);
    await seed.registerLocation({ id: 'L', name: 'Busy store', type: 'store' }, ctx(new Date(START)));
    await seed.registerProduct({ sku: 'SKU-0', name: 'Mug' }, ctx(new Date(START)));
    const registered = await setup.readStream('location-L');
    await setup.close();
    let state = registered.reduce((s, r) => evolveLocation(s, { type: r.type, data: r.data } as DomainEvent), initialLocationState());

    const writeStarted = performance.now();
    const db = new Database(eventsPath);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF'); // bench setup only: synced by the checkpoint below
    const insert = db.prepare('INSERT INTO events (id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
    const metadata = JSON.stringify({ actor: { kind: 'system', id: 'bench' }, source: 'bench', correlationId: 'bench' });
    let lastPosition = 0n;
    const writePage = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i += 1) {
        const at = new Date(START + Math.floor((i * SPAN_MS) / n)).toISOString();
        const event = {
          type: 'StockSold' as const,
          data: { locationId: 'L', saleId: `till-1:${i}`, lines: [{ sku: `SKU-${i % 50}`, quantity: 1 }], occurredAt: at, recordedAt: at },
        };
        const info = insert.run(`bench-cold-${i}`, 'location-L', i + 1, event.type, JSON.stringify(event.data), metadata);
        lastPosition = BigInt(info.lastInsertRowid);
        state = evolveLocation(state, event as DomainEvent);
      }
    });
    for (let from = 0; from < n; from += 10_000) writePage(from, Math.min(n, from + 10_000));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const writeMs = performance.now() - writeStarted;

    const snapshots = new SqliteSnapshotStore(snapshotsPath);
    await snapshots.save({ streamId: 'location-L', version: LOCATION_SNAPSHOT_VERSION, revision: BigInt(n), position: lastPosition, state: encodeLocation(state) });
    await snapshots.close();
    const keys = (state as LocationState).seen.size;
    state = undefined as unknown as LocationState; // let the setup's copy go before measuring memory

    const firstDecision = async (withSnapshots: boolean, saleId: string) => {
      const store = new SqliteEventStore({ path: eventsPath });
      const snaps = withSnapshots ? new SqliteSnapshotStore(snapshotsPath) : undefined;
      const commands = createStockCommands(store, snaps ? { snapshots: snaps } : {});
      const rssBefore = process.memoryUsage().rss;
      const t = performance.now();
      const result = await commands.recordSale({ locationId: 'L', saleId, lines: [{ sku: 'SKU-0', quantity: 1 }] }, ctx(new Date(START + SPAN_MS)));
      const ms = performance.now() - t;
      const rssMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
      if (result.duplicate) throw new Error('the cold sale was answered as a duplicate');
      const repeat = await commands.recordSale({ locationId: 'L', saleId: `till-1:${n - 1}`, lines: [{ sku: 'SKU-1', quantity: 1 }] }, ctx(new Date(START + SPAN_MS)));
      if (!repeat.duplicate) throw new Error('a redelivery inside the dedupe window was not recognised');
      await snaps?.close();
      await store.close();
      return { ms, rssMb };
    };
    const replay = await firstDecision(false, 'cold-replay');
    const cold = await firstDecision(true, 'cold-snapshot');

    const round = (x: number) => Math.round(x * 10) / 10;
    const baseline = `coldLocation: first decision, ${n} events, full replay (no snapshot)`;
    return [
      { name: `coldLocation: write ${n} events straight into the log (setup)`, value: Math.round(n / (writeMs / 1000)), unit: 'events/s' },
      { name: baseline, value: round(replay.ms), unit: 'ms' },
      { name: `coldLocation: first decision, ${n} events, from the snapshot (target < 1000 ms)`, value: round(cold.ms), unit: 'ms', baseline, ratio: Math.round((cold.ms / replay.ms) * 1000) / 1000 },
      { name: 'coldLocation: RSS growth of the first decision, full replay', value: round(replay.rssMb), unit: 'MiB' },
      { name: 'coldLocation: RSS growth of the first decision, from the snapshot', value: round(cold.rssMb), unit: 'MiB' },
      { name: 'coldLocation: keys remembered by the state (30-day dedupe window)', value: keys, unit: 'keys' },
      { name: 'coldLocation: snapshot file', value: Math.round(statSync(snapshotsPath).size / 1024), unit: 'KiB' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
