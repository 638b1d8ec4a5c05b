/**
 * The "then" half of every given/when/then harness (the stock world, purchasing, single-stream
 * deciders): one place that runs the decision and checks its events or its rejection.
 */
import { expect } from 'vitest';
import type { DomainError } from '../errors';

export type ErrorClass = abstract new (...args: never[]) => DomainError;

export function thenFor<E>(run: () => E[]) {
  return {
    then(expected: readonly E[]): E[] {
      const actual = run();
      expect(actual).toEqual(expected);
      return actual;
    },
    /** The decided events, for assertions a literal list cannot express. */
    events: run,
    /** Rejected with `errorClass`; with `code`, that domain code; with `field`, naming that body field. */
    thenThrows(errorClass: ErrorClass, code?: string, field?: string): void {
      let thrown: unknown;
      try {
        run();
      } catch (error) {
        thrown = error;
      }
      expect(thrown, 'expected the command to be rejected').toBeInstanceOf(errorClass);
      if (code !== undefined) expect((thrown as DomainError).code).toBe(code);
      if (field !== undefined) expect((thrown as { field?: string }).field).toBe(field);
    },
  };
}
