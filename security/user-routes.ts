/**
 * User administration (admins only). Answers never carry a password hash: handlers map
 * records to views, and the response schemas would drop the field anyway.
 * Any change to a user revokes that user's sessions, so a new role or a disabled account
 * applies from the next request on.
 */
import type { FastifyInstance } from 'fastify';
import { ADMINS, seesCosts } from '../server/http/access';
import { HttpProblem } from '../server/http/problem';
import {
  CreateUser, UpdateUser, UserAnswer, UserList, UsernameParams,
  type CreateUserBody, type UpdateUserBody, type UsernameParamsT,
} from '../schemas/security';
import { IdentityConflict, type IdentityStore, type UserPatch, type UserRecord } from './identity/port';
import { locationsFor } from './roles';
import { hashPassword } from './secrets';
import { recordAudit } from '../audit/record-audit';

export interface UserRouteDeps {
  readonly identity: IdentityStore;
  readonly now: () => Date;
}

export const userView = (u: UserRecord) => ({
  username: u.username, role: u.role, locations: [...u.locations], disabled: u.disabled, createdAt: u.createdAt,
  permissions: [...(u.permissions ?? [])], seesCosts: seesCosts(u),
});

const isActiveAdmin = (u: Pick<UserRecord, 'role' | 'disabled'>): boolean => u.role === 'admin' && !u.disabled;

export async function userRoutes(app: FastifyInstance, deps: UserRouteDeps): Promise<void> {
  const { identity } = deps;
  const access = { roles: ADMINS };

  app.post<{ Body: CreateUserBody }>(
    '/api/users',
    { config: { access }, schema: { body: CreateUser, response: { 201: UserAnswer } } },
    async (request, reply) => {
      const { username, password, role } = request.body;
      const user: UserRecord = {
        username, role, locations: locationsFor(role, request.body.locations), passwordHash: await hashPassword(password),
        disabled: false, createdAt: deps.now().toISOString(),
        ...(request.body.permissions?.length ? { permissions: request.body.permissions } : {}),
      };
      try {
        await identity.createUser(user);
      } catch (e) {
        if (e instanceof IdentityConflict) throw new HttpProblem(409, `user ${username} exists`, { code: 'user-exists' });
        throw e;
      }
      await recordAudit(request, { action: 'user.created', target: `user:${username}`, after: userView(user) });
      return reply.code(201).send({ user: userView(user) });
    },
  );

  app.get('/api/users', { config: { access }, schema: { response: { 200: UserList } } }, async () => ({
    items: (await identity.listUsers()).map(userView),
  }));

  app.patch<{ Params: UsernameParamsT; Body: UpdateUserBody }>(
    '/api/users/:username',
    { config: { access }, schema: { params: UsernameParams, body: UpdateUser, response: { 200: UserAnswer } } },
    async (request) => {
      const { username } = request.params;
      const current = await identity.getUser(username);
      if (!current) throw new HttpProblem(404, `no user ${username}`);
      const body = request.body;
      const role = body.role ?? current.role;
      const patch: UserPatch = {
        role,
        locations: locationsFor(role, body.locations ?? current.locations),
        ...(body.disabled !== undefined && { disabled: body.disabled }),
        ...(body.permissions !== undefined && { permissions: body.permissions }),
        ...(body.password !== undefined && { passwordHash: await hashPassword(body.password) }),
      };
      if (isActiveAdmin(current) && !isActiveAdmin({ role, disabled: patch.disabled ?? current.disabled })) {
        const activeAdmins = (await identity.listUsers()).filter(isActiveAdmin).length;
        if (activeAdmins <= 1) throw new HttpProblem(409, 'this change would leave no enabled admin', { code: 'last-admin' });
      }
      const updated = await identity.updateUser(username, patch);
      if (!updated) throw new HttpProblem(404, `no user ${username}`);
      await identity.deleteSessionsOf(username);
      await recordAudit(request, { action: 'user.updated', target: `user:${username}`, before: userView(current), after: userView(updated), detail: { newPassword: body.password !== undefined } });
      return { user: userView(updated) };
    },
  );
}
