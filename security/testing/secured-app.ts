/**
 * A small Fastify app with the real security plugin on an in-memory identity store, a
 * settable clock and captured logs: for the security tests, and for anyone who wants to
 * test routes behind the real authentication.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { createFastify } from '../../server/http/fastify-base';
import type { Role } from '../../server/http/access';
import { SqliteIdentityStore } from '../identity/sqlite-identity-store';
import type { IdentityStore } from '../identity/port';
import { installSecurity, type SecurityConfig } from '../install-security';
import { hashPassword } from '../secrets';

export const TEST_ADMIN_PASSWORD = 'admin-password-for-tests-1';

export interface SecuredApp {
  readonly app: FastifyInstance;
  readonly identity: IdentityStore;
  readonly clock: { now: Date; advance(ms: number): void };
  /** Every line pino wrote (level trace): searched for secrets by the tests. */
  readonly requestLog: string[];
  /** Messages installSecurity printed through deps.log. */
  readonly securityLog: string[];
  close(): Promise<void>;
}

export interface SecuredAppOptions {
  readonly config?: SecurityConfig;
  readonly identity?: IdentityStore;
  /** Registered after installSecurity, like the capabilities in server/app.ts. */
  readonly routes?: (app: FastifyInstance) => void | Promise<void>;
}

export async function createSecuredApp(options: SecuredAppOptions = {}): Promise<SecuredApp> {
  const requestLog: string[] = [];
  const securityLog: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      requestLog.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = createFastify({ logger: { level: 'trace', stream } });
  const identity = options.identity ?? new SqliteIdentityStore(':memory:');
  const clock = {
    now: new Date('2025-03-01T09:00:00.000Z'),
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  // The bootstrap admin is seeded with a cached hash: argon2 is deliberately slow, and every test builds an app.
  if (!options.identity && options.config?.adminPassword === undefined) {
    await identity.createUser({
      username: 'admin', role: 'admin', locations: [], passwordHash: await cachedHash(TEST_ADMIN_PASSWORD), disabled: false,
      createdAt: '2025-01-01T00:00:00.000Z',
    });
  }
  await installSecurity(app, {
    identity,
    config: { adminPassword: TEST_ADMIN_PASSWORD, ...options.config },
    log: (message) => securityLog.push(message),
    now: () => clock.now,
  });
  await options.routes?.(app);
  await app.ready();
  return {
    app, identity, clock, requestLog, securityLog,
    async close() {
      await app.close();
      await identity.close();
    },
  };
}

const hashes = new Map<string, Promise<string>>();
function cachedHash(password: string): Promise<string> {
  let hashed = hashes.get(password);
  if (!hashed) {
    hashed = hashPassword(password);
    hashes.set(password, hashed);
  }
  return hashed;
}

/** Adds a user straight to the store (faster than going through the API in set-ups). */
export async function addUser(identity: IdentityStore, username: string, role: Role, locations: string[] = [], password = `${username}-password-123`): Promise<string> {
  await identity.createUser({
    username, role, locations, passwordHash: await cachedHash(password), disabled: false, createdAt: '2025-01-01T00:00:00.000Z',
  });
  return password;
}

export interface LoggedIn {
  readonly token: string;
  readonly csrfToken: string;
  readonly bearer: Record<string, string>;
}

export async function login(app: FastifyInstance, username: string, password: string): Promise<LoggedIn> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login of ${username} failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as { token: string; csrfToken: string };
  return { token: body.token, csrfToken: body.csrfToken, bearer: { authorization: `Bearer ${body.token}` } };
}
