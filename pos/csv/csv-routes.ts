/** `POST /api/pos/:connectionId/import` (text/csv, up to 10 MiB): legacy tills' sales and returns. */
import type { FastifyInstance } from 'fastify';
import { ConnectionIdParams } from '../../schemas/pos';
import { canAccessLocation, MANAGERS } from '../../server/http/access';
import { HttpProblem } from '../../server/http/problem';
import { MalformedPayload } from '../effects';
import type { ProcessDeps } from '../processing/process-delivery';
import { activeConnection } from '../webhook/webhook-routes';
import { importCsv } from './csv-import';

export const CSV_BODY_LIMIT = 10 * 1024 * 1024;

export async function csvRoutes(app: FastifyInstance, deps: ProcessDeps): Promise<void> {
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string', bodyLimit: CSV_BODY_LIMIT }, (_r, body, done) => done(null, body));

  // Two paths, one handler: the first is CONTRACT.md's; the second is the one the OpenAPI
  // document shows, because the first is ambiguous with /api/pos/connections/{connectionId}.
  for (const url of ['/api/pos/:connectionId/import', '/api/pos/connections/:connectionId/import']) app.post<{ Params: { connectionId: string }; Body: string }>(url, {
    config: { access: { roles: MANAGERS } },
    bodyLimit: CSV_BODY_LIMIT,
    schema: { params: ConnectionIdParams },
  }, async (request) => {
    if (typeof request.body !== 'string') throw new HttpProblem(415, 'send the file as text/csv');
    const connection = await activeConnection(deps, request.params.connectionId);
    try {
      return await importCsv(deps, connection, request.body, (locationId) => canAccessLocation(request, locationId));
    } catch (error) {
      if (error instanceof MalformedPayload) throw new HttpProblem(400, error.message, { errors: [] });
      throw error;
    }
  });
}
