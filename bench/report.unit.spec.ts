import { describe, expect, it } from 'vitest';
import { formatTable, machineInfo } from './report';

const rows = [
  { name: 'base', value: 1000, unit: 'req/s' },
  { name: 'app | real', value: 250.5, unit: 'req/s', baseline: 'base', ratio: 0.25 },
];

describe('formatTable', () => {
  it('given rows, then one aligned line per row under a header, with empty cells for no baseline', () => {
    const lines = formatTable(rows).split('\n');
    expect(lines[0]).toMatch(/^name\s+value\s+unit\s+baseline\s+ratio$/);
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^base\s+1000\s+req\/s$/);
    expect(lines[3]).toMatch(/^app \| real\s+250\.5\s+req\/s\s+base\s+0\.25$/);
    expect(new Set(lines.slice(2).map((l) => l.indexOf('req/s'))).size).toBe(1);
  });

  it('given markdown, then a GitHub table with pipes in names escaped', () => {
    expect(formatTable(rows, true).split('\n')).toEqual([
      '| name | value | unit | baseline | ratio |',
      '| --- | ---: | --- | --- | ---: |',
      '| base | 1000 | req/s |  |  |',
      '| app \\| real | 250.5 | req/s | base | 0.25 |',
    ]);
  });
});

describe('machineInfo', () => {
  it('reports cpus, node version and three load averages', () => {
    const m = machineInfo();
    expect(m.cpus).toBeGreaterThan(0);
    expect(m.node).toBe(process.version);
    expect(m.loadAverage).toHaveLength(3);
  });
});
