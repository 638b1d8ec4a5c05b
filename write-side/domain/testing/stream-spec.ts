/**
 * Given/when/then for a single-stream decider (polls, feedback):
 *
 *   givenStream(pollDecider, created).when(answer).then([answered])
 *   givenStream(pollDecider, created).when(late).thenThrows(BusinessRuleViolation, 'poll-closed')
 */
import type { StreamDecider } from '../../commands/decide-on-stream';
import { thenFor } from './then';

export function givenStream<C, S, E extends { type: string; data: object }>(decider: StreamDecider<C, S, E>, ...history: E[]) {
  return { when: (command: C) => thenFor(() => decider.decide(command, history.reduce(decider.evolve, decider.initial()))) };
}
