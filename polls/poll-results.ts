/**
 * Results of a poll, computed at read time from the current answers (one per person): counts,
 * the distribution, the score (NPS: % promoters 9-10 minus % detractors 0-6; rating: the mean),
 * and the same per location. Anonymous polls show aggregates only, and only from
 * `ANONYMOUS_MINIMUM` answers on (per location too: a small store must not give a person away).
 */
import type { AnswerValue } from './poll-state';

export const ANONYMOUS_MINIMUM = 5;

export interface PollDefinition {
  readonly pollId: string;
  readonly kind: 'single' | 'multiple' | 'rating' | 'nps' | 'text';
  readonly choices?: readonly string[];
  readonly anonymous: boolean;
}

export interface AnswerRow {
  readonly respondent: string;
  readonly locationId?: string;
  readonly value: AnswerValue;
  readonly comment?: string;
  readonly answeredAt: string;
}

export interface Bucket { readonly value: string; readonly count: number }
export interface Figures {
  readonly answers: number;
  readonly distribution: Bucket[];
  /** NPS (-100..100) or the mean rating (1..5, two decimals); absent for other kinds or no answers. */
  readonly score?: number;
}
export interface PollResults extends Figures {
  readonly byLocation: Array<Figures & { readonly locationId: string }>;
  /** True when an anonymous poll has too few answers to show anything but their number. */
  readonly suppressed?: boolean;
  /** Individual answers (named polls only): who, where, what, when. */
  readonly responses?: AnswerRow[];
}

function buckets(poll: PollDefinition): string[] {
  switch (poll.kind) {
    case 'single':
    case 'multiple': return [...(poll.choices ?? [])];
    case 'rating': return ['1', '2', '3', '4', '5'];
    case 'nps': return Array.from({ length: 11 }, (_, i) => String(i));
    case 'text': return [];
    default: {
      const _exhaustive: never = poll.kind;
      return [];
    }
  }
}

export function npsOf(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const promoters = values.filter((v) => v >= 9).length;
  const detractors = values.filter((v) => v <= 6).length;
  return Math.round(((promoters - detractors) / values.length) * 100);
}

export function meanOf(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
}

export function figuresOf(poll: PollDefinition, rows: readonly AnswerRow[]): Figures {
  const counts = new Map(buckets(poll).map((b) => [b, 0]));
  for (const row of rows) {
    const values = Array.isArray(row.value) ? row.value : poll.kind === 'text' ? [] : [String(row.value)];
    for (const v of values) if (counts.has(v)) counts.set(v, counts.get(v)! + 1);
  }
  const numbers = rows.map((r) => r.value).filter((v): v is number => typeof v === 'number');
  const score = poll.kind === 'nps' ? npsOf(numbers) : poll.kind === 'rating' ? meanOf(numbers) : undefined;
  return {
    answers: rows.length,
    distribution: [...counts].map(([value, count]) => ({ value, count })),
    ...(score !== undefined && { score }),
  };
}

export function pollResults(poll: PollDefinition, rows: readonly AnswerRow[]): PollResults {
  if (poll.anonymous && rows.length < ANONYMOUS_MINIMUM) {
    return { answers: rows.length, distribution: [], byLocation: [], suppressed: true };
  }
  const byLocationRows = new Map<string, AnswerRow[]>();
  for (const row of rows) {
    if (row.locationId === undefined) continue;
    byLocationRows.set(row.locationId, [...(byLocationRows.get(row.locationId) ?? []), row]);
  }
  const byLocation = [...byLocationRows]
    .filter(([, group]) => !poll.anonymous || group.length >= ANONYMOUS_MINIMUM)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([locationId, group]) => ({ locationId, ...figuresOf(poll, group) }));
  return {
    ...figuresOf(poll, rows),
    byLocation,
    ...(!poll.anonymous && { responses: [...rows].sort((a, b) => (a.answeredAt < b.answeredAt ? -1 : a.answeredAt > b.answeredAt ? 1 : 0)) }),
  };
}
