/**
 * The dashboard's only door to the API. It relies on the HttpOnly session cookie and sends
 * the CSRF token (kept in sessionStorage) on every unsafe method, as the security layer asks.
 */
import { ApiProblem, type ProblemBody } from './problem';

const CSRF_KEY = 'stocktide.csrf';

export type Query = Record<string, string | number | undefined | null>;

/** Called when the API answers 401 (session expired or logged out elsewhere). */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export function setCsrfToken(token: string | undefined): void {
  if (token) sessionStorage.setItem(CSRF_KEY, token);
  else sessionStorage.removeItem(CSRF_KEY);
}

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** `contentType` given: `body` is sent as it is (a CSV file), else as JSON. */
async function request<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = sessionStorage.getItem(CSRF_KEY);
    if (csrf) headers['x-csrf-token'] = csrf;
  }
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['content-type'] = contentType ?? 'application/json';
    init.body = contentType ? (body as string) : JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith('/api/auth/login')) onUnauthorized();
    throw new ApiProblem(response.status, parsed as ProblemBody | undefined);
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body),
  /** A text body as it is (`text/csv` uploads). */
  postText: <T>(path: string, text: string, contentType: string) => request<T>('POST', path, text, contentType),
};
