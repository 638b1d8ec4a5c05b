/** What `npm run bench` prints and writes: the table of rows and the JSON record of a run. */
import os from 'node:os';
import type { BenchRow } from './bench-row';

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly totalMemoryMiB: number;
  readonly platform: string;
  readonly arch: string;
  readonly node: string;
  /** 1, 5 and 15 minute load averages: the machine is shared, so figures are read against these. */
  readonly loadAverage: readonly number[];
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
    platform: os.platform(),
    arch: os.arch(),
    node: process.version,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export interface BenchOutcome {
  readonly benchmark: string;
  readonly startedAt: string;
  readonly durationMs: number;
  /** Set when the benchmark threw (a failed correctness check included); it then has no rows. */
  readonly error?: string;
}

export interface BenchRun {
  readonly quick: boolean;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: MachineInfo;
  readonly loadAverageAtEnd: readonly number[];
  readonly benchmarks: readonly BenchOutcome[];
  /** Headline figures under the CONTRACT keys (bench/summary.ts). */
  readonly summary: Readonly<Record<string, number>>;
  readonly rows: readonly BenchRow[];
}

const COLUMNS = ['name', 'value', 'unit', 'baseline', 'ratio'] as const;

/** A plain-text table, numbers right-aligned; `markdown` gives a GitHub table instead. */
export function formatTable(rows: readonly BenchRow[], markdown = false): string {
  const cells = rows.map((r) => [r.name, String(r.value), r.unit, r.baseline ?? '', r.ratio === undefined ? '' : String(r.ratio)]);
  if (markdown) {
    const line = (values: readonly string[]) => `| ${values.map((v) => v.replaceAll('|', '\\|')).join(' | ')} |`;
    return [line(COLUMNS), '| --- | ---: | --- | --- | ---: |', ...cells.map(line)].join('\n');
  }
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const numeric = new Set([1, 4]);
  const line = (values: readonly string[]) =>
    values.map((v, i) => (numeric.has(i) ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(COLUMNS), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
