/** `/api/pos/connections`: admins connect POS systems. Secrets go in, never out. */
import type { FastifyInstance } from 'fastify';
import { ConnectionIdParams, CreatePosConnection, UpdatePosConnection } from '../../schemas/pos';
import { ADMINS } from '../../server/http/access';
import { HttpProblem } from '../../server/http/problem';
import { recordAudit } from '../../audit/record-audit';
import {
  ConnectionExists, patchConnection, publicConnection,
  type ConnectionStore, type CreateConnectionBody, type PosConnection, type UpdateConnectionBody,
} from './connection-store';

/** A Square connection cannot verify a signature without the URL Square signs. */
function assertUsable(c: PosConnection): void {
  if (c.kind === 'square' && !c.notificationUrl) {
    throw new HttpProblem(400, 'a square connection needs notificationUrl (the URL Square signs)', { errors: [] });
  }
}

export async function connectionRoutes(app: FastifyInstance, deps: { store: ConnectionStore; clock: () => Date }): Promise<void> {
  const access = { roles: ADMINS };

  app.post<{ Body: CreateConnectionBody }>('/api/pos/connections', {
    config: { access }, schema: { body: CreatePosConnection },
  }, async (request, reply) => {
    const now = deps.clock().toISOString();
    const b = request.body;
    const connection: PosConnection = {
      id: b.id, kind: b.kind, secret: b.secret,
      locationMap: { ...b.locationMap } as Record<string, string>,
      skuMap: { ...(b.skuMap ?? {}) } as Record<string, string>,
      ...(b.notificationUrl !== undefined && { notificationUrl: b.notificationUrl }),
      ...(b.apiBaseUrl !== undefined && { apiBaseUrl: b.apiBaseUrl }),
      ...(b.accessToken !== undefined && { accessToken: b.accessToken }),
      disabled: b.disabled ?? false,
      createdAt: now, updatedAt: now,
    };
    assertUsable(connection);
    try {
      await deps.store.createConnection(connection);
    } catch (error) {
      if (error instanceof ConnectionExists) throw new HttpProblem(409, error.message);
      throw error;
    }
    await recordAudit(request, { action: 'pos.connection.created', target: `pos:${connection.id}`, after: publicConnection(connection) });
    return reply.code(201).header('location', `/api/pos/connections/${connection.id}`).send(publicConnection(connection));
  });

  app.get('/api/pos/connections', { config: { access } }, async () => ({
    items: (await deps.store.listConnections()).map(publicConnection),
  }));

  app.get<{ Params: { connectionId: string } }>('/api/pos/connections/:connectionId', {
    config: { access }, schema: { params: ConnectionIdParams },
  }, async (request) => publicConnection(await existing(deps.store, request.params.connectionId)));

  app.patch<{ Params: { connectionId: string }; Body: UpdateConnectionBody }>('/api/pos/connections/:connectionId', {
    config: { access }, schema: { params: ConnectionIdParams, body: UpdatePosConnection },
  }, async (request) => {
    const current = await existing(deps.store, request.params.connectionId);
    const next = patchConnection(current, request.body, deps.clock());
    assertUsable(next);
    const stored = await deps.store.replaceConnection(next);
    if (!stored) throw new HttpProblem(404, `no POS connection ${current.id}`);
    await recordAudit(request, { action: 'pos.connection.updated', target: `pos:${current.id}`, before: publicConnection(current), after: publicConnection(stored), detail: { secretChanged: request.body.secret !== undefined } });
    return publicConnection(stored);
  });
}

async function existing(store: ConnectionStore, id: string): Promise<PosConnection> {
  const connection = await store.getConnection(id);
  if (!connection) throw new HttpProblem(404, `no POS connection ${id}`);
  return connection;
}
