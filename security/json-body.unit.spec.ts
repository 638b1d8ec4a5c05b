import { describe, expect, it } from 'vitest';
import { HttpProblem } from '../server/http/problem';
import { MAX_JSON_DEPTH, parseJsonBody } from './json-body';

const refusal = (text: string): string => {
  try {
    parseJsonBody(text);
  } catch (e) {
    expect(e).toBeInstanceOf(HttpProblem);
    expect((e as HttpProblem).status).toBe(400);
    return (e as HttpProblem).message;
  }
  throw new Error(`accepted: ${text.slice(0, 80)}`);
};

describe('parseJsonBody', () => {
  it('parses ordinary JSON, keeps paired surrogates (emoji), and treats an empty body as none', () => {
    expect(parseJsonBody('{"name":"Caf\\u00e9 \\ud83d\\ude00","lines":[{"quantity":3}]}')).toEqual({ name: 'Café 😀', lines: [{ quantity: 3 }] });
    expect(parseJsonBody('  ')).toBeUndefined();
  });

  it('refuses prototype keys anywhere', () => {
    expect(refusal('{"__proto__":{"x":1}}')).toMatch(/__proto__/);
    expect(refusal('{"a":[{"constructor":{}}]}')).toMatch(/constructor/);
    expect(refusal('{"prototype":1}')).toMatch(/prototype/);
  });

  it('refuses lone surrogates in values and keys', () => {
    expect(refusal('{"a":"\\ud800"}')).toMatch(/surrogate/);
    expect(refusal('{"\\udc00":1}')).toMatch(/surrogate/);
  });

  it('refuses numbers that overflow to Infinity', () => {
    expect(refusal('{"q":1e400}')).toMatch(/out of range/);
    expect(refusal('[-1e400]')).toMatch(/out of range/);
  });

  it('refuses nesting beyond the limit without exhausting the stack, accepts it at the limit', () => {
    expect(refusal('['.repeat(100_000) + ']'.repeat(100_000))).toMatch(/nested/);
    expect(parseJsonBody('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBeDefined();
  });

  it('answers broken JSON with a fixed message that does not quote the body', () => {
    const message = refusal('{"password":"hunter2-secret"');
    expect(message).toBe('body is not valid JSON');
  });
});
