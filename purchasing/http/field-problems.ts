/**
 * Purchasing's routes answer problems like every route (server/http/problem.ts), plus the
 * request field a domain error names: `field` and an Ajv-shaped `errors` entry, so a client
 * (and the dashboard's form status) can point at the input at fault.
 */
import type { FastifyInstance } from 'fastify';
import { sendProblem, toProblem } from '../../server/http/problem';
import { hasField } from '../domain/errors';

export function installFieldProblems(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const p = toProblem(error);
    if (hasField(error)) {
      p.field = error.field;
      p.errors = [{ instancePath: `/${error.field}`, keyword: error.code, message: error.message }];
    }
    if (p.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, p);
  });
}
