import { expect, test } from 'vitest';
import { ApiProblem, messageOf } from './problem';

test('given a 400 problem with Ajv errors, then the detail and readable field errors', () => {
  const p = new ApiProblem(400, {
    title: 'Bad Request',
    detail: 'body/quantity must NOT be valid',
    errors: [{ instancePath: '/lines/0/quantity', message: 'must be >= 1' }, { instancePath: '', message: 'must have required property sku' }],
  });
  expect(messageOf(p)).toBe('body/quantity must NOT be valid');
  expect(p.fieldErrors).toEqual(['lines.0.quantity: must be >= 1', 'must have required property sku']);
});

test('given an answer that is not a problem, then a generic message with the status', () => {
  expect(new ApiProblem(502, undefined).detail).toBe('request failed (502)');
  expect(new ApiProblem(409, { title: 'Conflict' }).detail).toBe('Conflict');
});
