import { describe, it } from 'vitest';
import { BusinessRuleViolation, NotFound } from '../write-side/domain/errors';
import { givenStream } from '../write-side/domain/testing/stream-spec';
import { feedbackDecider, type FeedbackEvent, type SetFeedbackStatusCommand, type SubmitFeedbackCommand } from './decide-feedback';

const NOW = '2026-03-01T10:00:00.000Z';
const submit: SubmitFeedbackCommand = {
  type: 'SubmitFeedback', feedbackId: 'f1', category: 'bug', text: 'The count screen <b>freezes</b>', screen: 'count',
  appVersion: '0.1.0', author: 'sam', role: 'staff', locations: ['store-a'], now: NOW,
};
const { type: _t, now: _n, ...item } = submit;
const submitted: FeedbackEvent = { type: 'FeedbackSubmitted', data: { ...item, occurredAt: NOW, recordedAt: NOW } };
const set = (status: SetFeedbackStatusCommand['status']): SetFeedbackStatusCommand => ({ type: 'SetFeedbackStatus', feedbackId: 'f1', status, by: 'mo', now: NOW });
const changed = (previous: SetFeedbackStatusCommand['status'], status: SetFeedbackStatusCommand['status']): FeedbackEvent => ({
  type: 'FeedbackStatusChanged', data: { feedbackId: 'f1', status, previous, by: 'mo', occurredAt: NOW, recordedAt: NOW },
});

describe('feedback', () => {
  it('given nothing, when staff sends a bug report, then it is stored as sent (text kept verbatim)', () => {
    givenStream(feedbackDecider).when(submit).then([submitted]);
  });
  it('treats the same submission again as a repeat, and another under the same id as a conflict', () => {
    givenStream(feedbackDecider, submitted).when(submit).then([]);
    givenStream(feedbackDecider, submitted).when({ ...submit, author: 'eve' }).thenThrows(BusinessRuleViolation, 'feedback-exists');
  });
  it('triages new -> planned -> done, and a repeat of the same status records nothing', () => {
    givenStream(feedbackDecider, submitted).when(set('planned')).then([changed('new', 'planned')]);
    givenStream(feedbackDecider, submitted, changed('new', 'planned')).when(set('done')).then([changed('planned', 'done')]);
    givenStream(feedbackDecider, submitted, changed('new', 'wont_do')).when(set('wont_do')).then([]);
  });
  it('never goes back to new, and refuses unknown items', () => {
    givenStream(feedbackDecider, submitted, changed('new', 'planned')).when(set('new')).thenThrows(BusinessRuleViolation, 'invalid-transition');
    givenStream(feedbackDecider).when(set('planned')).thenThrows(NotFound, 'unknown-feedback');
  });
});
