import { describe, expect, it } from 'vitest';
import { isPostgresUnavailable, splitSchema } from './postgres';

describe('splitSchema', () => {
  it('given ?schema=, then the schema is taken out of the URL the driver sees', () => {
    expect(splitSchema('postgres://u:p@h:5432/db?schema=tenant_a&sslmode=require'))
      .toEqual({ url: 'postgres://u:p@h:5432/db?sslmode=require', schema: 'tenant_a' });
    expect(splitSchema('postgres://u@h/db')).toEqual({ url: 'postgres://u@h/db' });
  });
});

describe('isPostgresUnavailable', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, true],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, true],
    [{ code: '08006' }, true],
    [new Error('Connection terminated unexpectedly'), true],
    [new Error('timeout exceeded when trying to connect'), true],
    [{ code: '23505', message: 'duplicate key value' }, false],
    [{ code: '22P02', message: 'invalid input syntax' }, false],
    [new Error('boom'), false],
    [undefined, false],
  ])('%o is unavailable: %s', (error, expected) => {
    expect(isPostgresUnavailable(error)).toBe(expected);
  });
});
