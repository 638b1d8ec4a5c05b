/** Colours and axis formats shared by the charts (kept apart from echarts.ts, which is loaded on demand). */

/** Palette with enough contrast on white (WCAG AA for lines and bars). */
export const COLORS = {
  actual: '#0b5cad',
  forecast: '#b45309',
  band: 'rgba(180, 83, 9, 0.18)',
  count: '#7c3aed',
  transfer: '#0f766e',
  buckets: ['#1d6b35', '#65a30d', '#d97706', '#b91c1c'],
  secondary: '#4a5560',
  slow: '#9a3412',
} as const;

/** Axis labels that stay readable on a phone: short dates, at most ~6 labels. */
export const shortDate = (date: string): string => {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
};
