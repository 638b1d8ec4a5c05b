/** The outbox announces poll answers and new feedback (webhooks `poll.answered`, `feedback.created`); polls and feedback project idempotently. */
import { describe, expect, it } from 'vitest';
import { ev, project, recorded } from '../projections/models/testing/project';
import { OUTBOX, type OutboxDoc } from '../outbound/notifications';
import { outboxProjection } from '../outbound/outbox-projection';
import { feedbackProjection, FEEDBACK, type FeedbackDoc } from '../feedback/feedback-projection';
import { POLLS, pollProjection, type AnswerDoc, type PollDoc } from './poll-projection';

const T = (m: number) => `2026-03-01T10:${String(m).padStart(2, '0')}:00.000Z`;
const poll = (anonymous: boolean) => ev('PollCreated', {
  pollId: 'p1', question: 'NPS?', kind: 'nps', locations: ['store-a'], opensAt: T(0), anonymous, allowComment: true, series: 'nps', createdBy: 'mo',
}, T(0), { streamId: 'poll-p1' });
const answer = (respondent: string, value: number, replaced = false) =>
  ev('PollAnswered', { pollId: 'p1', respondent, role: 'staff', locationId: 'store-a', value, replaced }, T(1), { streamId: 'poll-p1' });
const feedback = ev('FeedbackSubmitted', {
  feedbackId: 'f1', category: 'idea', text: 'Bigger buttons', screen: 'count', appVersion: '0.1.0', author: 'sam', role: 'staff', locations: ['store-a'],
}, T(2), { streamId: 'feedback-f1' });

describe('staff voice in the outbox', () => {
  it('announces a named answer with its respondent, an anonymous one without, and new feedback', async () => {
    const named = (await project([outboxProjection], recorded(poll(false), answer('sam', 9), feedback))).docs<OutboxDoc>(OUTBOX.notifications);
    expect(named.map((d) => [d.kind, d.payload])).toEqual([
      ['poll.answered', { pollId: 'p1', value: 9, replaced: false, anonymous: false, respondent: 'sam', role: 'staff', locationId: 'store-a' }],
      ['feedback.created', { feedbackId: 'f1', category: 'idea', text: 'Bigger buttons', screen: 'count', appVersion: '0.1.0', author: 'sam', role: 'staff', locations: ['store-a'] }],
    ]);
    const anon = (await project([outboxProjection], recorded(poll(true), answer('anon:abc', 9)))).docs<OutboxDoc>(OUTBOX.notifications);
    expect(anon.map((d) => d.payload)).toEqual([{ pollId: 'p1', value: 9, replaced: false, anonymous: true }]);
  });

  it('keeps one current answer per respondent and counts people, not answers', async () => {
    const projected = await project([pollProjection, feedbackProjection], recorded(poll(false), answer('sam', 3), answer('sam', 9, true), answer('ann', 7), feedback));
    expect(projected.docs<PollDoc>(POLLS.polls)[0]).toMatchObject({ pollId: 'p1', answers: 2 });
    expect(projected.docs<AnswerDoc>(POLLS.answers).map((a) => [a.respondent, a.value])).toEqual([['p1|ann', 7], ['p1|sam', 9]].map(([id, v]) => [String(id).split('|')[1], v]));
    expect(projected.docs<FeedbackDoc>(FEEDBACK.items)).toEqual([expect.objectContaining({ feedbackId: 'f1', status: 'new' })]);
  });
});
