/**
 * API tokens for machines (POS bridges, BI tools, scripts), admins only. A token acts as a
 * role with locations; its secret is in the creation answer and nowhere else, ever.
 */
import { NoBody } from '../schemas/common';
import type { FastifyInstance } from 'fastify';
import { ADMINS } from '../server/http/access';
import { HttpProblem } from '../server/http/problem';
import {
  ApiTokenList, CreateApiToken, CreatedApiToken, TokenIdParams, type CreateApiTokenBody, type TokenIdParamsT,
} from '../schemas/security';
import type { ApiTokenRecord, IdentityStore } from './identity/port';
import { locationsFor } from './roles';
import { API_TOKEN_PREFIX, hashToken, newToken, newTokenId } from './secrets';
import { recordAudit } from '../audit/record-audit';

export interface TokenRouteDeps {
  readonly identity: IdentityStore;
  readonly now: () => Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Everything about a token but its hash. */
export const tokenView = (t: ApiTokenRecord) => ({
  id: t.id, name: t.name, createdAt: t.createdAt,
  ...(t.username !== undefined && { username: t.username }),
  ...(t.role !== undefined && { role: t.role }),
  ...(t.locations !== undefined && { locations: [...t.locations] }),
  ...(t.expiresAt !== undefined && { expiresAt: t.expiresAt }),
  ...(t.lastUsedAt !== undefined && { lastUsedAt: t.lastUsedAt }),
  ...(t.revokedAt !== undefined && { revokedAt: t.revokedAt }),
});

export async function tokenRoutes(app: FastifyInstance, deps: TokenRouteDeps): Promise<void> {
  const { identity } = deps;
  const access = { roles: ADMINS };

  app.post<{ Body: CreateApiTokenBody }>(
    '/api/tokens',
    { config: { access }, schema: { body: CreateApiToken, response: { 201: CreatedApiToken } } },
    async (request, reply) => {
      const { name, role, expiresInDays } = request.body;
      const now = deps.now();
      const token = newToken(API_TOKEN_PREFIX);
      const record: ApiTokenRecord = {
        id: newTokenId(), name, tokenHash: hashToken(token), role, locations: locationsFor(role, request.body.locations),
        createdAt: now.toISOString(),
        ...(expiresInDays !== undefined && { expiresAt: new Date(now.getTime() + expiresInDays * DAY_MS).toISOString() }),
      };
      await identity.createApiToken(record);
      await recordAudit(request, { action: 'token.created', target: `token:${record.id}`, after: tokenView(record) });
      return reply.code(201).send({ ...tokenView(record), token });
    },
  );

  app.get('/api/tokens', { config: { access }, schema: { response: { 200: ApiTokenList } } }, async () => ({
    items: (await identity.listApiTokens()).map(tokenView),
  }));

  app.delete<{ Params: TokenIdParamsT }>(
    '/api/tokens/:id',
    { config: { access }, schema: { params: TokenIdParams, body: NoBody } },
    async (request, reply) => {
      const revoked = await identity.revokeApiToken(request.params.id, deps.now().toISOString());
      if (!revoked) throw new HttpProblem(404, `no token ${request.params.id}`);
      await recordAudit(request, { action: 'token.revoked', target: `token:${request.params.id}` });
      return reply.code(204).send();
    },
  );
}
