/** Reads of the polls model shared by the routes and the live stream: visibility and results. */
import type { ReadStore } from '../projections/readstore/port';
import type { Principal } from '../server/http/access';
import { anonymousRespondent, isOpen, isTargeted } from './decide-poll';
import { POLLS, answerDocId, type AnswerDoc, type PollDoc } from './poll-projection';
import { figuresOf, pollResults, type AnswerRow, type PollResults } from './poll-results';

const scoped = (p: Principal) => p.role === 'manager' || p.role === 'staff';

/** Managers see polls of their locations (and chain-wide ones, counted at their locations only). */
export function canSeeResults(p: Principal, poll: Pick<PollDoc, 'locations' | 'createdBy'>): boolean {
  if (!scoped(p)) return true;
  return poll.createdBy === p.username || !poll.locations || poll.locations.some((l) => p.locations.includes(l));
}

export const canAnswer = (p: Principal, poll: PollDoc, now: Date): boolean =>
  isTargeted(poll, p.role, p.locations) && isOpen(poll, now.toISOString());

export const respondentOf = (p: Principal, poll: Pick<PollDoc, 'pollId' | 'anonymous'>): string =>
  poll.anonymous ? anonymousRespondent(poll.pollId, p.username) : p.username;

export async function myAnswer(store: ReadStore, p: Principal, poll: PollDoc): Promise<AnswerDoc | undefined> {
  return store.get<AnswerDoc>(POLLS.answers, answerDocId(poll.pollId, respondentOf(p, poll)));
}

async function rowsOf(store: ReadStore, p: Principal, pollId: string): Promise<AnswerRow[]> {
  const docs = await store.find<AnswerDoc>(POLLS.answers, { where: { pollId } });
  return docs
    .filter((d) => !scoped(p) || (d.locationId !== undefined && p.locations.includes(d.locationId)))
    .map((d) => ({
      respondent: d.respondent, value: d.value, answeredAt: d.answeredAt,
      ...(d.locationId !== undefined && { locationId: d.locationId }), ...(d.comment !== undefined && { comment: d.comment }),
    }));
}

export interface TrendPoint { pollId: string; question: string; opensAt: string; answers: number; score?: number }

export async function resultsFor(store: ReadStore, p: Principal, poll: PollDoc): Promise<PollResults & { trend: TrendPoint[] }> {
  const results = pollResults(poll, await rowsOf(store, p, poll.pollId));
  const siblings = (await store.find<PollDoc>(POLLS.polls, { where: { series: poll.series } }))
    .filter((s) => s.kind === poll.kind && canSeeResults(p, s))
    .sort((a, b) => (a.opensAt < b.opensAt ? -1 : a.opensAt > b.opensAt ? 1 : 0));
  const trend: TrendPoint[] = [];
  for (const s of siblings) {
    const rows = await rowsOf(store, p, s.pollId);
    const hidden = s.anonymous && rows.length < 5;
    const figures = figuresOf(s, rows);
    trend.push({ pollId: s.pollId, question: s.question, opensAt: s.opensAt, answers: rows.length, ...(!hidden && figures.score !== undefined && { score: figures.score }) });
  }
  return { ...results, trend };
}
