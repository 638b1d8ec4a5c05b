/**
 * Polls and surveys (CONTRACT.md, "Staff voice and audit"): request bodies, queries and the
 * events of the `poll-{id}` streams. Text is capped here, so oversized input is a 400 before
 * any decision is made.
 */
import { id, role, timestamp } from './common';

const object = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;
const times = { occurredAt: timestamp, recordedAt: timestamp } as const;

export const pollKinds = ['single', 'multiple', 'rating', 'nps', 'text'] as const;
export const pollKind = { type: 'string', enum: pollKinds } as const;
export const POLL_TEXT_MAX = 1000;
export const question = { type: 'string', minLength: 1, maxLength: 300 } as const;
export const choice = { type: 'string', minLength: 1, maxLength: 100 } as const;
export const choices = { type: 'array', minItems: 2, maxItems: 20, uniqueItems: true, items: choice } as const;
const roles = { type: 'array', minItems: 1, maxItems: 5, uniqueItems: true, items: role } as const;
const locations = { type: 'array', minItems: 1, maxItems: 1000, uniqueItems: true, items: id } as const;
/** A repeated poll (e.g. a monthly NPS) shares a series key: results show the trend across it. */
const series = { type: 'string', minLength: 1, maxLength: 100 } as const;
/** A choice, several choices, a number (rating 1-5, NPS 0-10) or free text: the poll's kind decides which. */
export const answerValue = {
  anyOf: [
    { type: 'string', minLength: 1, maxLength: POLL_TEXT_MAX },
    { type: 'integer', minimum: 0, maximum: 10 },
    { type: 'array', minItems: 1, maxItems: 20, uniqueItems: true, items: choice },
  ],
} as const;
const comment = { type: 'string', maxLength: POLL_TEXT_MAX } as const;

export const CreatePoll = object(
  {
    question, kind: pollKind, choices, roles, locations, opensAt: timestamp, closesAt: timestamp,
    anonymous: { type: 'boolean' }, allowComment: { type: 'boolean' }, series, id,
  },
  ['question', 'kind'] as const,
);

export const AnswerPoll = object({ value: answerValue, comment }, ['value'] as const);

export const PollIdParams = object({ id }, ['id'] as const);
export const PollsQuery = object({ open: { type: 'boolean' }, minPosition: { type: 'string', pattern: '^(0|[1-9][0-9]{0,39})$' } }, [] as const);
export const ResultsQuery = object(
  { format: { type: 'string', enum: ['json', 'csv'] }, minPosition: { type: 'string', pattern: '^(0|[1-9][0-9]{0,39})$' } },
  [] as const,
);

export const PollCreated = object(
  {
    pollId: id, question, kind: pollKind, choices, roles, locations, opensAt: timestamp, closesAt: timestamp,
    anonymous: { type: 'boolean' }, allowComment: { type: 'boolean' }, series, createdBy: { type: 'string', minLength: 1, maxLength: 200 },
    ...times,
  },
  ['pollId', 'question', 'kind', 'opensAt', 'anonymous', 'allowComment', 'series', 'createdBy', 'occurredAt', 'recordedAt'] as const,
);

/**
 * One person's answer. `respondent` is the username, or in an anonymous poll a one-way key
 * (sha256 of poll id and username) that still enforces one answer per person. `replaced`:
 * this answer supersedes the same respondent's earlier one (the results count the last only).
 */
export const PollAnswered = object(
  {
    pollId: id, respondent: { type: 'string', minLength: 1, maxLength: 200 }, role, locationId: id,
    value: answerValue, comment, replaced: { type: 'boolean' }, ...times,
  },
  ['pollId', 'respondent', 'role', 'value', 'replaced', 'occurredAt', 'recordedAt'] as const,
);

export const pollEventSchemas = { PollCreated, PollAnswered } as const;
export const pollCommandSchemas = { CreatePoll, AnswerPoll } as const;
