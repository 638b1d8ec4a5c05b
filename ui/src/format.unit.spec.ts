import { describe, expect, test } from 'vitest';
import { formatMoney, formatSigned, humanize, minorDigits, parseMoney, positionAfter, stockLevel } from './format';

describe('money in minor units', () => {
  test('given cents, when formatted in USD, then two decimals and the symbol', () => {
    expect(formatMoney(123456, 'USD', 'en-US')).toBe('$1,234.56');
    expect(formatMoney(5, 'USD', 'en-US')).toBe('$0.05');
  });
  test('given a currency without minor units, when formatted, then no division', () => {
    expect(minorDigits('JPY')).toBe(0);
    expect(formatMoney(1500, 'JPY', 'en-US')).toBe('¥1,500');
  });
  test('given no amount, when formatted, then a dash', () => {
    expect(formatMoney(undefined, 'USD')).toBe('—');
  });
  test('given typed amounts, when parsed, then exact integer minor units without float rounding', () => {
    expect(parseMoney('12.5', 'USD')).toBe(1250);
    expect(parseMoney('1,234.56', 'USD')).toBe(123456);
    expect(parseMoney('0.29', 'USD')).toBe(29); // 0.29 * 100 is 28.999… in floating point
    expect(parseMoney('7', 'USD')).toBe(700);
    expect(parseMoney('300', 'JPY')).toBe(300);
  });
  test('given nonsense or too many decimals, when parsed, then undefined', () => {
    for (const text of ['', 'abc', '-3', '1.234', '1e3', '12.3.4']) expect(parseMoney(text, 'USD')).toBeUndefined();
    expect(parseMoney('1.5', 'JPY')).toBeUndefined();
  });
});

describe('positions', () => {
  test('given positions beyond 2^53, when compared, then compared exactly', () => {
    expect(positionAfter('9007199254740993', '9007199254740992')).toBe(true);
    expect(positionAfter('9007199254740992', '9007199254740993')).toBe(false);
    expect(positionAfter('10', '9')).toBe(true); // not a string comparison
  });
  test('given nothing read yet, when a position arrives, then it is newer', () => {
    expect(positionAfter('1', undefined)).toBe(true);
    expect(positionAfter(undefined, '1')).toBe(false);
  });
});

describe('stock level', () => {
  test('negative beats low, low needs a reorder point', () => {
    expect(stockLevel(-1, 5)).toBe('negative');
    expect(stockLevel(5, 5)).toBe('low');
    expect(stockLevel(6, 5)).toBe('ok');
    expect(stockLevel(0, undefined)).toBe('ok');
  });
});

test('humanize and signed quantities read well', () => {
  expect(humanize('low_stock')).toBe('Low stock');
  expect(humanize('transfer_out')).toBe('Transfer out');
  expect(formatSigned(3)).toBe('+3');
  expect(formatSigned(-3)).toBe('-3');
});
