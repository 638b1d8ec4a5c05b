/**
 * The composed app (server/app.ts) for full-stack acceptance tests: built on a temporary data
 * dir with the embedded stores, the bootstrap admin logged in once (argon2 is deliberately
 * slow), and helpers to call the API as any role and to read the event log.
 *
 * Credentials for other roles are API tokens written straight to the identity store: the same
 * bearer path as a session, without an argon2 hash per user.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { SqliteReadStore } from '../../projections/readstore/sqlite-read-store';
import { rebuildAndCompare, type RebuildReport } from '../../projections/runner/rebuild';
import { buildApp, type BuiltApp } from '../app';
import { liveProjections } from '../live-projections';
import type { Role } from '../http/access';
import { API_TOKEN_PREFIX, hashToken, newToken, newTokenId } from '../../security/secrets';

export const FULL_APP_ADMIN_PASSWORD = 'full-app-admin-password-1';

export type Headers = Record<string, string>;

export interface LoggedEvent {
  readonly position: string;
  readonly streamId: string;
  readonly revision: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

export interface FullApp {
  readonly built: BuiltApp;
  readonly app: FastifyInstance;
  readonly dataDir: string;
  /** `Authorization` of the logged-in bootstrap admin (a session token). */
  readonly admin: Headers;
  /** An API token for `role` (scoped roles need `locations`). */
  tokenFor(role: Role, locations?: readonly string[], name?: string): Promise<Headers>;
  /** A user created through `POST /api/users` (admin), logged in: its bearer header. Slow (argon2 twice). */
  createUser(username: string, role: Role, locations?: readonly string[]): Promise<Headers>;
  call(method: InjectOptions['method'], url: string, headers: Headers, body?: unknown): Promise<LightMyRequestResponse>;
  post(url: string, headers: Headers, body?: unknown): Promise<LightMyRequestResponse>;
  get(url: string, headers: Headers): Promise<LightMyRequestResponse>;
  /** Every event from `fromPosition` (inclusive) through `GET /api/events`, all pages. */
  events(fromPosition?: string): Promise<LoggedEvent[]>;
  /** The head of the event log, straight from the event store. */
  head(): Promise<bigint>;
  close(): Promise<void>;
}

export interface FullAppOptions {
  readonly listen?: boolean;
  readonly demo?: boolean;
  /** The app's clock (server/clock.ts); the system clock when absent. */
  readonly clock?: () => Date;
  /** `IMS_API_RATE_LIMIT`: requests per caller per minute (the app's default when absent). */
  readonly apiRateLimit?: number;
}

/** Builds the full app in a fresh temp dir, logs in as admin. Always `close()` it (removes the dir). */
export async function startFullApp(options: FullAppOptions = {}): Promise<FullApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stocktide-full-'));
  const quiet = console.log;
  // installSecurity announces the bootstrap admin on the console; tests need not see it.
  console.log = () => {};
  let built: BuiltApp;
  try {
    built = await buildApp({
      dataDir, adminPassword: FULL_APP_ADMIN_PASSWORD, demo: options.demo ?? false, logger: false,
      listen: options.listen ?? false, port: 0, host: '127.0.0.1',
      ...(options.clock && { clock: options.clock }),
      ...(options.apiRateLimit !== undefined && { apiRateLimit: options.apiRateLimit }),
    });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  } finally {
    console.log = quiet;
  }
  const { app } = built;
  const call = (method: InjectOptions['method'], url: string, headers: Headers, body?: unknown) =>
    app.inject({ method, url, headers, ...(body !== undefined && { payload: body as object }) });

  const login = async (username: string, password: string): Promise<Headers> => {
    const res = await call('POST', '/api/auth/login', {}, { username, password });
    if (res.statusCode !== 200) throw new Error(`login of ${username} failed: ${res.statusCode} ${res.body}`);
    return { authorization: `Bearer ${(res.json() as { token: string }).token}` };
  };
  const admin = await login('admin', FULL_APP_ADMIN_PASSWORD);

  return {
    built, app, dataDir, admin, call,
    post: (url, headers, body) => call('POST', url, headers, body),
    get: (url, headers) => call('GET', url, headers),
    async tokenFor(role, locations = [], name = `${role} token`) {
      const token = newToken(API_TOKEN_PREFIX);
      await built.services.identity.createApiToken({
        id: newTokenId(), name, tokenHash: hashToken(token), role, locations: [...locations], createdAt: new Date().toISOString(),
      });
      return { authorization: `Bearer ${token}` };
    },
    async createUser(username, role, locations) {
      const password = `${username}-password-123`;
      const res = await call('POST', '/api/users', admin, { username, password, role, ...(locations && { locations: [...locations] }) });
      if (res.statusCode !== 201) throw new Error(`creating user ${username} failed: ${res.statusCode} ${res.body}`);
      return login(username, password);
    },
    async events(fromPosition = '1') {
      const all: LoggedEvent[] = [];
      let from: string | undefined = fromPosition;
      while (from !== undefined) {
        const res = await call('GET', `/api/events?fromPosition=${from}&limit=1000`, admin);
        if (res.statusCode !== 200) throw new Error(`GET /api/events failed: ${res.statusCode} ${res.body}`);
        const page = res.json() as { events: LoggedEvent[]; nextPosition?: string };
        all.push(...page.events);
        from = page.nextPosition;
      }
      return all;
    },
    head: () => built.services.eventStore.headPosition(),
    async close() {
      try {
        await built.close();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** `X-IMS-Signature` of a generic POS webhook body (CONTRACT.md, POS integration). */
/**
 * Rebuild = live: once the app's projector has the whole log it is stopped, every live projection
 * is rebuilt into a fresh in-memory store (small pages, so chunk seams are crossed), and `check`
 * gets the fresh store and the comparison with the live one. The fresh store is closed after.
 */
export async function rebuiltBesideLive<T>(f: FullApp, check: (fresh: SqliteReadStore, report: RebuildReport) => Promise<T>, pageSize = 3): Promise<T> {
  const { eventStore, readStore, runner } = f.built.services;
  if (!(await runner.waitForPosition(await eventStore.headPosition(), 5000))) throw new Error('the live projector did not reach the head of the log within 5 s');
  await runner.stop();
  const fresh = new SqliteReadStore({ path: ':memory:' });
  try {
    return await check(fresh, await rebuildAndCompare({ eventStore, live: readStore, fresh, projections: liveProjections, pageSize }));
  } finally {
    await fresh.close();
  }
}

export function genericSignature(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** Asserts-free check used by several suites: is this an RFC 9457 answer with `status`? */
export function isProblem(res: { statusCode: number; headers: Record<string, unknown>; body: string }, status?: number): boolean {
  if (status !== undefined && res.statusCode !== status) return false;
  if (!String(res.headers['content-type']).startsWith('application/problem+json')) return false;
  try {
    return (JSON.parse(res.body) as { status?: unknown }).status === res.statusCode;
  } catch {
    return false;
  }
}
