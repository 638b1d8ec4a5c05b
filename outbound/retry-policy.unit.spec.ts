import { describe, expect, it } from 'vitest';
import { afterAttempt, backoffMs, classifyStatus, retryAfterMs, type RetryPolicy } from './retry-policy';
import { signBody, verifySignature } from './webhooks/signing';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 5000 };
const now = new Date('2026-03-01T12:00:00.000Z');

describe('retry policy', () => {
  it('classifies answers: 2xx delivered; 408/425/429/5xx retried; other 3xx/4xx failed', () => {
    expect([200, 204, 299].map(classifyStatus)).toEqual(['delivered', 'delivered', 'delivered']);
    expect([408, 425, 429, 500, 503].map(classifyStatus)).toEqual(['retry', 'retry', 'retry', 'retry', 'retry']);
    expect([301, 400, 401, 404, 410, 422].map(classifyStatus)).toEqual(['fail', 'fail', 'fail', 'fail', 'fail', 'fail']);
  });

  it('doubles the delay per attempt up to the cap, jittered between half and all of it', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, policy, () => 0))).toEqual([500, 1000, 2000, 2500, 2500]);
    expect([1, 2, 3].map((n) => backoffMs(n, policy, () => 0.999999))).toEqual([1000, 2000, 4000]);
  });

  it('given a retryable outcome, then pending until the last attempt, then dead', () => {
    const retry = { result: 'retry', status: 503, error: 'the receiver answered 503' } as const;
    expect(afterAttempt(1, retry, now, policy, () => 0)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: '2026-03-01T12:00:00.500Z' });
    expect(afterAttempt(4, retry, now, policy, () => 0)).toMatchObject({ status: 'dead', attempts: 4, lastStatus: 503 });
    expect(afterAttempt(1, { ...retry, retryAfterMs: 30_000 }, now, policy, () => 0).nextAttemptAt).toBe('2026-03-01T12:00:30.000Z');
  });

  it('given success or a refusal, then delivered or failed at once', () => {
    expect(afterAttempt(2, { result: 'delivered', status: 200 }, now, policy, () => 0)).toMatchObject({ status: 'delivered', deliveredAt: now.toISOString(), lastError: undefined });
    expect(afterAttempt(1, { result: 'fail', status: 400, error: 'no' }, now, policy, () => 0)).toMatchObject({ status: 'failed', lastError: 'no' });
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Sun, 01 Mar 2026 12:01:00 GMT', now)).toBe(60_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});

describe('webhook signature', () => {
  it('is the hex HMAC-SHA256 of the raw body, and any change to the body breaks it', () => {
    // Known answer: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
    expect(signBody('key', 'The quick brown fox jumps over the lazy dog'))
      .toBe('sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8');
    const header = signBody('secret-123', '{"a":1}');
    expect(verifySignature('secret-123', '{"a":1}', header)).toBe(true);
    expect(verifySignature('secret-123', '{"a": 1}', header)).toBe(false);
    expect(verifySignature('secret-123', '{"a":1}', undefined)).toBe(false);
  });
});
