/**
 * What an attempt's outcome does to a delivery: delivered, retried later with exponential
 * backoff and jitter, failed for good, or dead after too many attempts. Pure: the clock and
 * the random source are arguments.
 *
 * HTTP answers: 2xx delivered; 408, 425, 429 and 5xx retried (the receiver is busy or broken
 * for now); no answer at all (refused, reset, timeout) retried; every other answer (3xx, since
 * redirects are not followed, and 4xx) failed at once: the receiver understood and refused,
 * and sending the same bytes again would only be refused again. A failed or dead delivery is
 * retried only by hand (`POST /api/webhooks/deliveries/{id}/retry`).
 */
import type { DeliveryUpdate } from './store/outbound-store';

export interface RetryPolicy {
  /** Attempts before a delivery is `dead`. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 10_000, maxDelayMs: 60 * 60_000 };

export type Outcome =
  | { readonly result: 'delivered'; readonly status?: number }
  | { readonly result: 'retry' | 'fail'; readonly status?: number; readonly error: string; readonly retryAfterMs?: number };

export function classifyStatus(status: number): 'delivered' | 'retry' | 'fail' {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  return 'fail';
}

/** Delay before attempt `attempts + 1`: base·2^(attempts-1), capped, then jittered into [½, 1]. */
export function backoffMs(attempts: number, policy: RetryPolicy, random: () => number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.5 + random() / 2));
}

/** The update recording attempt number `attempts` (already counted) with its outcome. */
export function afterAttempt(
  attempts: number, outcome: Outcome, now: Date, policy: RetryPolicy, random: () => number,
): DeliveryUpdate {
  const stamp = now.toISOString();
  const base: DeliveryUpdate = { attempts, updatedAt: stamp, lastStatus: outcome.status };
  switch (outcome.result) {
    case 'delivered':
      return { ...base, status: 'delivered', deliveredAt: stamp, lastError: undefined };
    case 'fail':
      return { ...base, status: 'failed', lastError: outcome.error };
    case 'retry': {
      if (attempts >= policy.maxAttempts) return { ...base, status: 'dead', lastError: `${outcome.error} (gave up after ${attempts} attempts)` };
      const delay = Math.max(backoffMs(attempts, policy, random), outcome.retryAfterMs ?? 0);
      return { ...base, status: 'pending', lastError: outcome.error, nextAttemptAt: new Date(now.getTime() + delay).toISOString() };
    }
    default: {
      const _exhaustive: never = outcome;
      return _exhaustive;
    }
  }
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from `now` (capped at an hour). */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now.getTime();
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 60 * 60_000) : undefined;
}
