/**
 * Bulk export streaming: N ledger rows (default 100,000; `BENCH_EXPORT_ROWS=1000000` for the
 * issue's figure) streamed as CSV over 127.0.0.1 from a child process running the export
 * routes on the embedded read store, with that server's RSS beside it (idle, and the peak while
 * streaming: constant memory means the growth does not depend on N).
 *
 * Baseline in the same run: reading the same rows straight from the store with the same keyset
 * pages (no encoding, no HTTP), so the ratio is what streaming them as CSV costs on top.
 *
 * Run alone: `npx tsx bench/exports/exports.bench.ts` (`BENCH_QUICK=1` for a short run).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { COLLECTIONS, type LedgerDoc } from '../../projections/models/collections';
import { ledgerKey } from '../../projections/models/keys';
import { SqliteReadStore } from '../../projections/readstore/sqlite-read-store';
import { movementRows } from '../../read-api/exports/sources';
import { comparedRow, type BenchRow } from '../bench-row';
import { perSecond } from '../stats';

export const FULL = 100_000;
export const QUICK = 20_000;
const ROOT = join(import.meta.dirname, '..', '..');
const MB = 1024 * 1024;

const row = (i: number): LedgerDoc => {
  const at = new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString();
  return {
    _id: ledgerKey(BigInt(i + 1), 0), position: String(i + 1), occurredAt: at, recordedAt: at,
    type: i % 2 === 0 ? 'receipt' : 'sale', locationId: `store-${i % 20}`, sku: `SKU-${i % 5000}`,
    quantity: i % 2 === 0 ? 3 : -3, balance: i % 2 === 0 ? 3 : 0, actor: 'user:bench', source: 'api', effective: true,
  };
};

async function seed(path: string, rows: number): Promise<void> {
  const store = new SqliteReadStore({ path, bulkLoad: true });
  try {
    for (let start = 0; start < rows; start += 20_000) {
      const n = Math.min(20_000, rows - start);
      await store.commit('bench-exports', Array.from({ length: n }, (_, k) => ({ op: 'put' as const, collection: COLLECTIONS.ledger, doc: row(start + k) })), BigInt(start + n));
    }
    await store.finishBulkLoad?.();
  } finally {
    await store.close();
  }
}

async function rawRead(path: string, rows: number): Promise<number> {
  const store = new SqliteReadStore({ path });
  try {
    const t = performance.now();
    let count = 0;
    for await (const _ of movementRows(store, { scope: 'all' }, BigInt(rows))) count++;
    if (count !== rows) throw new Error(`raw read: ${count} rows of ${rows}`);
    return performance.now() - t;
  } finally {
    await store.close();
  }
}

/** Streams the CSV export from the child, counting rows without keeping them. */
async function streamExport(path: string, rows: number): Promise<{ ms: number; idleRss: number; peakRss: number; bytes: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join('bench', 'exports', 'export-server.ts'), path, String(rows)], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let rss = 0;
  let peak = 0;
  child.on('message', (m: { rss: number }) => {
    rss = m.rss;
    peak = Math.max(peak, m.rss);
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('export server did not start in 30 s')), 30_000);
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const match = /listening (\S+)/.exec(out);
        if (match) { clearTimeout(timer); resolve(match[1]!); }
      });
      child.once('exit', (code) => reject(new Error(`export server exited with ${code}`)));
    });
    await new Promise((r) => setTimeout(r, 300)); // a few RSS reports at rest
    const idleRss = rss;
    peak = rss;
    const t = performance.now();
    const answer = await fetch(`${url}/api/exports/movements`, { headers: { 'x-test-principal': 'analyst:bench:' } });
    if (answer.status !== 200 || !answer.body) throw new Error(`export answered ${answer.status}`);
    let lines = 0;
    let bytes = 0;
    const reader = answer.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      bytes += read.value.byteLength;
      for (const byte of read.value) if (byte === 10) lines++;
    }
    const ms = performance.now() - t;
    await new Promise((r) => setTimeout(r, 100));
    if (lines !== rows + 1) throw new Error(`export: ${lines - 1} rows of ${rows}`);
    return { ms, idleRss, peakRss: peak, bytes };
  } finally {
    child.disconnect();
    await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(undefined)));
  }
}

export async function benchExports(rows = Number(process.env.BENCH_EXPORT_ROWS ?? (process.env.BENCH_QUICK === '1' ? QUICK : FULL))): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'stocktide-bench-exports-'));
  const path = join(dir, 'read.sqlite');
  try {
    await seed(path, rows);
    const rawMs = await rawRead(path, rows);
    const exported = await streamExport(path, rows);
    const label = `${rows.toLocaleString('en-US')} movements`;
    const raw = `exports: read from the store (no encoding, no HTTP), ${label}`;
    return [
      { name: raw, value: perSecond(rows, rawMs), unit: 'rows/s' },
      comparedRow(`exports: streamed as CSV over HTTP, ${label}`, perSecond(rows, exported.ms), 'rows/s', raw, perSecond(rows, rawMs)),
      { name: `exports: server RSS at rest, ${label}`, value: Math.round(exported.idleRss / MB), unit: 'MB' },
      comparedRow(`exports: server RSS peak while streaming, ${label}`, Math.round(exported.peakRss / MB), 'MB', `exports: server RSS at rest, ${label}`, Math.round(exported.idleRss / MB)),
      { name: `exports: server RSS growth while streaming, ${label}`, value: Math.round((exported.peakRss - exported.idleRss) / MB), unit: 'MB' },
      { name: `exports: CSV size, ${label}`, value: Math.round(exported.bytes / MB), unit: 'MB' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await benchExports()) console.log(`${r.name}: ${r.value} ${r.unit}${r.ratio !== undefined ? ` (x${r.ratio} of ${r.baseline})` : ''}`);
}
