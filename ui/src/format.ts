/** Display helpers. Money is always integer minor units (cents) on the wire. */

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string, locale?: string): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    moneyFormats.set(key, format);
  }
  return format;
}

/** How many minor units a currency has (USD 2, JPY 0, BHD 3). */
export function minorDigits(currency: string): number {
  return moneyFormat(currency, 'en-US').resolvedOptions().maximumFractionDigits ?? 2;
}

export function formatMoney(minor: number | undefined | null, currency: string, locale?: string): string {
  if (minor === undefined || minor === null || !Number.isFinite(minor)) return '—';
  return moneyFormat(currency, locale).format(minor / 10 ** minorDigits(currency));
}

/**
 * Parses what a person typed ("12.5", "1,234.50") into integer minor units without floating
 * point rounding. Returns undefined for anything that is not a plain non-negative amount.
 */
export function parseMoney(text: string, currency: string): number | undefined {
  const cleaned = text.trim().replace(/[,\s]/g, '');
  const digits = minorDigits(currency);
  const match = /^(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return undefined;
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

const quantityFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
export function formatQuantity(quantity: number | undefined | null): string {
  return quantity === undefined || quantity === null ? '—' : quantityFormat.format(quantity);
}

export function formatSigned(quantity: number): string {
  return quantity > 0 ? `+${formatQuantity(quantity)}` : formatQuantity(quantity);
}

export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** Positions are decimal strings that can exceed 2^53: compare them as bigint. */
export function positionAfter(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined) return false;
  if (b === undefined) return true;
  try {
    return BigInt(a) > BigInt(b);
  } catch {
    return false;
  }
}

/** Stock status for highlighting: negative beats low. */
export type StockLevel = 'negative' | 'low' | 'ok';
export function stockLevel(onHand: number, reorderPoint: number | undefined): StockLevel {
  if (onHand < 0) return 'negative';
  if (reorderPoint !== undefined && onHand <= reorderPoint) return 'low';
  return 'ok';
}

/** "theft" -> "Theft", "low_stock" -> "Low stock". */
export function humanize(word: string): string {
  const spaced = word.replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
