/**
 * The rules of polls, pure: time (`now`) and the respondent arrive in the command.
 *
 * - A poll of kind single/multiple needs its choices; the others take none.
 * - An answer is accepted only while the poll is open (opensAt <= now < closesAt), only from a
 *   person it targets (role in `roles`, a location in `locations`), and only in range for the
 *   poll's kind (a choice, a subset of choices, 1-5, 0-10, text).
 * - One answer per person: answering again replaces the earlier answer (`replaced: true`);
 *   the same answer again is a repeat and records nothing.
 * - In an anonymous poll the respondent is a one-way key of (poll, username), never the name.
 */
import { createHash } from 'node:crypto';
import type { Role } from '../server/http/access';
import { BusinessRuleViolation, InvalidCommand, NotFound } from '../write-side/domain/errors';
import type { StreamDecider } from '../write-side/commands/decide-on-stream';
import {
  answerKey, evolvePoll, initialPollState, type AnswerValue, type PollCreatedData, type PollEvent, type PollState,
} from './poll-state';

export type CreatePollCommand = { type: 'CreatePoll'; now: string } & Omit<PollCreatedData, 'occurredAt' | 'recordedAt'>;

export interface AnswerPollCommand {
  readonly type: 'AnswerPoll';
  readonly pollId: string;
  readonly username: string;
  readonly role: Role;
  /** The respondent's locations (empty for chain-wide roles). */
  readonly locations: readonly string[];
  readonly value: AnswerValue;
  readonly comment?: string;
  readonly now: string;
}

export type PollCommand = CreatePollCommand | AnswerPollCommand;

/** Distinguishes "this poll is not for you" (403 at the edge) from other broken rules. */
export class NotTargeted extends BusinessRuleViolation {
  constructor(pollId: string) {
    super(`poll ${pollId} is not addressed to you`, 'poll-not-targeted');
  }
}

export const anonymousRespondent = (pollId: string, username: string): string =>
  `anon:${createHash('sha256').update(`${pollId}|${username}`).digest('hex').slice(0, 32)}`;

/** Where an answer counts: the respondent's first location the poll targets. */
export function answerLocation(poll: Pick<PollCreatedData, 'locations'>, locations: readonly string[]): string | undefined {
  return poll.locations ? locations.find((l) => poll.locations!.includes(l)) : locations[0];
}

export function isTargeted(poll: Pick<PollCreatedData, 'roles' | 'locations'>, role: Role, locations: readonly string[]): boolean {
  if (poll.roles && !poll.roles.includes(role)) return false;
  return !poll.locations || locations.some((l) => poll.locations!.includes(l));
}

export function isOpen(poll: Pick<PollCreatedData, 'opensAt' | 'closesAt'>, now: string): boolean {
  const t = Date.parse(now);
  return Date.parse(poll.opensAt) <= t && (poll.closesAt === undefined || t < Date.parse(poll.closesAt));
}

function assertValueFits(poll: PollCreatedData, value: AnswerValue): void {
  const bad = (why: string) => new InvalidCommand(`value: ${why}`, 'invalid-answer');
  switch (poll.kind) {
    case 'single':
      if (typeof value !== 'string' || !poll.choices?.includes(value)) throw bad('must be one of the choices');
      return;
    case 'multiple':
      if (!Array.isArray(value) || !value.every((v) => poll.choices?.includes(v))) throw bad('must be a list of the choices');
      return;
    case 'rating':
      if (typeof value !== 'number' || value < 1 || value > 5) throw bad('must be a whole number from 1 to 5');
      return;
    case 'nps':
      if (typeof value !== 'number' || value < 0 || value > 10) throw bad('must be a whole number from 0 to 10');
      return;
    case 'text':
      if (typeof value !== 'string' || value.trim() === '') throw bad('must be text');
      return;
    default: {
      const _exhaustive: never = poll.kind;
      throw bad('unknown poll kind');
    }
  }
}

export function decideCreatePoll(command: CreatePollCommand, state: PollState): PollEvent[] {
  const { type: _type, now, ...definition } = command;
  if (state.created) {
    const same = state.poll.createdBy === command.createdBy && state.poll.question === command.question && state.poll.kind === command.kind;
    if (same) return [];
    throw new BusinessRuleViolation(`poll ${command.pollId} exists`, 'poll-exists');
  }
  const needsChoices = command.kind === 'single' || command.kind === 'multiple';
  if (needsChoices && !command.choices) throw new InvalidCommand('choices: a single or multiple choice poll needs at least two', 'choices-required');
  if (!needsChoices && command.choices) throw new InvalidCommand(`choices: a ${command.kind} poll takes none`, 'choices-not-allowed');
  if (command.closesAt !== undefined) {
    if (Date.parse(command.closesAt) <= Date.parse(command.opensAt)) throw new InvalidCommand('closesAt must be after opensAt', 'invalid-period');
    if (Date.parse(command.closesAt) <= Date.parse(now)) throw new InvalidCommand('closesAt is in the past', 'invalid-period');
  }
  return [{ type: 'PollCreated', data: { ...definition, occurredAt: now, recordedAt: now } }];
}

export function decideAnswerPoll(command: AnswerPollCommand, state: PollState): PollEvent[] {
  if (!state.created) throw new NotFound(`unknown poll ${command.pollId}`, 'unknown-poll');
  const { poll } = state;
  if (!isTargeted(poll, command.role, command.locations)) throw new NotTargeted(poll.pollId);
  if (Date.parse(command.now) < Date.parse(poll.opensAt)) throw new BusinessRuleViolation(`poll ${poll.pollId} opens at ${poll.opensAt}`, 'poll-not-open');
  if (!isOpen(poll, command.now)) throw new BusinessRuleViolation(`poll ${poll.pollId} closed at ${poll.closesAt}`, 'poll-closed');
  assertValueFits(poll, command.value);
  if (command.comment !== undefined && !poll.allowComment) throw new InvalidCommand('comment: this poll takes no comment', 'comment-not-allowed');
  const respondent = poll.anonymous ? anonymousRespondent(poll.pollId, command.username) : command.username;
  const previous = state.answers.get(respondent);
  if (previous === answerKey(command.value, command.comment)) return [];
  const locationId = answerLocation(poll, command.locations);
  return [{
    type: 'PollAnswered',
    data: {
      pollId: poll.pollId, respondent, role: command.role, ...(locationId !== undefined && { locationId }),
      value: command.value, ...(command.comment !== undefined && command.comment !== '' && { comment: command.comment }),
      replaced: previous !== undefined, occurredAt: command.now, recordedAt: command.now,
    },
  }];
}

export const pollDecider: StreamDecider<PollCommand, PollState, PollEvent> = {
  initial: initialPollState,
  evolve: evolvePoll,
  decide(command, state) {
    switch (command.type) {
      case 'CreatePoll': return decideCreatePoll(command, state);
      case 'AnswerPoll': return decideAnswerPoll(command, state);
      default: {
        const _exhaustive: never = command;
        throw new Error('unknown poll command');
      }
    }
  },
};
