import { describe, expect, it } from 'vitest';
import { givenStream } from '../write-side/domain/testing/stream-spec';
import { BusinessRuleViolation, InvalidCommand, NotFound } from '../write-side/domain/errors';
import { NotTargeted, anonymousRespondent, pollDecider, type AnswerPollCommand, type CreatePollCommand } from './decide-poll';
import type { PollEvent } from './poll-state';

const T0 = '2026-03-01T09:00:00.000Z';
const LATER = '2026-03-02T09:00:00.000Z';
const CLOSE = '2026-03-08T09:00:00.000Z';

const create = (over: Partial<CreatePollCommand> = {}): CreatePollCommand => ({
  type: 'CreatePoll', pollId: 'p1', question: 'How likely are you to recommend the new tool?', kind: 'nps',
  locations: ['store-a'], opensAt: T0, closesAt: CLOSE, anonymous: false, allowComment: true, series: 'tool-nps',
  createdBy: 'mo', now: T0, ...over,
});
const created = (over: Partial<CreatePollCommand> = {}): PollEvent => {
  const { type: _t, now, ...data } = create(over);
  return { type: 'PollCreated', data: { ...data, occurredAt: now, recordedAt: now } };
};
const answer = (over: Partial<AnswerPollCommand> = {}): AnswerPollCommand => ({
  type: 'AnswerPoll', pollId: 'p1', username: 'sam', role: 'staff', locations: ['store-a'], value: 9, now: LATER, ...over,
});
const answered = (value: PollEvent['data'] extends never ? never : unknown, over: Record<string, unknown> = {}): PollEvent => ({
  type: 'PollAnswered',
  data: { pollId: 'p1', respondent: 'sam', role: 'staff', locationId: 'store-a', value: value as number, replaced: false, occurredAt: LATER, recordedAt: LATER, ...over },
});

describe('creating a poll', () => {
  it('given nothing, when a manager creates an NPS poll, then PollCreated carries the whole definition', () => {
    givenStream(pollDecider).when(create()).then([created()]);
  });
  it('refuses choices on an NPS poll, a choice poll without choices, and a close before the open', () => {
    givenStream(pollDecider).when(create({ choices: ['a', 'b'] })).thenThrows(InvalidCommand, 'choices-not-allowed');
    givenStream(pollDecider).when(create({ kind: 'single' })).thenThrows(InvalidCommand, 'choices-required');
    givenStream(pollDecider).when(create({ closesAt: T0 })).thenThrows(InvalidCommand, 'invalid-period');
  });
  it('treats a repeat by the same manager as already done, and another poll under the same id as a conflict', () => {
    givenStream(pollDecider, created()).when(create()).then([]);
    givenStream(pollDecider, created()).when(create({ createdBy: 'max', question: 'Other?' })).thenThrows(BusinessRuleViolation, 'poll-exists');
  });
});

describe('answering a poll', () => {
  it('given an open poll for store A, when staff of A answers 9, then PollAnswered counts at store A', () => {
    givenStream(pollDecider, created()).when(answer()).then([answered(9)]);
  });
  it('replaces a changed answer and ignores the same answer again (one answer per person)', () => {
    givenStream(pollDecider, created(), answered(9)).when(answer({ value: 3 })).then([answered(3, { replaced: true })]);
    givenStream(pollDecider, created(), answered(9)).when(answer({ value: 9 })).then([]);
  });
  it('refuses an unknown, untargeted, not yet open or closed poll', () => {
    givenStream(pollDecider).when(answer()).thenThrows(NotFound, 'unknown-poll');
    givenStream(pollDecider, created()).when(answer({ locations: ['store-b'] })).thenThrows(NotTargeted, 'poll-not-targeted');
    givenStream(pollDecider, created({ roles: ['manager'] })).when(answer()).thenThrows(NotTargeted, 'poll-not-targeted');
    givenStream(pollDecider, created({ opensAt: LATER, now: T0 })).when(answer({ now: T0 })).thenThrows(BusinessRuleViolation, 'poll-not-open');
    givenStream(pollDecider, created()).when(answer({ now: CLOSE })).thenThrows(BusinessRuleViolation, 'poll-closed');
  });
  it('refuses values outside the kind: NPS 11, rating 0 or 6, an unknown choice, empty text', () => {
    givenStream(pollDecider, created()).when(answer({ value: 11 })).thenThrows(InvalidCommand, 'invalid-answer');
    givenStream(pollDecider, created()).when(answer({ value: 'nine' })).thenThrows(InvalidCommand, 'invalid-answer');
    givenStream(pollDecider, created({ kind: 'rating' })).when(answer({ value: 0 })).thenThrows(InvalidCommand, 'invalid-answer');
    givenStream(pollDecider, created({ kind: 'rating' })).when(answer({ value: 6 })).thenThrows(InvalidCommand, 'invalid-answer');
    givenStream(pollDecider, created({ kind: 'single', choices: ['yes', 'no'] })).when(answer({ value: 'maybe' })).thenThrows(InvalidCommand, 'invalid-answer');
    givenStream(pollDecider, created({ kind: 'multiple', choices: ['a', 'b', 'c'] })).when(answer({ value: ['a', 'x'] })).thenThrows(InvalidCommand, 'invalid-answer');
    givenStream(pollDecider, created({ kind: 'text' })).when(answer({ value: '   ' })).thenThrows(InvalidCommand, 'invalid-answer');
    givenStream(pollDecider, created({ allowComment: false })).when(answer({ comment: 'hi' })).thenThrows(InvalidCommand, 'comment-not-allowed');
  });
  it('records an anonymous answer under a one-way key, never the username', () => {
    const [event] = givenStream(pollDecider, created({ anonymous: true })).when(answer()).then([
      answered(9, { respondent: anonymousRespondent('p1', 'sam') }),
    ]);
    expect(JSON.stringify(event)).not.toContain('sam');
    expect(anonymousRespondent('p1', 'sam')).not.toBe(anonymousRespondent('p2', 'sam'));
  });
});
