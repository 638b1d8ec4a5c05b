/**
 * The rules of feedback items, pure. Anyone may send feedback (a bug, an idea, praise) with the
 * screen and app version it came from; managers triage it: new -> planned -> done or won't do
 * (an item may also be closed straight from new). Once triaged it never goes back to new;
 * setting the status it already has is a repeat and records nothing.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { FeedbackStatusChanged, FeedbackSubmitted, feedbackStatuses } from '../schemas/feedback';
import type { StreamDecider } from '../write-side/commands/decide-on-stream';
import { BusinessRuleViolation, NotFound } from '../write-side/domain/errors';

export type FeedbackSubmittedData = FromSchema<typeof FeedbackSubmitted>;
export type FeedbackStatus = (typeof feedbackStatuses)[number];
export type FeedbackEvent =
  | { type: 'FeedbackSubmitted'; data: FeedbackSubmittedData }
  | { type: 'FeedbackStatusChanged'; data: FromSchema<typeof FeedbackStatusChanged> };

export type FeedbackState =
  | { readonly submitted: false }
  | { readonly submitted: true; readonly item: FeedbackSubmittedData; readonly status: FeedbackStatus };

export type SubmitFeedbackCommand = { type: 'SubmitFeedback'; now: string } & Omit<FeedbackSubmittedData, 'occurredAt' | 'recordedAt'>;
export interface SetFeedbackStatusCommand {
  readonly type: 'SetFeedbackStatus';
  readonly feedbackId: string;
  readonly status: FeedbackStatus;
  readonly note?: string;
  readonly by: string;
  readonly now: string;
}
export type FeedbackCommand = SubmitFeedbackCommand | SetFeedbackStatusCommand;

export const feedbackStream = (feedbackId: string) => `feedback-${feedbackId}`;

const NEXT: Record<FeedbackStatus, readonly FeedbackStatus[]> = {
  new: ['planned', 'done', 'wont_do'],
  planned: ['done', 'wont_do'],
  done: ['planned'],
  wont_do: ['planned'],
};

export function evolveFeedback(state: FeedbackState, event: FeedbackEvent): FeedbackState {
  switch (event.type) {
    case 'FeedbackSubmitted': return { submitted: true, item: event.data, status: 'new' };
    case 'FeedbackStatusChanged': return state.submitted ? { ...state, status: event.data.status } : state;
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

export function decideFeedback(command: FeedbackCommand, state: FeedbackState): FeedbackEvent[] {
  switch (command.type) {
    case 'SubmitFeedback': {
      const { type: _t, now, ...item } = command;
      if (state.submitted) {
        if (state.item.author === command.author && state.item.text === command.text) return [];
        throw new BusinessRuleViolation(`feedback ${command.feedbackId} exists`, 'feedback-exists');
      }
      return [{ type: 'FeedbackSubmitted', data: { ...item, occurredAt: now, recordedAt: now } }];
    }
    case 'SetFeedbackStatus': {
      if (!state.submitted) throw new NotFound(`unknown feedback ${command.feedbackId}`, 'unknown-feedback');
      if (state.status === command.status) return [];
      if (!NEXT[state.status].includes(command.status)) {
        throw new BusinessRuleViolation(`feedback ${command.feedbackId} is ${state.status}; it cannot become ${command.status}`, 'invalid-transition');
      }
      return [{
        type: 'FeedbackStatusChanged',
        data: {
          feedbackId: command.feedbackId, status: command.status, previous: state.status, by: command.by,
          ...(command.note !== undefined && { note: command.note }), occurredAt: command.now, recordedAt: command.now,
        },
      }];
    }
    default: {
      const _exhaustive: never = command;
      throw new Error('unknown feedback command');
    }
  }
}

export const feedbackDecider: StreamDecider<FeedbackCommand, FeedbackState, FeedbackEvent> = {
  initial: () => ({ submitted: false }),
  evolve: evolveFeedback,
  decide: decideFeedback,
};
