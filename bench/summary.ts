/**
 * The headline figures of a run under the keys CONTRACT.md fixes ("Operations"): each taken
 * from a row measured in this run beside its baseline; a key is absent when its benchmark
 * did not run.
 */
import type { BenchRow } from './bench-row';

type Pick = (rows: readonly BenchRow[]) => number | undefined;

const row = (prefix: string, contains = '', unit?: string) => (rows: readonly BenchRow[]) =>
  rows.find((r) => r.name.startsWith(prefix) && r.name.includes(contains) && (unit === undefined || r.unit === unit));
const value = (prefix: string, contains = '', unit?: string): Pick => (rows) => row(prefix, contains, unit)(rows)?.value;
const ratio = (prefix: string, contains = '', unit?: string): Pick => (rows) => row(prefix, contains, unit)(rows)?.ratio;

/** A cost multiple (app / bare) as an efficiency ratio (bare / app), comparable to ingest.ratio. */
const inverse = (pick: Pick): Pick => (rows) => {
  const multiple = pick(rows);
  return multiple === undefined || multiple <= 0 ? undefined : Math.round((1 / multiple) * 100) / 100;
};

const KEYS: ReadonlyArray<readonly [string, Pick]> = [
  ['ingest.ratio', ratio('webhooks: closed loop', '', 'webhooks/s')],
  ['ingest.webhooksPerSec', value('webhooks: closed loop', '', 'webhooks/s')],
  // What holds ingest.ratio back: bare CPU per request / the app's per webhook (whole process; the api thread alone).
  ['ingest.cpuRatio', inverse(ratio('webhooks: CPU per webhook', 'whole process'))],
  ['ingest.apiThreadRatio', inverse(ratio('webhooks: CPU per webhook', 'api thread'))],
  ['ingest.cpuPerWebhookMs', value('webhooks: CPU per webhook', 'whole process')],
  ['ingest.apiThreadCpuPerWebhookMs', value('webhooks: CPU per webhook', 'api thread')],
  ['ack.p99Ms', value('webhooks: ack p99, open loop', 'target')],
  ['ack.bareP99Ms', (rows) => {
    const ack = row('webhooks: ack p99, open loop', 'target')(rows);
    return ack?.baseline === undefined ? undefined : rows.find((r) => r.name === ack.baseline)?.value;
  }],
  // The freshness (webhook sent -> frame, 1,000/s, 100 clients); the single-client receipt probe when only `sse` ran.
  ['freshness.p99Ms', (rows) => value('freshness: webhook sent -> SSE frame p99')(rows) ?? value('sse: answer -> frame p99')(rows)],
  ['eventStore.ratio', ratio('eventstore: single-event appends')],
  ['rebuild.eventsPerSec', value('projections: rebuild, read models')],
  ['rebuild.ratio', ratio('projections: rebuild, read models')],
  ['coldLocation.ms', value('coldLocation: first decision', 'from the snapshot')],
  ['coldLocation.replayMs', value('coldLocation: first decision', 'full replay')],
  ['coldLocation.ratio', ratio('coldLocation: first decision', 'from the snapshot')],
  ['exports.rowsPerSec', value('exports: streamed as CSV over HTTP')],
  ['exports.ratio', ratio('exports: streamed as CSV over HTTP')],
  ['exports.rssGrowthMb', value('exports: server RSS growth while streaming')],
  ['memory.rssMb', () => Math.round(process.resourceUsage().maxRSS / 1024)],
  ['rebuild.catchUpEventsPerSec', value('projections: live catch-up')],
  ['rebuild.catchUpRatio', ratio('projections: live catch-up')],
  ['rebuild.peakRssMb', value('projections: peak RSS after the rebuilds')],
  ['freshness.bareP99Ms', value('freshness: bare SSE endpoint, sent -> frame p99')],
  ['freshness.p50Ms', value('freshness: webhook sent -> SSE frame p50')],
  // CONTRACT.md names the catch-up figures catchUp.*; the rebuild.catchUp* keys above stay for old readers.
  ['catchUp.eventsPerSec', value('projections: live catch-up')],
  ['catchUp.ratio', ratio('projections: live catch-up')],
  ['rebuild.logReadEventsPerSec', value('projections: read the log')],
];

export function summarize(rows: readonly BenchRow[]): Record<string, number> {
  const summary: Record<string, number> = {};
  for (const [key, pick] of KEYS) {
    const v = pick(rows);
    if (v !== undefined && Number.isFinite(v)) summary[key] = v;
  }
  return summary;
}
