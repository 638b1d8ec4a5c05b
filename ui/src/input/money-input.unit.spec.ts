import { describe, expect, test } from 'vitest';
import { parseMoneyInput } from './money-input';

const minor = (text: string, locale: string, currency = 'USD') => {
  const parsed = parseMoneyInput(text, currency, locale);
  return parsed.ok ? parsed.minor : parsed.message;
};

describe('money typed in the user locale', () => {
  test('given 2,70 in de-DE and 2.70 in en-US, when parsed, then both are 270 minor units', () => {
    expect(minor('2,70', 'de-DE', 'EUR')).toBe(270);
    expect(minor('2.70', 'en-US')).toBe(270);
    expect(minor('2,7', 'de-DE', 'EUR')).toBe(270);
  });

  test('given grouped amounts in the locale, when parsed, then the groups are dropped', () => {
    expect(minor('1.234,50', 'de-DE', 'EUR')).toBe(123450);
    expect(minor('1,234.50', 'en-US')).toBe(123450);
    expect(minor('1,234,567', 'en-US')).toBe(123456700);
    expect(minor('1 234,50', 'fr-FR', 'EUR')).toBe(123450);
    expect(minor('1\u202f234,50', 'fr-FR', 'EUR')).toBe(123450);
  });

  test('given a currency sign around the amount, when parsed, then it is ignored', () => {
    expect(minor('$2.70', 'en-US')).toBe(270);
    expect(minor('2,70 €', 'de-DE', 'EUR')).toBe(270);
  });

  test('given exact decimals, when parsed, then no floating point rounding', () => {
    expect(minor('0.29', 'en-US')).toBe(29);
    expect(minor('0,29', 'de-DE', 'EUR')).toBe(29);
    expect(minor('300', 'en-US', 'JPY')).toBe(300);
  });

  test('given the other locale\'s decimal separator, when parsed, then refused with what to type', () => {
    expect(minor('2,70', 'en-US')).toMatch(/not an amount here: use "\." .*2\.70/);
    expect(minor('2.70', 'de-DE', 'EUR')).toMatch(/not an amount here: use "," .*2,70/);
    expect(minor('2.70', 'fr-FR', 'EUR')).toMatch(/not an amount here/);
  });

  test('given a lone thousands group, when parsed, then refused as ambiguous, never guessed', () => {
    expect(minor('1,234', 'en-US')).toMatch(/ambiguous: type 1234/);
    expect(minor('1.234', 'de-DE', 'EUR')).toMatch(/ambiguous: type 1234/);
  });

  test('given nonsense, a negative amount or too many decimals, when parsed, then a message', () => {
    for (const text of ['', 'abc', '1e3', '12.3.4', '1.234']) expect(typeof minor(text, 'en-US')).toBe('string');
    expect(minor('-3', 'en-US')).toMatch(/negative/);
    expect(minor('1.5', 'en-US', 'JPY')).toMatch(/no decimals/);
  });
});
