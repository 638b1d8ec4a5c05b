/** Every chart's "Download CSV": its data rows as RFC 4180 text, safe to open in a spreadsheet. */

export type CsvValue = string | number | null | undefined;
export type CsvRow = Record<string, CsvValue>;

/** A cell: quoted when needed; a leading = + - @ is neutralised so a spreadsheet runs no formula. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns: readonly string[], rows: readonly CsvRow[]): string {
  return [columns.map(csvCell).join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n';
}

/** Saves the text as a file through a temporary object URL (no server round trip). */
export function downloadCsv(name: string, columns: readonly string[], rows: readonly CsvRow[]): void {
  const blob = new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
