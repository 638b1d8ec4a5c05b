/** An RFC 9457 problem answered by the API, as the dashboard shows it. */
export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: unknown[];
}

export class ApiProblem extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  /** Ajv's messages on a 400, flattened to readable lines. */
  readonly fieldErrors: string[];

  constructor(status: number, body: ProblemBody | undefined) {
    const detail = body?.detail ?? body?.title ?? `request failed (${status})`;
    super(detail);
    this.name = 'ApiProblem';
    this.status = status;
    this.title = body?.title ?? 'Error';
    this.detail = detail;
    this.fieldErrors = (body?.errors ?? []).map(describeFieldError).filter((s) => s.length > 0);
  }
}

/** Ajv errors look like `{instancePath: '/lines/0/quantity', message: 'must be >= 1'}`. */
export function describeFieldError(error: unknown): string {
  if (typeof error === 'string') return error;
  if (!error || typeof error !== 'object') return '';
  const e = error as { instancePath?: unknown; message?: unknown };
  const where = typeof e.instancePath === 'string' ? e.instancePath.replace(/^\//, '').replace(/\//g, '.') : '';
  const message = typeof e.message === 'string' ? e.message : '';
  return where ? `${where}: ${message}` : message;
}

/** What to show for any error a screen caught. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiProblem) return error.detail;
  if (error instanceof Error) return error.message;
  return String(error);
}
