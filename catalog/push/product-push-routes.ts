/**
 * Product push routes (admins):
 * - `PUT /api/pos/connections/{id}/product-push {"enabled","includeExisting"?}`: push products
 *   created or changed in Stocktide to this Shopify or Square connection (off by default; 409 for
 *   a generic connection, which has no catalog API). Enabling starts at the log's head, or at its
 *   start with `includeExisting`.
 * - `GET /api/pos/connections/{id}/product-push`: `{connectionId, enabled, fromPosition?}` (where the pusher reads on).
 * - `GET /api/pos/product-pushes?connectionId&status&limit`: the jobs, newest first.
 * - `POST /api/pos/product-pushes/{id}/retry`: a failed or dead job is due again now.
 */
import type { FastifyInstance } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { recordAudit } from '../../audit/record-audit';
import { NoBody } from '../../schemas/common';
import { ProductPushesAnswer, ProductPushesQuery, ProductPushIdParams, ProductPushSetting, ProductPushView, SetProductPush } from '../../schemas/catalog';
import { ConnectionIdParams } from '../../schemas/pos';
import { ADMINS } from '../../server/http/access';
import { HttpProblem } from '../../server/http/problem';
import type { ConnectionStore } from '../../pos/connections/connection-store';
import { POS_WINS } from '../domain/product-details';
import type { CatalogStore } from '../store/catalog-store';
import { cursorName } from './product-pusher';

export interface ProductPushRouteDeps {
  readonly store: CatalogStore;
  readonly connections: ConnectionStore;
  readonly headPosition: () => Promise<bigint>;
  readonly clock?: () => Date;
}

export async function productPushRoutes(app: FastifyInstance, deps: ProductPushRouteDeps): Promise<void> {
  const clock = deps.clock ?? (() => new Date());
  const config = { access: { roles: ADMINS } };

  app.put<{ Params: { connectionId: string }; Body: FromSchema<typeof SetProductPush> }>('/api/pos/connections/:connectionId/product-push', {
    config,
    schema: { tags: ['catalog'], summary: 'Push products created or changed in Stocktide to this POS (off by default)', params: ConnectionIdParams, body: SetProductPush, response: { 200: ProductPushSetting } },
  }, async (request) => {
    const { connectionId } = request.params;
    const connection = await deps.connections.getConnection(connectionId);
    if (!connection) throw new HttpProblem(404, `no POS connection ${connectionId}`);
    const { enabled, includeExisting } = request.body;
    if (enabled && connection.kind === 'generic') throw new HttpProblem(409, 'a generic POS connection has no catalog API to push products to');
    const settings = await deps.store.getSettings(connectionId);
    let fromPosition: string | undefined;
    if (enabled && (!settings?.productPush || includeExisting)) {
      // The cursor first: once the setting is on, the pusher reads from it.
      fromPosition = includeExisting ? '0' : (await deps.headPosition()).toString();
      await deps.store.setCursor(cursorName(connectionId), fromPosition);
    }
    await deps.store.putSettings(connectionId, { ...(settings ?? { policy: POS_WINS }), productPush: enabled });
    await recordAudit(request, { action: 'pos.product_push.changed', target: `pos:${connectionId}`, after: { enabled, ...(includeExisting !== undefined && { includeExisting }) } });
    return { connectionId, enabled, ...(fromPosition !== undefined && { fromPosition }) };
  });

  app.get<{ Params: { connectionId: string } }>('/api/pos/connections/:connectionId/product-push', {
    config, schema: { tags: ['catalog'], summary: 'Whether products are pushed to this POS', params: ConnectionIdParams, response: { 200: ProductPushSetting } },
  }, async (request) => {
    const { connectionId } = request.params;
    if (!(await deps.connections.getConnection(connectionId))) throw new HttpProblem(404, `no POS connection ${connectionId}`);
    const cursor = await deps.store.getCursor(cursorName(connectionId));
    return { connectionId, enabled: (await deps.store.getSettings(connectionId))?.productPush === true, ...(cursor !== undefined && { fromPosition: cursor }) };
  });

  app.get<{ Querystring: FromSchema<typeof ProductPushesQuery> }>('/api/pos/product-pushes', {
    config, schema: { tags: ['catalog'], summary: 'Product push jobs, newest first', querystring: ProductPushesQuery, response: { 200: ProductPushesAnswer } },
  }, async (request) => ({ items: await deps.store.listProductPushes(request.query) }));

  app.post<{ Params: { id: string } }>('/api/pos/product-pushes/:id/retry', {
    config, schema: { tags: ['catalog'], summary: 'Retry a failed or dead product push now', params: ProductPushIdParams, body: NoBody, response: { 202: ProductPushView } },
  }, async (request, reply) => {
    const job = await deps.store.getProductPush(request.params.id);
    if (!job) throw new HttpProblem(404, `no product push ${request.params.id}`);
    if (job.status !== 'failed' && job.status !== 'dead') throw new HttpProblem(409, `product push ${job.id} is ${job.status}; only failed or dead ones are retried`);
    const stamp = clock().toISOString();
    const updated = await deps.store.updateProductPush(job.id, { status: 'pending', attempts: 0, nextAttemptAt: stamp, updatedAt: stamp });
    return reply.code(202).send(updated);
  });
}
