/**
 * `npm run simulate -- --stores 20 --skus 200 --days 180 --seed 7 --policy both --out bench/results/simulation.json`
 *
 * Runs the chain simulation (simulate.ts) for one or both policies on the same demand, prints
 * them side by side, writes the JSON (`summary` as CONTRACT.md states, plus weekly series and
 * the run's parameters) and an HTML chart next to it (same name, `.html`).
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { breakdownOf, type Breakdown } from './breakdown';
import { createChain, WARM_UP_DAYS } from './chain';
import { metricsOf, summaryOf, weeklyOf, type PolicyMetrics, type WeekPoint } from './metrics';
import { consoleTable, htmlReport } from './report';
import { runPolicy, type PolicyName } from './simulate';

export interface SimulateArgs {
  readonly stores: number;
  readonly skus: number;
  readonly days: number;
  readonly seed: number;
  readonly policy: PolicyName | 'both';
  readonly out: string;
  readonly quiet?: boolean;
  /** Run both policies one after the other in this process (default: side by side, one child process each). */
  readonly serial?: boolean;
}

export function parseSimulateArgs(argv: readonly string[]): SimulateArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      stores: { type: 'string', default: '20' }, skus: { type: 'string', default: '200' }, days: { type: 'string', default: '180' },
      seed: { type: 'string', default: '7' }, policy: { type: 'string', default: 'both' }, out: { type: 'string', default: 'bench/results/simulation.json' },
      quiet: { type: 'boolean', default: false }, serial: { type: 'boolean', default: false },
    },
  });
  const int = (name: string, text: string, min: number, max: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max} (got ${text})`);
    return n;
  };
  const policy = values.policy;
  if (policy !== 'baseline' && policy !== 'stocktide' && policy !== 'both') throw new Error(`--policy must be baseline, stocktide or both (got ${policy})`);
  return {
    stores: int('stores', values.stores, 1, 99), skus: int('skus', values.skus, 1, 9999), days: int('days', values.days, WARM_UP_DAYS + 7, 3650),
    seed: int('seed', values.seed, 0, 2 ** 31 - 1), policy, out: values.out, quiet: values.quiet, serial: values.serial,
  };
}

export async function simulate(args: SimulateArgs) {
  const policies: PolicyName[] = args.policy === 'both' ? ['baseline', 'stocktide'] : [args.policy];
  const metrics: Partial<Record<PolicyName, PolicyMetrics>> = {};
  const weekly: Partial<Record<PolicyName, WeekPoint[]>> = {};
  const breakdown: Partial<Record<PolicyName, Breakdown>> = {};
  const log = args.quiet ? () => {} : (m: string) => console.error(m);
  const began = performance.now();
  if (policies.length > 1 && !args.serial) {
    // The policies share nothing but the seed: each runs its own Stocktide in a child process,
    // so a machine with two cores runs both at once.
    // One failing stops the other: nothing keeps running for a result that will not be written.
    const stop = new AbortController();
    const done = await Promise.all(policies.map((policy) => runChild(args, policy, log, stop.signal).catch((error: unknown) => {
      stop.abort();
      throw error;
    })));
    for (const [i, policy] of policies.entries()) {
      metrics[policy] = done[i]!.summary[policy];
      weekly[policy] = done[i]!.weekly[policy];
      breakdown[policy] = done[i]!.breakdown[policy];
    }
  } else {
    for (const policy of policies) {
      log(`simulating ${policy}: ${args.stores} stores + 1 warehouse, ${args.skus} SKUs, ${args.days} days, seed ${args.seed}`);
      const run = await runPolicy(args, policy, { progress: (m) => { log(m); } });
      metrics[policy] = metricsOf(run, args.stores * args.skus);
      weekly[policy] = weeklyOf(run);
      breakdown[policy] = breakdownOf(run, createChain(args));
    }
  }
  const seconds = Math.round((performance.now() - began) / 100) / 10;
  const summary = summaryOf(metrics.baseline, metrics.stocktide);
  const result = {
    parameters: { stores: args.stores, warehouses: 1, skus: args.skus, days: args.days, seed: args.seed, policy: args.policy, warmUpDays: WARM_UP_DAYS },
    /** Wall time of the whole run; `storeSkuDaysPerSec`: simulated store × SKU × days per second of it (both policies). */
    run: { seconds, parallel: policies.length > 1 && !args.serial, storeSkuDaysPerSec: Math.round((args.stores * args.skus * args.days * policies.length) / seconds) },
    summary, weekly, breakdown,
  };
  const out = resolve(args.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  const html = out.replace(/\.json$/, '') + '.html';
  writeFileSync(html, htmlReport({
    title: `Stocktide vs baseline: ${args.stores} stores, ${args.skus} SKUs, ${args.days} days, seed ${args.seed}`,
    summary, weekly, warmUpWeeks: WARM_UP_DAYS / 7,
  }));
  return { result, out, html };
}

interface PolicyResult {
  readonly summary: Record<PolicyName, PolicyMetrics>;
  readonly weekly: Record<PolicyName, WeekPoint[]>;
  readonly breakdown: Record<PolicyName, Breakdown>;
}

/** One policy in a child process running this module (same loader flags), its JSON read back. */
async function runChild(args: SimulateArgs, policy: PolicyName, log: (m: string) => void, signal: AbortSignal): Promise<PolicyResult> {
  const dir = mkdtempSync(join(tmpdir(), 'stocktide-sim-out-'));
  const out = join(dir, `${policy}.json`);
  try {
    const child = fork(fileURLToPath(import.meta.url), [
      '--stores', String(args.stores), '--skus', String(args.skus), '--days', String(args.days), '--seed', String(args.seed),
      '--policy', policy, '--out', out, ...(args.quiet ? ['--quiet'] : []),
    ], { execArgv: process.execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], signal });
    child.on('error', () => undefined); // an abort: the exit code below says so
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => chunk.split('\n').filter(Boolean).forEach((line) => log(line)));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`the ${policy} simulation exited with ${code}`);
    return JSON.parse(readFileSync(out, 'utf8')) as PolicyResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('simulator/main.ts')) {
  // A policy's child process ends with its parent (the IPC channel closes), never orphaned.
  if (process.send) process.once('disconnect', () => process.exit(3));
  simulate(parseSimulateArgs(process.argv.slice(2))).then(({ result, out, html }) => {
    console.log(consoleTable(result.summary));
    console.log(`run: ${result.run.seconds} s wall${result.run.parallel ? ' (policies side by side)' : ''}, ${result.run.storeSkuDaysPerSec} store × SKU × days a second`);
    console.log(`\nwritten: ${out} and ${html}`);
    process.exit(0);
  }, (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  });
}
