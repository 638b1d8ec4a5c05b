/**
 * `POST /api/pos/connections/{id}/test` (admin): the onboarding's "test the connection" step.
 * It makes one real call to the POS's Admin API with the stored token (the first page of its
 * locations, as the import will) and answers what it saw, each POS location with the Stocktide
 * location it maps to. A refused or unreachable POS is a result of the test, not an error of the
 * request: 200 `{"ok":false,"error"}`. Nothing is written.
 */
import type { FastifyInstance } from 'fastify';
import { catalogSourceFor, PosApiError } from '../catalog/sources/catalog-source';
import { lookup } from '../pos/effects';
import type { ConnectionStore } from '../pos/connections/connection-store';
import { ConnectionTestAnswer, NoBody } from '../schemas/go-live';
import { ConnectionIdParams } from '../schemas/pos';
import { ADMINS } from '../server/http/access';
import { HttpProblem } from '../server/http/problem';

export async function connectionTestRoute(app: FastifyInstance, deps: { connections: ConnectionStore; fetchImpl?: typeof fetch }): Promise<void> {
  app.post<{ Params: { connectionId: string } }>('/api/pos/connections/:connectionId/test', {
    config: { access: { roles: ADMINS } },
    // No body: an empty object at most, so nothing else is read as an instruction.
    schema: { tags: ['go-live'], summary: 'Test a POS connection with one call to its Admin API (its locations)', params: ConnectionIdParams, body: NoBody, response: { 200: ConnectionTestAnswer } },
  }, async (request) => {
    const connection = await deps.connections.getConnection(request.params.connectionId);
    if (!connection) throw new HttpProblem(404, `no POS connection ${request.params.connectionId}`);
    try {
      const page = await catalogSourceFor(connection, deps.fetchImpl ?? fetch).locations();
      return {
        ok: true, kind: connection.kind,
        locations: page.items.map((l) => {
          const locationId = lookup(connection.locationMap, l.posLocationId);
          return { posLocationId: l.posLocationId, name: l.name, active: l.active, ...(locationId !== undefined && { locationId }) };
        }),
        ...(page.next !== undefined && { more: true }),
      };
    } catch (error) {
      if (error instanceof PosApiError) return { ok: false, kind: connection.kind, error: error.message };
      throw error;
    }
  });
}
