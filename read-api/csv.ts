/**
 * CSV answers (RFC 4180): a header row, CRLF line ends, cells quoted when they hold a comma,
 * quote or line break. Text cells that a spreadsheet would run as a formula (starting with
 * = + - @, tab or CR) get a leading apostrophe. Numbers are written as they are: we produce
 * them ourselves, and "-3" must stay a number in a spreadsheet.
 */
export type Column<T> = readonly [header: string, cell: (row: T) => unknown];

export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text: string;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else {
    text = typeof value === 'string' ? value : JSON.stringify(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const lines = [columns.map(([header]) => csvCell(header)).join(',')];
  for (const row of rows) lines.push(columns.map(([, cell]) => csvCell(cell(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** The same columns for every row, by field name. */
export const fields = <T extends object>(...names: (keyof T & string)[]): Column<T>[] =>
  names.map((name) => [name, (row: T) => row[name]] as const);

/**
 * Money in CSV answers is an amount in the currency (`25.00`, JPY `2500`), not minor units:
 * a spreadsheet sums it as it is. JSON answers keep integer minor units (CONTRACT.md).
 */
export function moneyAmount(minor: number | undefined, currency: string): string | undefined {
  if (minor === undefined || minor === null) return undefined;
  const digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (digits === 0) return `${sign}${abs}`;
  const scale = 10 ** digits;
  return `${sign}${Math.floor(abs / scale)}.${String(abs % scale).padStart(digits, '0')}`;
}

/** A money column: the amount in `currency`, headed `<name> (<currency>)`. */
export const moneyColumn = <T>(name: string, currency: string, minor: (row: T) => number | undefined): Column<T> =>
  [`${name} (${currency})`, (row: T) => moneyAmount(minor(row), currency)] as const;
