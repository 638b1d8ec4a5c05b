import { describe, expect, it } from 'vitest';
import { createFastify } from '../server/http/fastify-base';
import { SqliteIdentityStore } from './identity/sqlite-identity-store';
import { installSecurity } from './install-security';

async function start(identity: SqliteIdentityStore, adminPassword?: string) {
  const messages: string[] = [];
  const app = createFastify({ logger: false });
  await installSecurity(app, { identity, config: { adminPassword }, log: (m) => messages.push(m) });
  await app.ready();
  const loginAs = (password: string) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password } });
  return { app, messages, loginAs };
}

describe('bootstrap admin', () => {
  it('given an empty store and IMS_ADMIN_PASSWORD, then admin logs in with it and the password is not printed', async () => {
    const identity = new SqliteIdentityStore(':memory:');
    const { app, messages, loginAs } = await start(identity, 'configured-admin-secret');
    expect((await loginAs('configured-admin-secret')).statusCode).toBe(200);
    expect(messages.join('\n')).not.toContain('configured-admin-secret');
    await app.close();
    await identity.close();
  });

  it('given an empty store and no password, then a random one is printed exactly once and works; no default exists', async () => {
    const identity = new SqliteIdentityStore(':memory:');
    const first = await start(identity);
    expect(first.messages.join('\n')).toMatch(/generated password [A-Za-z0-9_-]{24}\n/);
    const generated = /generated password ([A-Za-z0-9_-]{24})/.exec(first.messages.join('\n'))![1]!;
    expect((await first.loginAs(generated)).statusCode).toBe(200);
    for (const guess of ['admin', 'password', 'changeme', 'admin123']) {
      expect((await first.loginAs(guess)).statusCode).toBe(401);
    }
    await first.app.close();

    // Second start on the same store: nothing printed, nothing reset, even with a password configured.
    const second = await start(identity, 'a-later-configured-password');
    expect(second.messages).toEqual([]);
    expect((await second.loginAs(generated)).statusCode).toBe(200);
    expect((await second.loginAs('a-later-configured-password')).statusCode).toBe(401);
    await second.app.close();
    await identity.close();
  });

  it('two random starts generate different passwords', async () => {
    const passwords: string[] = [];
    for (let i = 0; i < 2; i++) {
      const identity = new SqliteIdentityStore(':memory:');
      const { app, messages } = await start(identity);
      passwords.push(/generated password (\S+)/.exec(messages.join('\n'))![1]!);
      await app.close();
      await identity.close();
    }
    expect(passwords[0]).not.toBe(passwords[1]);
  });
});
