import { describe, expect, it } from 'vitest';
import { parsePosJson } from './pos-json';

describe('parsePosJson', () => {
  it('keeps integers beyond 2^53 as their exact text, and safe numbers as numbers', () => {
    expect(parsePosJson('{"id": 820982911946154508, "quantity": 2, "price": "9.99"}'))
      .toEqual({ id: '820982911946154508', quantity: 2, price: '9.99' });
  });

  it('given an unpaired surrogate escape anywhere in the text, reads it as U+FFFD', () => {
    const parsed = parsePosJson('{"title": "Mug \\ud83d", "lines": [{"sku": "\\udE00X", "name": "ok"}], "note": {"deep": ["a\\uD800"]}}');
    expect(parsed).toEqual({ title: 'Mug \uFFFD', lines: [{ sku: '\uFFFDX', name: 'ok' }], note: { deep: ['a\uFFFD'] } });
  });

  it('keeps a surrogate pair, escaped or not, as the character it makes', () => {
    expect(parsePosJson('{"a": "\\ud83d\\ude00", "b": "😀", "c": "\\ud83d\\ude00\\ud83d"}')).toEqual({ a: '😀', b: '😀', c: '😀\uFFFD' });
  });

  it('leaves text without surrogate escapes as it is, escapes of other characters included', () => {
    expect(parsePosJson('{"a": "caf\\u00e9 \\uE000", "n": [1, true, null]}')).toEqual({ a: 'café \uE000', n: [1, true, null] });
  });

  it('calls broken JSON unreadable', () => {
    expect(() => parsePosJson('{"a": ')).toThrow(/body is not JSON/);
  });
});
