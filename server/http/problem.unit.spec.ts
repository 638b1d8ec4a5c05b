import { describe, expect, it } from 'vitest';
import { BusinessRuleViolation, NotFound } from '../../write-side/domain/errors';
import { ConcurrencyError, IdempotencyConflictError } from '../../write-side/eventstore/port';
import { toProblem } from './problem';

describe('errors become problem+json', () => {
  it('maps domain errors to 404 and 409 with their code', () => {
    expect(toProblem(new NotFound('no such sku', 'unknown-sku'))).toMatchObject({ status: 404, code: 'unknown-sku', detail: 'no such sku' });
    expect(toProblem(new BusinessRuleViolation('only 2 left', 'insufficient-stock'))).toMatchObject({ status: 409, code: 'insufficient-stock' });
  });

  it('maps store conflicts to 409', () => {
    expect(toProblem(new ConcurrencyError('location-a', 3n, 4n))).toMatchObject({ status: 409, code: 'concurrency' });
    expect(toProblem(new IdempotencyConflictError('e1'))).toMatchObject({ status: 409, code: 'idempotency-conflict' });
  });

  it('says what a zero quantity breaks instead of Ajv\'s "must NOT be valid"', () => {
    const validation = [{ instancePath: '/quantity', schemaPath: '#/properties/quantity/not', keyword: 'not', params: {}, message: 'must NOT be valid' }];
    const p = toProblem(Object.assign(new Error('body/quantity must NOT be valid'), { validation, statusCode: 400 }));
    expect(p).toMatchObject({ status: 400, detail: 'body/quantity must not be 0' });
    expect(p.errors).toEqual([{ ...validation[0], message: 'must not be 0' }]);
  });

  it('never leaks an unknown error', () => {
    expect(toProblem(new Error('SQLITE_IOERR at /secret/path'))).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'internal error' });
  });
});
