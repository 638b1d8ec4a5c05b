/**
 * Two `api` processes (as two instances behind a load balancer) share one rate-limit budget:
 * login attempts counted through either are counted together (10 per minute per IP and username
 * by default, security/rate-limits.ts). Embedded: one data directory; PostgreSQL (with
 * `DATABASE_URL`, skipped otherwise): two data directories, one schema.
 * Bounded: 12 requests per case, 127.0.0.1 only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAllChildren, startChildServer } from '../../server/testing/child-server';
import { dropSchema, freshSchema, reportPostgresSkip, testDatabaseUrl } from '../../storage/testing/postgres-test';
import { DEFAULT_RATE_LIMITS } from '../rate-limits';

const dirs: string[] = [];
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'stocktide-rate-shared-'));
  dirs.push(dir);
  return dir;
};
const schema = freshSchema();
afterAll(async () => {
  await killAllChildren();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  if (testDatabaseUrl) await dropSchema(schema);
});
reportPostgresSkip('shared rate-limit budget');

const login = async (url: string, password: string) => {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }),
  });
  return { status: res.status, body: (await res.json()) as { type?: string } };
};

const PASSWORD = 'shared-budget-admin-password-1';

async function oneBudget(first: { dir: string; env: Record<string, string> }, second: { dir: string; env: Record<string, string> }) {
  const a = await startChildServer(first.dir, first.env); // bootstraps the admin first
  const b = await startChildServer(second.dir, second.env);
  const budget = DEFAULT_RATE_LIMITS.loginMax;
  for (let i = 0; i < budget; i += 1) {
    // Alternating: each process alone has seen only half the budget.
    expect((await login(i % 2 === 0 ? a.url : b.url, `wrong-${i}`)).status, `attempt ${i + 1}`).toBe(401);
  }
  const refusedByA = await login(a.url, 'wrong-again');
  expect(refusedByA.status).toBe(429);
  expect(refusedByA.body.type).toBe('urn:stocktide:problem:rate-limited');
  // Even the right password waits for the window: the budget is per IP and username, not per process.
  expect((await login(b.url, PASSWORD)).status).toBe(429);
}

describe('rate limits across api instances', () => {
  it('given two api processes on one data dir, when login attempts alternate between them, then the 11th attempt is refused by either', async () => {
    const dir = newDir();
    const env = { IMS_ROLES: 'api', IMS_ADMIN_PASSWORD: PASSWORD };
    await oneBudget({ dir, env }, { dir, env });
  }, 120_000);

  it.runIf(Boolean(testDatabaseUrl))('given two api processes on PostgreSQL (separate data dirs), the same: one budget', async () => {
    const env = { IMS_ROLES: 'api', IMS_ADMIN_PASSWORD: PASSWORD, DATABASE_URL: `${testDatabaseUrl!}${testDatabaseUrl!.includes('?') ? '&' : '?'}schema=${schema}` };
    await oneBudget({ dir: newDir(), env }, { dir: newDir(), env });
  }, 120_000);
});
