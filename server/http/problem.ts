/**
 * application/problem+json (RFC 9457) for every error the API returns.
 * Domain, concurrency, validation and access errors are translated here, at the edge.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { BusinessRuleViolation, InvalidCommand, NotFound } from '../../write-side/domain/errors';
import { ConcurrencyError, IdempotencyConflictError } from '../../write-side/eventstore/port';
import { SchemaViolation } from '../../schemas/validation';
import { InvalidQueryError } from '../../projections/readstore/port';
import { Forbidden } from './access';
import { isPostgresUnavailable } from '../../storage/postgres';

/** Seconds a client waits before retrying when the database is unreachable (a POS retries on 503). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: unknown[];
  [extension: string]: unknown;
}

const titles: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 409: 'Conflict', 413: 'Content Too Large', 415: 'Unsupported Media Type',
  429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** An error that already knows its HTTP answer. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly problemType = 'about:blank',
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

export function problem(status: number, detail: string, extensions: Record<string, unknown> = {}, type = 'about:blank'): Problem {
  return { type, title: titles[status] ?? 'Error', status, detail, ...extensions };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type('application/problem+json').send(p);
}

// The one `not` in our schemas is `signedQuantity`'s `not: { const: 0 }`: say what it means.
const NOT_ZERO = 'must not be 0';
const readable = (e: unknown): unknown => {
  const error = e as { keyword?: string; message?: string };
  return error.keyword === 'not' ? { ...error, message: NOT_ZERO } : e;
};

/** Maps any thrown error to a problem. Unknown errors become a 500 without internals. */
export function toProblem(error: unknown): Problem {
  if (error instanceof HttpProblem) return problem(error.status, error.message, error.extensions, error.problemType);
  if (error instanceof NotFound) return problem(404, error.message, { code: error.code }, `urn:stocktide:problem:${error.code}`);
  if (error instanceof BusinessRuleViolation) return problem(409, error.message, { code: error.code }, `urn:stocktide:problem:${error.code}`);
  if (error instanceof InvalidCommand) {
    const errors = error.field ? [{ instancePath: `/${error.field}`, keyword: error.code, message: error.message }] : [];
    return problem(400, error.message, { code: error.code, errors }, `urn:stocktide:problem:${error.code}`);
  }
  if (error instanceof ConcurrencyError) return problem(409, 'the stock changed concurrently; retry the request', { code: 'concurrency' }, 'urn:stocktide:problem:concurrency');
  if (error instanceof IdempotencyConflictError) {
    return problem(409, 'this id was already used for a different request', { code: 'idempotency-conflict' }, 'urn:stocktide:problem:idempotency-conflict');
  }
  if (error instanceof SchemaViolation) return problem(400, error.message, { errors: error.errors });
  if (error instanceof InvalidQueryError) return problem(400, error.message, { errors: [] });
  if (error instanceof Forbidden) return problem(403, error.message);
  if (isPostgresUnavailable(error)) {
    return problem(503, 'the database is not reachable right now; retry the same request shortly', { code: 'store-unavailable' }, 'urn:stocktide:problem:store-unavailable');
  }
  const fe = error as Partial<FastifyError> & { validation?: unknown[] };
  if (fe.validation) {
    const errors = fe.validation.map(readable);
    const detail = (fe.message ?? 'invalid request').replace(/must NOT be valid/g, NOT_ZERO);
    return problem(400, detail, { errors });
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return problem(fe.statusCode, fe.message ?? titles[fe.statusCode] ?? 'error');
  }
  return problem(500, 'internal error');
}

/** Installs problem+json for thrown errors and for unknown routes. */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const p = toProblem(error);
    if (p.status >= 500) request.log.error({ err: error }, 'request failed');
    if (p.status === 503) void reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    return sendProblem(reply, p);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem(404, `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
