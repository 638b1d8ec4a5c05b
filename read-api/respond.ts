/**
 * What every read route shares: read-your-writes (`minPosition`), the `position` an answer
 * reflects, and JSON or CSV by `?format=csv` / `Accept: text/csv`.
 */
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { HttpProblem } from '../server/http/problem';
import { toCsv, type Column } from './csv';

export interface ConsistencyDeps {
  waitForPosition(p: bigint, timeoutMs: number): Promise<boolean>;
  currentPosition(): bigint;
}

export const MIN_POSITION_TIMEOUT_MS = 5_000;

/** Waits until the read models include `minPosition` (504 after 5 s). */
export function awaitMinPosition(deps: ConsistencyDeps): preHandlerAsyncHookHandler {
  return async (request) => {
    const wanted = (request.query as { minPosition?: string } | undefined)?.minPosition;
    if (wanted === undefined) return;
    const reached = await deps.waitForPosition(BigInt(wanted), MIN_POSITION_TIMEOUT_MS);
    if (!reached) {
      throw new HttpProblem(504, `the read models did not reach position ${wanted} within ${MIN_POSITION_TIMEOUT_MS / 1000} s`, {
        position: deps.currentPosition().toString(),
      });
    }
  };
}

export function wantsCsv(request: FastifyRequest): boolean {
  const format = (request.query as { format?: string } | undefined)?.format;
  if (format !== undefined) return format === 'csv';
  const accept = request.headers.accept ?? '';
  return /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept);
}

/**
 * Sends `body` as JSON (serialized by the route's response schema) or its rows as CSV.
 * The position is also in the `X-Stocktide-Position` header, so CSV answers carry it too.
 */
export function respond<B extends { position: string }, R>(
  request: FastifyRequest,
  reply: FastifyReply,
  body: B,
  csv: { columns: readonly Column<R>[]; rows: readonly R[]; name: string },
): B | FastifyReply {
  reply.header('x-stocktide-position', body.position);
  if (!wantsCsv(request)) return body;
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${csv.name}.csv"`)
    .send(toCsv(csv.columns, csv.rows));
}
