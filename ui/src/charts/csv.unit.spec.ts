import { expect, test } from 'vitest';
import { csvCell, toCsv } from './csv';

test('quotes cells with commas, quotes or line breaks and leaves numbers alone', () => {
  expect(csvCell('Main St, North')).toBe('"Main St, North"');
  expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  expect(csvCell(-3)).toBe('-3');
  expect(csvCell(undefined)).toBe('');
});

test('neutralises text that a spreadsheet would run as a formula', () => {
  expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  expect(csvCell('-2+3')).toBe("'-2+3");
});

test('a header row, then one line per row in column order', () => {
  expect(toCsv(['date', 'quantity'], [{ date: '2026-03-01', quantity: 2 }, { quantity: 1, date: '2026-03-02' }]))
    .toBe('date,quantity\r\n2026-03-01,2\r\n2026-03-02,1\r\n');
});
