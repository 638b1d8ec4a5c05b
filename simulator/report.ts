/** The simulation's report: a side-by-side console table and an HTML page a manager can open (inline SVG, no scripts). */
import type { PolicyMetrics, Summary, WeekPoint } from './metrics';

const money = (minor: number) => (minor / 100).toLocaleString('en-US', { maximumFractionDigits: 0 });
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

const ROWS: ReadonlyArray<[string, (m: PolicyMetrics) => string]> = [
  ['stockout rate (store×SKU×days unmet)', (m) => pct(m.stockoutRate)],
  ['fill rate', (m) => pct(m.fillRate)],
  ['share of demand lost', (m) => pct(m.lostDemandShare)],
  ['lost sales value', (m) => money(m.lostSalesValue)],
  ['average inventory value (cost)', (m) => money(m.avgInventoryValue)],
  ['inventory turns (a year)', (m) => m.turns.toFixed(2)],
  ['purchase orders', (m) => String(m.purchaseOrders)],
  ['transfers', (m) => String(m.transfers)],
  ['replenish days, supplier', (m) => (m.replenishDaysSupplier === null ? '–' : `${m.replenishDaysSupplier.toFixed(2)} (${m.replenishments.supplier})`)],
  ['replenish days, transfer', (m) => (m.replenishDaysTransfer === null ? '–' : `${m.replenishDaysTransfer.toFixed(2)} (${m.replenishments.transfer})`)],
  ['events / run time', (m) => `${m.events} / ${m.seconds} s (${m.eventsPerSec}/s)`],
  ['CPU seconds', (m) => `${m.cpuSeconds}`],
];

export function consoleTable(summary: Summary): string {
  const policies = (['baseline', 'stocktide'] as const).filter((p) => summary[p]);
  const rows = ROWS.map(([label, f]) => [label, ...policies.map((p) => f(summary[p]!))]);
  const header = ['', ...policies];
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((r) => r[c]!.length)));
  const line = (r: readonly string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const out = [line(header), ...rows.map(line)];
  if (summary.stockoutReduction !== undefined) out.push('', `stockout reduction ${pct(summary.stockoutReduction)} · inventory value ratio ${summary.inventoryValueRatio!.toFixed(3)}`);
  return out.join('\n');
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function lineChart(title: string, series: ReadonlyArray<{ name: string; color: string; points: readonly number[] }>, format: (v: number) => string, warmUpWeeks: number): string {
  const width = 720, height = 260, left = 80, right = 20, top = 30, bottom = 40;
  const n = Math.max(...series.map((s) => s.points.length));
  const max = Math.max(1, ...series.flatMap((s) => s.points));
  const x = (i: number) => left + (n <= 1 ? 0 : (i * (width - left - right)) / (n - 1));
  const y = (v: number) => top + (height - top - bottom) * (1 - v / max);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const warm = n > 1 ? `<rect x="${x(0)}" y="${top}" width="${Math.max(0, x(Math.min(warmUpWeeks - 1, n - 1)) - x(0))}" height="${height - top - bottom}" fill="#eee"/><text x="${x(0) + 4}" y="${top + 14}" font-size="11" fill="#777">shared warm-up</text>` : '';
  return `<figure><figcaption>${escape(title)}</figcaption><svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escape(title)}">
${warm}
${ticks.map((t) => `<line x1="${left}" x2="${width - right}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/><text x="${left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="11">${escape(format(t))}</text>`).join('\n')}
${Array.from({ length: n }, (_, i) => i).filter((i) => i % Math.max(1, Math.ceil(n / 12)) === 0).map((i) => `<text x="${x(i)}" y="${height - bottom + 16}" text-anchor="middle" font-size="11">w${i + 1}</text>`).join('\n')}
${series.map((s) => `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${s.points.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`).join('\n')}
${series.map((s, i) => `<rect x="${left + i * 140}" y="${height - 14}" width="12" height="4" fill="${s.color}"/><text x="${left + 16 + i * 140}" y="${height - 9}" font-size="12">${escape(s.name)}</text>`).join('\n')}
</svg></figure>`;
}

export function htmlReport(input: { title: string; summary: Summary; weekly: { baseline?: readonly WeekPoint[]; stocktide?: readonly WeekPoint[] }; warmUpWeeks: number }): string {
  const colors = { baseline: '#c0392b', stocktide: '#1f6fb2' } as const;
  const policies = (['baseline', 'stocktide'] as const).filter((p) => input.weekly[p]);
  const rows = ROWS.slice(0, -1).map(([label, f]) => `<tr><th scope="row">${escape(label)}</th>${policies.map((p) => `<td>${escape(input.summary[p] ? f(input.summary[p]) : '')}</td>`).join('')}</tr>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(input.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}th,td{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:right}th[scope=row]{text-align:left;font-weight:normal}figure{margin:1.5rem 0}figcaption{font-weight:600;margin-bottom:.3rem}</style></head>
<body><h1>${escape(input.title)}</h1>
${input.summary.stockoutReduction !== undefined ? `<p>Stockouts ${input.summary.stockoutReduction >= 0 ? 'down' : 'up'} <strong>${pct(Math.abs(input.summary.stockoutReduction))}</strong> with Stocktide; inventory value ${input.summary.inventoryValueRatio!.toFixed(3)} × the baseline's.</p>` : ''}
<table><thead><tr><th></th>${policies.map((p) => `<th scope="col">${p}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>
${lineChart('Stockouts per week (store × SKU × days with demand unmet)', policies.map((p) => ({ name: p, color: colors[p], points: input.weekly[p]!.map((w) => w.stockouts) })), (v) => String(Math.round(v)), input.warmUpWeeks)}
${lineChart('Average inventory value per week (at cost)', policies.map((p) => ({ name: p, color: colors[p], points: input.weekly[p]!.map((w) => w.avgInventoryValue) })), money, input.warmUpWeeks)}
</body></html>
`;
}
