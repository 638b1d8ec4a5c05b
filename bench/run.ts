/**
 * `npm run bench`: runs the benchmarks one after another (never in parallel: they would
 * measure each other), prints one table and writes bench/results/latest.json with the
 * machine, its load average, timestamps and every row.
 *
 * - `BENCH_QUICK=1` (or `--quick`): small counts, a smoke run of well under a minute.
 * - `BENCH_ONLY=webhooks,sse` (or `--only=...`): a subset of eventstore, projections, webhooks, sse, coldLocation, forecast, exports, postgres, simulation, freshness.
 * - `DATABASE_URL`: also the PostgreSQL rows (event store and rebuild against the raw `pg` driver).
 * - `BENCH_EVENTS=n`: events of the rebuild benchmark (default 100,000 here; 1,000,000 for the brief's figure).
 * - `BENCH_COLD_EVENTS=n`: events of the coldLocation stream (default 1,000,000; 200,000 with --quick).
 * - `BENCH_EXPORT_ROWS=n`: rows of the exports benchmark (default 100,000; 1,000,000 for the figure).
 * - `simulation`: the chain simulation, both policies on the same demand (bench/simulation/); `BENCH_SIM_SIZE=10x100x120` for another size.
 * - `summary` in latest.json: the headline figures under CONTRACT.md's keys (bench/summary.ts).
 *
 * A benchmark that throws (a failed exactly-once check included) is reported and the run
 * exits non-zero after the others have run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchRow } from './bench-row';
import { benchEventStore } from './eventstore/eventstore.bench';
import { benchRebuild } from './projections/rebuild.bench';
import { benchPostgres, benchPostgresCommands, benchPostgresWebhooks } from './postgres/postgres.bench';
import { formatTable, machineInfo, type BenchOutcome, type BenchRun } from './report';
import { benchSseLatency, FULL as SSE_FULL, QUICK as SSE_QUICK } from './sse/sse-latency.bench';
import { benchWebhookAck, FULL as WEBHOOK_FULL, QUICK as WEBHOOK_QUICK } from './webhooks/webhook-ack.bench';
import { benchColdLocation } from './write-side/cold-location.bench';
import { summarize } from './summary';
import { benchExports, FULL as EXPORTS_FULL, QUICK as EXPORTS_QUICK } from './exports/exports.bench';
import { benchForecast, forecastSummary, FULL as FORECAST_FULL, QUICK as FORECAST_QUICK } from './forecast/forecast.bench';
import { benchSimulation, simulationSummary, sizeOf, FULL as SIMULATION_FULL, QUICK as SIMULATION_QUICK } from './simulation/simulation.bench';
import { benchFreshness, FULL as FRESHNESS_FULL, QUICK as FRESHNESS_QUICK } from './sse/freshness.bench';

const argument = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = process.env.BENCH_QUICK === '1' || process.argv.includes('--quick');
const only = (argument('only') ?? process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const rebuildEvents = Number(process.env.BENCH_EVENTS ?? (quick ? 5_000 : 100_000));

const benchmarks: ReadonlyArray<{ name: string; run: () => Promise<BenchRow[]> }> = [
  { name: 'eventstore', run: () => (quick ? benchEventStore(2_000, 1) : benchEventStore()) },
  { name: 'projections', run: () => benchRebuild(rebuildEvents) },
  { name: 'webhooks', run: () => benchWebhookAck(quick ? WEBHOOK_QUICK : WEBHOOK_FULL) },
  { name: 'sse', run: () => benchSseLatency(quick ? SSE_QUICK : SSE_FULL) },
  { name: 'coldLocation', run: () => benchColdLocation(Number(process.env.BENCH_COLD_EVENTS ?? (quick ? 200_000 : 1_000_000))) },
  { name: 'forecast', run: () => benchForecast(quick ? FORECAST_QUICK : FORECAST_FULL) },
  { name: 'exports', run: () => benchExports(Number(process.env.BENCH_EXPORT_ROWS ?? (quick ? EXPORTS_QUICK : EXPORTS_FULL))) },
  // Only with DATABASE_URL (else it prints that it is skipped and adds no rows).
  { name: 'postgres', run: async () => [...await benchPostgres(quick ? 2_000 : undefined), ...await benchPostgresWebhooks(), ...await benchPostgresCommands(quick ? 300 : undefined)] },
  { name: 'simulation', run: () => benchSimulation(sizeOf(process.env.BENCH_SIM_SIZE, quick ? SIMULATION_QUICK : SIMULATION_FULL), Number(process.env.BENCH_SIM_SEED ?? 7)) },
  // Webhooks at 1,000/s with 100 SSE clients: sent -> frame (the `freshness.p99Ms` of the issue).
  { name: 'freshness', run: () => benchFreshness(quick ? FRESHNESS_QUICK : FRESHNESS_FULL) },
];

const unknown = only.filter((name) => !benchmarks.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${benchmarks.map((b) => b.name).join(', ')}`);
  process.exit(2);
}

const machine = machineInfo();
const startedAt = new Date().toISOString();
console.log(`stocktide bench${quick ? ' (quick)' : ''}: ${machine.cpus} cpus, node ${machine.node}, load average ${machine.loadAverage.join(' ')}`);

const rows: BenchRow[] = [];
const outcomes: BenchOutcome[] = [];
for (const bench of benchmarks.filter((b) => only.length === 0 || only.includes(b.name))) {
  const began = new Date().toISOString();
  const t = performance.now();
  process.stdout.write(`- ${bench.name} ... `);
  try {
    const result = await bench.run();
    rows.push(...result);
    outcomes.push({ benchmark: bench.name, startedAt: began, durationMs: Math.round(performance.now() - t) });
    console.log(`${((performance.now() - t) / 1000).toFixed(1)} s`);
  } catch (error) {
    const message = error instanceof Error ? error.stack ?? error.message : String(error);
    outcomes.push({ benchmark: bench.name, startedAt: began, durationMs: Math.round(performance.now() - t), error: message });
    console.log('FAILED');
    console.error(message);
  }
}

const run: BenchRun = {
  quick, startedAt, finishedAt: new Date().toISOString(), machine, loadAverageAtEnd: machineInfo().loadAverage, benchmarks: outcomes,
  summary: { ...summarize(rows), ...forecastSummary(rows), ...simulationSummary(rows) }, rows,
};
const dir = join(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(run, null, 2)}\n`);

console.log(`\n${formatTable(rows)}\n`);
console.log(`load average at start ${machine.loadAverage.join(' ')}, at end ${run.loadAverageAtEnd.join(' ')}; written to bench/results/latest.json`);
const failed = outcomes.filter((o) => o.error !== undefined);
if (failed.length > 0) {
  console.error(`FAILED: ${failed.map((o) => o.benchmark).join(', ')}`);
  process.exitCode = 1;
}
