/**
 * Request and response schemas of the security routes (users, sessions, API tokens).
 * Response schemas list every property explicitly: Fastify serializes answers through
 * them, so a password hash or token hash can never slip into an answer by accident.
 */
import type { FromSchema } from 'json-schema-to-ts';
import { id, name, permissions, role } from './common';
import { Login } from './commands';

export { Login };

const object = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;

/** Lower case only, so "Admin" and "admin" cannot be two different people; never contains ':'. */
export const username = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9._@-]*$' } as const;
/** At least 12 characters (NIST SP 800-63B favours length over composition rules). */
export const password = { type: 'string', minLength: 12, maxLength: 1000 } as const;
export const locations = { type: 'array', maxItems: 1000, uniqueItems: true, items: id } as const;
export const tokenId = { type: 'string', pattern: '^tok_[0-9a-f]{16}$' } as const;

export const CreateUser = object({ username, password, role, locations, permissions }, ['username', 'password', 'role'] as const);

export const UpdateUser = {
  ...object({ role, locations, disabled: { type: 'boolean' }, password, permissions }, [] as const),
  minProperties: 1,
} as const;

export const CreateApiToken = object(
  { name, role, locations, expiresInDays: { type: 'integer', minimum: 1, maximum: 3650 } },
  ['name', 'role'] as const,
);

export const UsernameParams = object({ username }, ['username'] as const);
export const TokenIdParams = object({ id: tokenId }, ['id'] as const);

// ---- answers ----

const stringArray = { type: 'array', items: { type: 'string' } } as const;

export const PublicUser = object(
  {
    username: { type: 'string' }, role: { type: 'string' }, locations: stringArray,
    /** Grants beyond the role (`view_costs`). */
    permissions: stringArray,
    /** Whether answers to this user carry unit costs, values and turnover (role or grant). */
    seesCosts: { type: 'boolean' },
  },
  ['username', 'role', 'locations'] as const,
);

export const UserView = object(
  { ...PublicUser.properties, disabled: { type: 'boolean' }, createdAt: { type: 'string' } },
  ['username', 'role', 'locations', 'disabled', 'createdAt'] as const,
);

export const UserAnswer = object({ user: UserView }, ['user'] as const);
export const UserList = object({ items: { type: 'array', items: UserView } }, ['items'] as const);

export const LoginAnswer = object(
  { token: { type: 'string' }, csrfToken: { type: 'string' }, user: PublicUser, expiresAt: { type: 'string' } },
  ['token', 'csrfToken', 'user', 'expiresAt'] as const,
);

export const MeAnswer = object(
  { user: PublicUser, via: { type: 'string' }, expiresAt: { type: 'string' } },
  ['user', 'via'] as const,
);

export const ApiTokenView = object(
  {
    id: { type: 'string' }, name: { type: 'string' }, username: { type: 'string' }, role: { type: 'string' },
    locations: stringArray, createdAt: { type: 'string' }, expiresAt: { type: 'string' },
    lastUsedAt: { type: 'string' }, revokedAt: { type: 'string' },
  },
  ['id', 'name', 'createdAt'] as const,
);

/** The only answer that ever carries a token's secret: shown once, at creation. */
export const CreatedApiToken = object(
  { ...ApiTokenView.properties, token: { type: 'string' } },
  ['id', 'name', 'createdAt', 'token'] as const,
);

export const ApiTokenList = object({ items: { type: 'array', items: ApiTokenView } }, ['items'] as const);

export const securitySchemas = {
  Login, CreateUser, UpdateUser, CreateApiToken, UsernameParams, TokenIdParams,
  PublicUser, UserView, UserAnswer, UserList, LoginAnswer, MeAnswer, ApiTokenView, CreatedApiToken, ApiTokenList,
} as const;

export type LoginBody = FromSchema<typeof Login>;
export type CreateUserBody = FromSchema<typeof CreateUser>;
export type UpdateUserBody = FromSchema<typeof UpdateUser>;
export type CreateApiTokenBody = FromSchema<typeof CreateApiToken>;
export type UsernameParamsT = FromSchema<typeof UsernameParams>;
export type TokenIdParamsT = FromSchema<typeof TokenIdParams>;
