/** One figure of `npm run bench`: printed as a table row and written to JSON. */
export type BenchRow = {
  name: string;
  value: number;
  unit: string;
  /** Name of the row this one is compared with. */
  baseline?: string;
  /** value / baseline value. */
  ratio?: number;
};

/** A row compared with `baseline`: the ratio is value / baselineValue, left out when that is 0. */
export function comparedRow(name: string, value: number, unit: string, baseline: string, baselineValue: number): BenchRow {
  return { name, value, unit, baseline, ...(baselineValue > 0 && { ratio: Math.round((value / baselineValue) * 100) / 100 }) };
}
