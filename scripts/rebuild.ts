/**
 * `npm run rebuild`: replays the whole log into fresh read models (a temporary SQLite file, or
 * a temporary MongoDB database), compares them with the live ones document by document, up to
 * exactly the position the live checkpoints cover, and prints the event rate.
 * Exit code: 0 identical, 1 differences, 2 could not run.
 *
 * Environment: IMS_DATA_DIR (default ./data), EVENTSTORE_URL, MONGODB_URI, DATABASE_URL, as for `npm start`
 * (on PostgreSQL the fresh models go to a temporary schema, dropped afterwards).
 * Best run while the server is stopped: live projectors committing meanwhile show up as differences.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openEventStore } from '../write-side/eventstore/open-event-store';
import { MongoReadStore } from '../projections/readstore/mongo-read-store';
import { PostgresReadStore } from '../projections/readstore/postgres-read-store';
import { openReadStore } from '../projections/readstore/open-read-store';
import type { ReadStore } from '../projections/readstore/port';
import { SqliteReadStore } from '../projections/readstore/sqlite-read-store';
import { liveProjections as projections } from '../server/live-projections';
import { rebuildAndCompare } from '../projections/runner/rebuild';
import { progressBar } from './rebuild-progress';

const env = (name: string): string | undefined => {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
};

/** A fresh store next to the live one; `dispose` removes it. */
async function openFresh(live: ReadStore): Promise<{ store: ReadStore; dispose(): Promise<void> }> {
  if (live instanceof MongoReadStore) {
    const store = await MongoReadStore.open({ uri: env('MONGODB_URI')!, database: `${live.db.databaseName}_rebuild_${process.pid}` });
    return { store, dispose: async () => { await store.dropDatabase(); await store.close(); } };
  }
  if (live instanceof PostgresReadStore) {
    const schema = `rebuild_${process.pid}`;
    const store = await PostgresReadStore.open({ url: live.url, schema });
    return {
      store,
      dispose: async () => {
        await store.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await store.close();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'stocktide-rebuild-'));
  const store = new SqliteReadStore({ path: join(dir, 'read.sqlite'), bulkLoad: true });
  return { store, dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
}

async function main(): Promise<number> {
  const dataDir = resolve(env('IMS_DATA_DIR') ?? './data');
  const eventStore = await openEventStore({ eventStoreUrl: env('EVENTSTORE_URL'), dataDir, databaseUrl: env('DATABASE_URL') });
  const live = await openReadStore({ mongodbUri: env('MONGODB_URI'), dataDir, databaseUrl: env('DATABASE_URL') });
  const fresh = await openFresh(live);
  try {
    console.log(`rebuilding ${projections.map((p) => p.name).join(', ')} from position 0 (event store: ${eventStore.kind}, read store: ${live.kind})`);
    // A bar with events/s and ETA on a terminal; nothing at all when the output is a file or a pipe.
    const bar = progressBar(process.stderr);
    let report;
    try {
      report = await rebuildAndCompare({ eventStore, live, fresh: fresh.store, projections, onProgress: bar.update });
    } finally {
      bar.stop();
    }
    console.log(`projected ${report.events} events in ${report.seconds.toFixed(2)} s: ${report.eventsPerSecond} events/s`);
    console.log(`compared up to ${Object.entries(report.positions).map(([name, p]) => `${name}@${p}`).join(', ')}`);
    if (report.differenceCount === 0) {
      console.log('identical');
      return 0;
    }
    console.log(`${report.differenceCount} difference(s)${report.differenceCount > report.differences.length ? `, first ${report.differences.length}` : ''}:`);
    for (const d of report.differences) {
      console.log(`  ${d.kind} ${d.collection}/${d.id} (${d.projection})`);
      if (d.live) console.log(`    live:  ${JSON.stringify(d.live)}`);
      if (d.fresh) console.log(`    fresh: ${JSON.stringify(d.fresh)}`);
    }
    return 1;
  } finally {
    await fresh.dispose();
    await live.close();
    await eventStore.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`rebuild failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exit(2);
  },
);
