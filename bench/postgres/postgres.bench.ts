/**
 * The event store and the rebuild on PostgreSQL (`DATABASE_URL`), each against the raw driver
 * (`pg`) doing the same inserts or reads in the same run, on a fresh schema dropped afterwards:
 *  (a) raw `pg`: the same event rows inserted in 100-row transactions (one multi-row INSERT
 *      each): the baseline of (b) and (c);
 *  (b) our store, 100-event appends one after another;
 *  (c) our store, single-event appends from 64 concurrent callers (group commit);
 *  (d) raw `pg`: reading the whole log in pages of 5,000: the baseline of (e);
 *  (e) a rebuild of the read models from that log into a PostgreSQL read store;
 *  (f) the webhook acknowledgement benchmark (its quick plan) with the app on PostgreSQL, against
 *      its own bare-Fastify baseline measured in the same run (rows `webhooks (postgres): ...`);
 *  (g) sales through the command service, one after another: the same store seen as one whose
 *      append answers cannot be folded (the stream read back after each append, as before) is
 *      the baseline of the store as it is (its own events folded, no read-back).
 * Sizes are small on purpose (shared machine): `BENCH_QUICK=1` uses 2,000 events.
 *
 * Run alone: `DATABASE_URL=postgres://... npx tsx bench/postgres/postgres.bench.ts`.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { concatMap, from, lastValueFrom, mergeMap, range, toArray } from 'rxjs';
import { projections } from '../../projections/models/index';
import { PostgresReadStore } from '../../projections/readstore/postgres-read-store';
import { projectFromZero } from '../../projections/runner/rebuild';
import { stockEvent } from '../../projections/runner/testing/stock-events';
import { PostgresEventStore } from '../../write-side/eventstore/postgres-event-store';
import type { EventStore, EventToAppend } from '../../write-side/eventstore/port';
import { createStockCommands } from '../../write-side/commands/service';
import type { CommandContext } from '../../write-side/commands/types';
import { comparedRow, type BenchRow } from '../bench-row';
import { benchWebhookAck, QUICK as WEBHOOK_QUICK } from '../webhooks/webhook-ack.bench';

const BATCH = 100;
const CONCURRENCY = 64;
const READ_PAGE = 5000;
const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);

async function rawInserts(client: pg.Client, events: readonly { streamId: string; event: EventToAppend }[]): Promise<number> {
  await client.query(`CREATE TABLE raw_events (position bigint PRIMARY KEY, id text NOT NULL UNIQUE, stream_id text NOT NULL,
    revision bigint NOT NULL, type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (stream_id, revision))`);
  const started = performance.now();
  for (let i = 0; i < events.length; i += BATCH) {
    const chunk = events.slice(i, i + BATCH);
    const values: unknown[] = [];
    const rows = chunk.map(({ event }, j) => {
      values.push(i + j + 1, event.id, `s-${i / BATCH}`, j, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata));
      const b = j * 7;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}::jsonb, $${b + 7}::jsonb)`;
    });
    await client.query('BEGIN');
    await client.query(`INSERT INTO raw_events (position, id, stream_id, revision, type, data, metadata) VALUES ${rows.join(', ')}`, values);
    await client.query('COMMIT');
  }
  return performance.now() - started;
}

async function rawRead(client: pg.Client, table: string): Promise<{ ms: number; count: number }> {
  const started = performance.now();
  let after = '0';
  let count = 0;
  for (;;) {
    const { rows } = await client.query<{ position: string }>(
      `SELECT position, id, stream_id, revision, type, data, metadata FROM ${table} WHERE position > $1 ORDER BY position LIMIT $2`, [after, READ_PAGE]);
    if (rows.length === 0) return { ms: performance.now() - started, count };
    count += rows.length;
    after = rows.at(-1)!.position;
  }
}

export async function benchPostgres(events = Number(process.env.BENCH_PG_EVENTS ?? 10_000)): Promise<BenchRow[]> {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) {
    console.log('DATABASE_URL not set: PostgreSQL benchmark skipped');
    return [];
  }
  if (events <= 0 || events % BATCH !== 0) throw new Error(`events must be a positive multiple of ${BATCH}`);
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`SET search_path = ${schema}`);
  try {
    const list = Array.from({ length: events }, (_, i) => stockEvent(i, { count: events, locations: 20, skus: 100 }));
    const rawMs = await rawInserts(client, list);

    const store = await PostgresEventStore.open({ url, schema });
    const batchStarted = performance.now();
    await lastValueFrom(from(Array.from({ length: events / BATCH }, (_, b) => b)).pipe(
      concatMap((b) => store.append(`batch-${b}`, list.slice(b * BATCH, (b + 1) * BATCH).map((e) => e.event), 'no_stream')), toArray()));
    const batchMs = performance.now() - batchStarted;

    // The singles go to a second schema's log: the rebuild below reads exactly the generated stock events.
    const singlesSchema = `${schema}_s`;
    const singles = await PostgresEventStore.open({ url, schema: singlesSchema });
    const singleList = Array.from({ length: events }, (_, i) => stockEvent(i, { count: events }));
    const singleStarted = performance.now();
    await lastValueFrom(range(0, events).pipe(
      mergeMap((i) => singles.append(`single-${i % 500}`, [singleList[i]!.event], 'any'), CONCURRENCY), toArray()));
    const singleMs = performance.now() - singleStarted;
    await singles.close();
    await client.query(`DROP SCHEMA ${singlesSchema} CASCADE`);

    const read = await rawRead(client, 'events');
    if (read.count !== events) throw new Error(`read ${read.count} of ${events} events`);
    const readStore = await PostgresReadStore.open({ url, schema: `${schema}_r` });
    const head = await store.headPosition();
    const rebuildStarted = performance.now();
    const projected = await projectFromZero(store, readStore, projections, new Map(projections.map((p) => [p.name, head])));
    const rebuildMs = performance.now() - rebuildStarted;
    if (projected !== events) throw new Error(`rebuild projected ${projected} of ${events}`);
    await readStore.close();
    await store.close();
    await client.query(`DROP SCHEMA ${schema}_r CASCADE`);

    const insertBaseline = 'postgres: raw pg, 100-row INSERT transactions';
    const readBaseline = 'postgres: raw pg, read the log in pages';
    const raw = perSecond(events, rawMs);
    const rawReadRate = perSecond(events, read.ms);
    return [
      { name: insertBaseline, value: raw, unit: 'events/s' },
      comparedRow('postgres: event store, 100-event appends, sequential', perSecond(events, batchMs), 'events/s', insertBaseline, raw),
      comparedRow(`postgres: event store, single-event appends, ${CONCURRENCY} concurrent callers`, perSecond(events, singleMs), 'events/s', insertBaseline, raw),
      { name: readBaseline, value: rawReadRate, unit: 'events/s' },
      comparedRow(`postgres: rebuild, read models (${projections.map((p) => p.name).join('+')})`, perSecond(events, rebuildMs), 'events/s', readBaseline, rawReadRate),
    ];
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await client.end();
  }
}

/** (f): webhook-ack.bench.ts with the app on a fresh schema of `DATABASE_URL`. */
export async function benchPostgresWebhooks(): Promise<BenchRow[]> {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) return [];
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const separator = url.includes('?') ? '&' : '?';
  try {
    const rows = await benchWebhookAck(WEBHOOK_QUICK, { databaseUrl: `${url}${separator}schema=${schema}` });
    const relabel = (name: string) => name.replace(/^webhooks:/, 'webhooks (postgres):');
    return rows.map((r) => ({ ...r, name: relabel(r.name), ...(r.baseline !== undefined && { baseline: relabel(r.baseline) }) }));
  } finally {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await client.end();
  }
}

