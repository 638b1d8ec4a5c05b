/** In-product feedback (CONTRACT.md, "Staff voice and audit"): bodies and the `feedback-{id}` events. */
import { id, role, timestamp } from './common';

const object = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;
const times = { occurredAt: timestamp, recordedAt: timestamp } as const;

export const feedbackCategories = ['bug', 'idea', 'praise'] as const;
export const feedbackStatuses = ['new', 'planned', 'done', 'wont_do'] as const;
export const FEEDBACK_TEXT_MAX = 2000;
const category = { type: 'string', enum: feedbackCategories } as const;
const status = { type: 'string', enum: feedbackStatuses } as const;
const text = { type: 'string', minLength: 1, maxLength: FEEDBACK_TEXT_MAX } as const;
/** The dashboard screen the feedback was sent from (its hash route). */
const screen = { type: 'string', minLength: 1, maxLength: 200 } as const;
const appVersion = { type: 'string', minLength: 1, maxLength: 50 } as const;
const locations = { type: 'array', maxItems: 1000, items: id } as const;

export const SubmitFeedback = object({ category, text, screen, appVersion, id }, ['category', 'text'] as const);
export const SetFeedbackStatus = object({ status, note: { type: 'string', maxLength: 500 } }, ['status'] as const);
export const FeedbackIdParams = object({ id }, ['id'] as const);
export const FeedbackQuery = object(
  { status, mine: { type: 'boolean' }, minPosition: { type: 'string', pattern: '^(0|[1-9][0-9]{0,39})$' } },
  [] as const,
);

export const FeedbackSubmitted = object(
  {
    feedbackId: id, category, text, screen, appVersion, author: { type: 'string', minLength: 1, maxLength: 200 }, role,
    /** The author's locations when submitted: managers triage feedback from their stores. */
    locations, ...times,
  },
  ['feedbackId', 'category', 'text', 'author', 'role', 'locations', 'occurredAt', 'recordedAt'] as const,
);
export const FeedbackStatusChanged = object(
  { feedbackId: id, status, previous: status, note: { type: 'string', maxLength: 500 }, by: { type: 'string', minLength: 1, maxLength: 200 }, ...times },
  ['feedbackId', 'status', 'previous', 'by', 'occurredAt', 'recordedAt'] as const,
);

export const feedbackEventSchemas = { FeedbackSubmitted, FeedbackStatusChanged } as const;
export const feedbackCommandSchemas = { SubmitFeedback, SetFeedbackStatus } as const;
