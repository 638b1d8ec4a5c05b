/**
 * Columns, client-side sort and CSV of the one DataTable. Money columns are written as amounts
 * in the currency (not cents) and code columns get their name beside them, as the API's CSV.
 */
export type Row = Record<string, unknown>;

export interface Column {
  key: string;
  label: string;
  /** Right-aligned, tabular figures. */
  num?: boolean;
  /** Integer minor units: shown and exported as an amount in the currency. */
  money?: boolean;
  sortable?: boolean;
  /** Shown on the one-line phone row; the others appear on tap. */
  primary?: boolean;
  /** The text a cell shows and exports (default: the value as text). */
  text?: (row: Row) => string;
}

export function csvCell(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

export function toCsv(columns: readonly Column[], rows: readonly Row[], cell: (column: Column, row: Row) => string): string {
  const lines = [columns.map((c) => csvCell(c.label)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(cell(c, row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Minor units as a plain amount for a spreadsheet: 270 USD -> "2.70". */
export function amountOf(minor: number, digits: number): string {
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 10 ** digits)}.${String(abs % 10 ** digits).padStart(digits, '0')}`;
}

export function sortLocally(rows: readonly Row[], sort: string | undefined): Row[] {
  if (!sort) return [...rows];
  const descending = sort.startsWith('-');
  const key = sort.replace(/^-/, '');
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''), undefined, { numeric: true, sensitivity: 'base' });
    return descending ? -order : order;
  });
}

/** Starts a download of text made in the page (CSV of what a table shows). */
export function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
