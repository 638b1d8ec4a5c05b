import { describe, expect, it } from 'vitest';
import { PROMPT_PAUSE_MS, dismissedAtOf, mayPrompt, pollToAsk, rememberDismissal } from './prompt-schedule';
import type { Poll } from './types';

const poll = (id: string, over: Partial<Poll> = {}): Poll => ({
  id, question: id, kind: 'nps', opensAt: '2026-01-01T00:00:00Z', anonymous: false, allowComment: true, createdBy: 'mo', open: true, answerable: true, ...over,
});

describe('the poll prompt schedule', () => {
  it('shows at once when never dismissed, and at most once a day after a dismissal', () => {
    const t = 1_000_000_000;
    expect(mayPrompt(undefined, t)).toBe(true);
    expect(mayPrompt(t, t + PROMPT_PAUSE_MS - 1)).toBe(false);
    expect(mayPrompt(t, t + PROMPT_PAUSE_MS)).toBe(true);
  });
  it('asks the first open poll not yet answered', () => {
    expect(pollToAsk([poll('a', { myAnswer: { value: 9, answeredAt: 'x' } }), poll('b', { answerable: false }), poll('c')])?.id).toBe('c');
    expect(pollToAsk([])).toBeUndefined();
  });
  it('remembers a dismissal per user', () => {
    const map = new Map<string, string>();
    const storage = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
    rememberDismissal('sam', 42, storage);
    expect(dismissedAtOf('sam', storage)).toBe(42);
    expect(dismissedAtOf('ann', storage)).toBeUndefined();
  });
});
