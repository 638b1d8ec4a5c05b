/**
 * Given/when/then for the catalog's pure deciders: `given` events are folded with the
 * decider's own evolve (as the catalog service loads the stream), `when` decides.
 */
import { expect } from 'vitest';
import type { DomainEvent } from '../../schemas/types';
import type { DomainError } from '../../write-side/domain/errors';

type ErrorClass = abstract new (...args: never[]) => DomainError;

export function specFor<S>(initial: () => S, evolve: (state: S, event: DomainEvent) => S) {
  return (...history: DomainEvent[]) => ({
    when(decide: (state: S) => DomainEvent[]) {
      const run = () => decide(history.reduce(evolve, initial()));
      return {
        then(expected: readonly DomainEvent[]) {
          expect(run()).toEqual(expected);
        },
        thenThrows(errorClass: ErrorClass, code: string) {
          expect(run).toThrow(errorClass);
          try {
            run();
          } catch (error) {
            expect((error as DomainError).code).toBe(code);
          }
        },
      };
    },
  });
}
