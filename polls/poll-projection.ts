/**
 * The `polls` read model: one document per poll (its definition and answer count) and one per
 * (poll, respondent) holding that person's current answer, so a changed answer replaces the
 * earlier one and results are computed from current answers only.
 */
import { padPosition } from '../projections/models/keys';
import type { Doc } from '../projections/readstore/port';
import type { Projection } from '../projections/runner/projection';
import type { AnswerValue, PollAnsweredData, PollCreatedData } from './poll-state';

export const POLLS = { polls: 'polls', answers: 'poll_answers' } as const;

export type PollDoc = Doc & Omit<PollCreatedData, 'occurredAt' | 'recordedAt'> & {
  createdAt: string;
  answers: number;
  position: string;
  positionKey: string;
};

export type AnswerDoc = Doc & {
  pollId: string;
  respondent: string;
  role: string;
  locationId?: string;
  value: AnswerValue;
  comment?: string;
  answeredAt: string;
  position: string;
  positionKey: string;
};

export const answerDocId = (pollId: string, respondent: string) => `${pollId}|${respondent}`;

export const pollProjection: Projection = {
  name: 'polls',
  collections: [POLLS.polls, POLLS.answers],
  indexes: [
    { collection: POLLS.polls, fields: ['positionKey'] },
    { collection: POLLS.polls, fields: ['series'] },
    { collection: POLLS.answers, fields: ['pollId'] },
  ],
  async apply(recorded, uow) {
    const position = recorded.position.toString();
    const positionKey = padPosition(recorded.position);
    if (recorded.type === 'PollCreated') {
      const { occurredAt, recordedAt: _r, ...definition } = recorded.data as PollCreatedData;
      uow.put(POLLS.polls, { _id: definition.pollId, ...definition, createdAt: occurredAt, answers: 0, position, positionKey });
      return;
    }
    if (recorded.type !== 'PollAnswered') return;
    const a = recorded.data as PollAnsweredData;
    const poll = await uow.get<PollDoc>(POLLS.polls, a.pollId);
    if (!poll) return; // the decider never answers an unknown poll; nothing to count against
    const id = answerDocId(a.pollId, a.respondent);
    const earlier = await uow.get<AnswerDoc>(POLLS.answers, id);
    const doc: AnswerDoc = {
      _id: id, pollId: a.pollId, respondent: a.respondent, role: a.role, value: a.value, answeredAt: a.occurredAt, position, positionKey,
      ...(a.locationId !== undefined && { locationId: a.locationId }), ...(a.comment !== undefined && { comment: a.comment }),
    };
    uow.put(POLLS.answers, doc);
    uow.put(POLLS.polls, { ...poll, answers: poll.answers + (earlier ? 0 : 1), position, positionKey });
  },
};
