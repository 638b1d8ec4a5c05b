/** Shapes of the staff voice and audit answers, from the shared schemas where one exists. */
import type { FromSchema } from 'json-schema-to-ts';
import type { answerValue, pollKinds } from '../../../schemas/polls';
import type { feedbackCategories, feedbackStatuses } from '../../../schemas/feedback';

export type PollKind = (typeof pollKinds)[number];
export type AnswerValue = FromSchema<typeof answerValue>;
export type FeedbackCategory = (typeof feedbackCategories)[number];
export type FeedbackStatus = (typeof feedbackStatuses)[number];

export interface Poll {
  id: string;
  question: string;
  kind: PollKind;
  choices?: string[];
  roles?: string[];
  locations?: string[];
  opensAt: string;
  closesAt?: string;
  anonymous: boolean;
  allowComment: boolean;
  createdBy: string;
  open: boolean;
  answerable: boolean;
  answers?: number;
  myAnswer?: { value: AnswerValue; comment?: string; answeredAt: string };
}

export interface Bucket { value: string; count: number }
export interface Figures { answers: number; distribution: Bucket[]; score?: number }
export interface PollResults extends Figures {
  pollId: string;
  question: string;
  kind: PollKind;
  anonymous: boolean;
  byLocation: Array<Figures & { locationId: string }>;
  suppressed?: boolean;
  responses?: Array<{ respondent: string; locationId?: string; value: AnswerValue; comment?: string; answeredAt: string }>;
  trend: Array<{ pollId: string; question: string; opensAt: string; answers: number; score?: number }>;
  position: string;
}

export interface FeedbackItem {
  id: string;
  category: FeedbackCategory;
  text: string;
  screen?: string;
  appVersion?: string;
  author: string;
  role: string;
  locations: string[];
  status: FeedbackStatus;
  createdAt: string;
  updatedAt: string;
  triagedBy?: string;
  note?: string;
}

export interface AuditItem {
  at: string;
  actor: string;
  action: string;
  target: string;
  ip: string;
  userAgent: string;
  detail: Record<string, unknown>;
}

export const statusLabel: Record<FeedbackStatus, string> = { new: 'New', planned: 'Planned', done: 'Done', wont_do: "Won't do" };
export const categoryLabel: Record<FeedbackCategory, string> = { bug: 'Bug', idea: 'Idea', praise: 'Praise' };

/** The score line of a result: NPS or the mean rating, with how many answers it rests on. */
export function scoreText(kind: PollKind, f: Pick<Figures, 'answers' | 'score'>): string {
  const n = `${f.answers} answer${f.answers === 1 ? '' : 's'}`;
  if (f.score === undefined) return n;
  if (kind === 'nps') return `NPS ${f.score > 0 ? '+' : ''}${f.score} · ${n}`;
  if (kind === 'rating') return `Average ${f.score.toFixed(2)} of 5 · ${n}`;
  return n;
}
