/** A poll's write model: its definition and each respondent's current answer. */
import type { FromSchema } from 'json-schema-to-ts';
import type { answerValue, PollAnswered, PollCreated } from '../schemas/polls';

export type PollCreatedData = FromSchema<typeof PollCreated>;
export type PollAnsweredData = FromSchema<typeof PollAnswered>;
export type AnswerValue = FromSchema<typeof answerValue>;
export type PollEvent = { type: 'PollCreated'; data: PollCreatedData } | { type: 'PollAnswered'; data: PollAnsweredData };

export type PollState =
  | { readonly created: false }
  | { readonly created: true; readonly poll: PollCreatedData; readonly answers: ReadonlyMap<string, string> };

export const initialPollState = (): PollState => ({ created: false });
export const pollStream = (pollId: string) => `poll-${pollId}`;

/** One comparable form of an answer (value and comment): a repeat of it changes nothing. */
export const answerKey = (value: AnswerValue, comment: string | undefined): string =>
  JSON.stringify([Array.isArray(value) ? [...value].sort() : value, comment ?? '']);

export function evolvePoll(state: PollState, event: PollEvent): PollState {
  switch (event.type) {
    case 'PollCreated': return { created: true, poll: event.data, answers: new Map() };
    case 'PollAnswered': {
      if (!state.created) return state;
      const answers = new Map(state.answers);
      answers.set(event.data.respondent, answerKey(event.data.value, event.data.comment));
      return { ...state, answers };
    }
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