/** (g): `sales` sales through `createStockCommands`, read-back (baseline) then folded, on one fresh schema. */
export async function benchPostgresCommands(sales = 500): Promise<BenchRow[]> {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) return [];
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const store = await PostgresEventStore.open({ url, schema });
  const ctx: CommandContext = { actor: { kind: 'system', id: 'bench' }, source: 'bench', correlationId: 'bench', now: new Date('2025-03-01T10:00:00.000Z') };
  let reads = 0;
  // The same store under another kind: the stream cache then reads each stream back after an append.
  const readBack: EventStore = {
    kind: 'eventstoredb',
    append: (...a) => store.append(...a),
    readStream: (...a) => ((reads += 1), store.readStream(...a)),
    readAll: (...a) => store.readAll(...a),
    subscribe: (...a) => store.subscribe(...a),
    headPosition: () => store.headPosition(),
    close: async () => undefined,
  };
  const counted: EventStore = { ...readBack, kind: 'postgres' };
  const run = async (eventStore: EventStore, location: string) => {
    const commands = createStockCommands(eventStore);
    await commands.registerLocation({ id: location, name: location, type: 'store' }, ctx);
    await commands.recordSale({ locationId: location, saleId: `${location}-warm`, lines: [{ sku: 'SKU-0', quantity: 1 }] }, ctx);
    reads = 0;
    const started = performance.now();
    for (let i = 0; i < sales; i += 1) {
      await commands.recordSale({ locationId: location, saleId: `${location}-${i}`, lines: [{ sku: `SKU-${i % 10}`, quantity: 1 }] }, ctx);
    }
    return { rate: perSecond(sales, performance.now() - started), reads };
  };
  try {
    await createStockCommands(store).registerProduct({ sku: 'SKU-0', name: 'Mug' }, ctx);
    for (let k = 1; k < 10; k += 1) await createStockCommands(store).registerProduct({ sku: `SKU-${k}`, name: `Item ${k}` }, ctx);
    // Interleaved, two rounds each (a shared machine's load drifts): the rate over both rounds.
    const rounds = [await run(readBack, 'read-back-1'), await run(counted, 'folded-1'), await run(readBack, 'read-back-2'), await run(counted, 'folded-2')];
    const total = (a: { rate: number; reads: number }, b: { rate: number; reads: number }) =>
      ({ rate: Math.round(2 / (1 / a.rate + 1 / b.rate)), reads: (a.reads + b.reads) / 2 });
    const before = total(rounds[0]!, rounds[2]!);
    const after = total(rounds[1]!, rounds[3]!);
    const baseline = 'postgres: sales through the command service, stream read back after each append';
    return [
      { name: baseline, value: before.rate, unit: 'sales/s' },
      comparedRow('postgres: sales through the command service, own events folded', after.rate, 'sales/s', baseline, before.rate),
      { name: 'postgres: stream reads per sale, read back / folded', value: Math.round((before.reads / sales) * 100) / 100, unit: `reads (folded: ${Math.round((after.reads / sales) * 100) / 100})` },
    ];
  } finally {
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await client.end();
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const quick = process.env.BENCH_QUICK === '1';
  console.table([...await benchPostgres(quick ? 2_000 : undefined), ...await benchPostgresCommands(quick ? 300 : undefined), ...await benchPostgresWebhooks()]);
}
