/**
 * Given/when/then for a single-stream decider (polls, feedback):
 *
 *   givenStream(pollDecider, created).when(answer).then([answered])
 *   givenStream(pollDecider, created).when(late).thenThrows(BusinessRuleViolation, 'poll-closed')
 */
import { expect } from 'vitest';
import type { StreamDecider } from '../../commands/decide-on-stream';
import type { DomainError } from '../errors';

type ErrorClass = abstract new (...args: never[]) => DomainError;

export function givenStream<C, S, E extends { type: string; data: object }>(decider: StreamDecider<C, S, E>, ...history: E[]) {
  return {
    when(command: C) {
      const run = () => decider.decide(command, history.reduce(decider.evolve, decider.initial()));
      return {
        then(expected: readonly E[]): E[] {
          const actual = run();
          expect(actual).toEqual(expected);
          return actual;
        },
        thenThrows(errorClass: ErrorClass, code?: string): void {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(thrown, 'expected the command to be rejected').toBeInstanceOf(errorClass);
          if (code !== undefined) expect((thrown as DomainError).code).toBe(code);
        },
      };
    },
  };
}
