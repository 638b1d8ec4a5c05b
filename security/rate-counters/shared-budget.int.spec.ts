/**
 * Two `api` processes on one data directory (as two instances behind a load balancer) share one
 * rate-limit budget: login attempts counted through either are counted together
 * (10 per minute per IP and username by default, security/rate-limits.ts).
 * Bounded: 12 requests, 127.0.0.1 only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAllChildren, startChildServer } from '../../server/testing/child-server';
import { DEFAULT_RATE_LIMITS } from '../rate-limits';

const dir = mkdtempSync(join(tmpdir(), 'stocktide-rate-shared-'));
afterAll(async () => {
  await killAllChildren();
  rmSync(dir, { recursive: true, force: true });
});

const login = async (url: string, password: string) => {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }),
  });
  return { status: res.status, body: (await res.json()) as { type?: string } };
};

describe('rate limits across api instances', () => {
  it('given two api processes, when login attempts alternate between them, then the 11th attempt is refused by either', async () => {
    const env = { IMS_ROLES: 'api', IMS_ADMIN_PASSWORD: 'shared-budget-admin-password-1' };
    const a = await startChildServer(dir, env); // bootstraps the admin first
    const b = await startChildServer(dir, env);
    const budget = DEFAULT_RATE_LIMITS.loginMax;
    for (let i = 0; i < budget; i += 1) {
      // Alternating: each process alone has seen only half the budget.
      expect((await login(i % 2 === 0 ? a.url : b.url, `wrong-${i}`)).status, `attempt ${i + 1}`).toBe(401);
    }
    const refusedByA = await login(a.url, 'wrong-again');
    expect(refusedByA.status).toBe(429);
    expect(refusedByA.body.type).toBe('urn:stocktide:problem:rate-limited');
    // Even the right password waits for the window: the budget is per IP and username, not per process.
    expect((await login(b.url, 'shared-budget-admin-password-1')).status).toBe(429);
  }, 60_000);
});
