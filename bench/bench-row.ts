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
