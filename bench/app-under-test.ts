/**
 * The real application for end-to-end benchmarks, as `npm start` runs it (`startRoles`: the api
 * on this thread, the projector and the outbound sender in worker threads), listening on
 * 127.0.0.1 with a free port, embedded stores in a temp directory, the demo chain seeded,
 * logging off, and an admin token. `close()` stops it and removes the directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuiltApp } from '../server/app';
import { loadConfig } from '../server/config';
import { liveProjections } from '../server/live-projections';
import { startRoles, type StartedProcess } from '../server/start-roles';

export interface AppUnderTest {
  /** `http://127.0.0.1:port` */
  readonly origin: string;
  readonly built: BuiltApp;
  /** `Authorization` header value of the bootstrap admin. */
  readonly bearer: string;
  /** A JSON request as the admin; throws unless 2xx. */
  adminPost(path: string, body: unknown): Promise<unknown>;
  /** Stops the app; `keep` then sees its data directory (e.g. to copy the log) before it is removed. */
  close(keep?: (dataDir: string) => void): Promise<void>;
}

const PASSWORD = 'bench-admin-password-0123';

/** `databaseUrl`: the app on PostgreSQL (`?schema=` of its own) instead of embedded stores. */
export async function startAppUnderTest(options: { databaseUrl?: string; appendInWorker?: boolean } = {}): Promise<AppUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stocktide-bench-app-'));
  let started: StartedProcess | undefined;
  try {
    const config = loadConfig({ IMS_DATA_DIR: dataDir, IMS_ADMIN_PASSWORD: PASSWORD, IMS_DEMO: '1', PORT: '0', HOST: '127.0.0.1', ...(options.databaseUrl && { DATABASE_URL: options.databaseUrl }) });
    started = await startRoles(config, { logger: false, log: () => undefined, ...(options.appendInWorker !== undefined && { appendInWorker: options.appendInWorker }) });
    const built = started.api!;
    const process = started;
    const origin = built.url;
    const login = await fetch(`${origin}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`login answered ${login.status}: ${await login.text()}`);
    const bearer = `Bearer ${((await login.json()) as { token: string }).token}`;
    return {
      origin, built, bearer,
      async adminPost(path, body) {
        const res = await fetch(`${origin}${path}`, {
          method: 'POST', headers: { 'content-type': 'application/json', authorization: bearer }, body: JSON.stringify(body),
        });
        const text = await res.text();
        if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${text}`);
        return text === '' ? undefined : JSON.parse(text);
      },
      async close(keep) {
        await process.close();
        try {
          keep?.(dataDir);
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await started?.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** How many events the slowest live projection is behind the head of the log. */
export async function projectorLag(app: AppUnderTest): Promise<bigint> {
  const { eventStore, readStore } = app.built.services;
  const head = await eventStore.headPosition();
  const checkpoints = await Promise.all(liveProjections.map((p) => readStore.checkpoint(p.name)));
  return checkpoints.reduce((lag, c) => (head - c > lag ? head - c : lag), 0n);
}

/** The projections' read position has reached the head of the log (bounded: a stuck projector fails the check later). */
export async function projectorCaughtUp(app: AppUnderTest, { withinMs = 30_000, pollMs = 10 } = {}): Promise<void> {
  for (const until = Date.now() + withinMs; Date.now() < until;) {
    if ((await projectorLag(app)) === 0n) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
