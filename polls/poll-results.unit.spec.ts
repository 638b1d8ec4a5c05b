import { describe, expect, it } from 'vitest';
import { ANONYMOUS_MINIMUM, meanOf, npsOf, pollResults, type AnswerRow, type PollDefinition } from './poll-results';

const nps: PollDefinition = { pollId: 'p', kind: 'nps', anonymous: false };
const row = (respondent: string, value: AnswerRow['value'], locationId = 'a'): AnswerRow => ({ respondent, value, locationId, answeredAt: `2026-01-01T00:00:0${respondent.length % 10}.000Z` });

describe('poll results', () => {
  it('computes NPS as % promoters minus % detractors, and the mean of ratings', () => {
    expect(npsOf([10, 9, 8, 7, 0])).toBe(20);
    expect(npsOf([])).toBeUndefined();
    expect(meanOf([4, 5, 4])).toBe(4.33);
  });
  it('gives counts, a distribution over 0-10, the score and a comparison per location', () => {
    const r = pollResults(nps, [row('ann', 10, 'a'), row('bob', 9, 'a'), row('cy', 3, 'b')]);
    expect(r.answers).toBe(3);
    expect(r.distribution).toHaveLength(11);
    expect(r.distribution.find((d) => d.value === '10')).toEqual({ value: '10', count: 1 });
    expect(r.score).toBe(33);
    expect(r.byLocation).toEqual([
      expect.objectContaining({ locationId: 'a', answers: 2, score: 100 }),
      expect.objectContaining({ locationId: 'b', answers: 1, score: -100 }),
    ]);
    expect(r.responses?.map((x) => x.respondent).sort()).toEqual(['ann', 'bob', 'cy']);
  });
  it('counts each choice of a multiple choice answer', () => {
    const r = pollResults({ pollId: 'p', kind: 'multiple', choices: ['x', 'y'], anonymous: false }, [row('a', ['x', 'y']), row('b', ['y'])]);
    expect(r.distribution).toEqual([{ value: 'x', count: 1 }, { value: 'y', count: 2 }]);
  });
  it('shows an anonymous poll only as aggregates, and only from five answers (per location too)', () => {
    const anon = { ...nps, anonymous: true };
    const four = ['a1', 'a2', 'a3', 'a4'].map((r) => row(r, 9));
    expect(pollResults(anon, four)).toEqual({ answers: 4, distribution: [], byLocation: [], suppressed: true });
    const enough = [...four, row('a5', 7), row('b1', 2, 'b')];
    const r = pollResults(anon, enough);
    expect(r.answers).toBe(ANONYMOUS_MINIMUM + 1);
    expect(r.responses).toBeUndefined();
    expect(r.byLocation.map((l) => l.locationId)).toEqual(['a']);
    expect(JSON.stringify(r)).not.toContain('a1');
  });
});
