/**
 * One outbound HTTP request, turned into an outcome without throwing. Redirects are not
 * followed (a receiver cannot bounce our signed body, or a POS token, to another host), and
 * error texts never carry request headers (secrets and tokens live there).
 */
import { classifyStatus, retryAfterMs, type Outcome } from './retry-policy';

export type Fetch = typeof fetch;

export interface HttpAnswer {
  readonly status: number;
  readonly text: string;
  readonly retryAfter: string | null;
}

const MAX_ANSWER_CHARS = 64 * 1024;

/** The answer, or the reason there was none (refused, reset, timed out). */
export async function httpRequest(
  fetchImpl: Fetch, url: string, init: { method: string; headers: Record<string, string>; body?: string }, timeoutMs: number,
): Promise<HttpAnswer | { readonly error: string }> {
  try {
    const response = await fetchImpl(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const text = (await response.text()).slice(0, MAX_ANSWER_CHARS);
    return { status: response.status, text, retryAfter: response.headers.get('retry-after') };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return { error: `no answer within ${timeoutMs} ms` };
    return { error: `no answer: ${e.cause?.code ?? e.message}` };
  }
}

/** The outcome of a plain HTTP answer (webhooks, Square): by status alone. */
export function outcomeOf(answer: HttpAnswer | { readonly error: string }, now: Date, what: string): Outcome {
  if ('error' in answer) return { result: 'retry', error: answer.error };
  const result = classifyStatus(answer.status);
  if (result === 'delivered') return { result, status: answer.status };
  const after = retryAfterMs(answer.retryAfter, now);
  return {
    result, status: answer.status, error: `${what} answered ${answer.status}`,
    ...(after !== undefined ? { retryAfterMs: after } : {}),
  };
}
