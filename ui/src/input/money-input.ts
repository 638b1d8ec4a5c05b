/**
 * Money typed by a person, read in their locale. A German types `2,70` for 2.70 and `1.234,50`
 * for 1234.50; an American types `2.70` and `1,234.50`. The separators come from Intl, never
 * from a guess: a separator that could mean either (a foreign decimal point, a lone thousands
 * group) is refused with a sentence saying what to type, so `2,70` never becomes 270.00.
 */
import { minorDigits } from '../format';

export type MoneyParse = { ok: true; minor: number } | { ok: false; message: string };

interface Separators {
  decimal: string;
  group: string;
}

const cache = new Map<string, Separators>();

export function separatorsOf(locale?: string): Separators {
  const key = locale ?? '';
  let found = cache.get(key);
  if (!found) {
    const parts = new Intl.NumberFormat(locale, { useGrouping: true }).formatToParts(1234567.5);
    found = {
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
      group: parts.find((p) => p.type === 'group')?.value ?? ',',
    };
    cache.set(key, found);
  }
  return found;
}

const SPACES = /[\s\u00a0\u202f]/g;
const isSpace = (s: string) => /^[\s\u00a0\u202f]$/.test(s);

/** Parses a non-negative amount into integer minor units (no floating point on the way). */
export function parseMoneyInput(text: string, currency: string, locale?: string): MoneyParse {
  const { decimal, group } = separatorsOf(locale);
  const digits = minorDigits(currency);
  const example = digits > 0 ? `2${decimal}${'7'.padEnd(digits, '0')}` : '3';
  // A currency sign or code around the number is fine ("€ 2,70", "2.70 USD"); spaces never mean anything.
  const bare = text.trim().replace(/^[^\d\-.,'’]+|[^\d.,'’]+$/g, '').replace(SPACES, '');
  if (bare === '') return { ok: false, message: `Type an amount, e.g. ${example}` };
  if (bare.startsWith('-')) return { ok: false, message: 'An amount cannot be negative' };
  // A group separator that is a space was removed above; any other character is ours or foreign.
  const groupChar = isSpace(group) ? '' : group;
  for (const char of bare) {
    if (/\d/.test(char) || char === decimal || char === groupChar) continue;
    return { ok: false, message: `"${text.trim()}" is not an amount here: use "${decimal}" before the ${digits ? 'cents' : 'end'}, e.g. ${example}` };
  }
  const pieces = bare.split(decimal);
  if (pieces.length > 2) return { ok: false, message: `"${text.trim()}" has more than one "${decimal}"` };
  const [whole = '', fraction = ''] = pieces;
  if (fraction && groupChar && fraction.includes(groupChar)) {
    return { ok: false, message: `"${text.trim()}" is not an amount here: use "${decimal}" before the cents, e.g. ${example}` };
  }
  let integer = whole;
  if (groupChar && whole.includes(groupChar)) {
    const grouped = new RegExp(`^\\d{1,3}(${escape(groupChar)}\\d{3})+$`).test(whole);
    if (!grouped) {
      return { ok: false, message: `"${text.trim()}" is not an amount here: use "${decimal}" before the cents, e.g. ${example}` };
    }
    // "1,234" in en-US or "1.234" in de-DE: a thousand to some, a decimal to others. Never guess.
    if (pieces.length === 1 && whole.split(groupChar).length === 2) {
      return {
        ok: false,
        message: `"${text.trim()}" is ambiguous: type ${whole.replaceAll(groupChar, '')} for a whole amount, or use "${decimal}" for ${digits ? 'cents' : 'decimals'}`,
      };
    }
    integer = whole.replaceAll(groupChar, '');
  }
  if (integer === '' && fraction === '') return { ok: false, message: `Type an amount, e.g. ${example}` };
  if (fraction.length > digits) {
    return { ok: false, message: digits ? `"${text.trim()}" has more than ${digits} decimals` : `${currency} has no decimals` };
  }
  if (integer.length > 13) return { ok: false, message: `"${text.trim()}" is too large` };
  return { ok: true, minor: Number(integer || '0') * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0') };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The locale the dashboard reads and writes numbers in: the browser's. */
export function userLocale(): string | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.language;
}
