/**
 * The one contract every IdentityStore adapter passes (STYLE.md #4). Each adapter's
 * `*.int.spec.ts` calls `identityStoreContract` with a factory for a fresh, empty store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IdentityConflict, type ApiTokenRecord, type IdentityStore, type UserRecord } from './port';

export interface StoreUnderTest {
  store: IdentityStore;
  cleanup: () => Promise<void>;
}

const user = (username: string, extra: Partial<UserRecord> = {}): UserRecord => ({
  username, role: 'manager', locations: ['store-a'], passwordHash: `$argon2id$fake-${username}`,
  disabled: false, createdAt: '2025-01-01T00:00:00.000Z', ...extra,
});

const token = (id: string, extra: Partial<ApiTokenRecord> = {}): ApiTokenRecord => ({
  id, name: `token ${id}`, tokenHash: `hash-${id}`, role: 'analyst', locations: [],
  createdAt: '2025-01-01T00:00:00.000Z', ...extra,
});

export function identityStoreContract(adapter: string, open: () => Promise<StoreUnderTest>): void {
  describe(`IdentityStore contract: ${adapter}`, () => {
    let sut: StoreUnderTest;
    let store: IdentityStore;
    beforeEach(async () => {
      sut = await open();
      store = sut.store;
    });
    afterEach(async () => {
      await sut.cleanup();
    });

    describe('users', () => {
      it('given no users, when one is created, then it reads back exactly and is counted', async () => {
        expect(await store.countUsers()).toBe(0);
        await store.createUser(user('ann', { locations: ['store-a', 'store-b'] }));
        expect(await store.countUsers()).toBe(1);
        expect(await store.getUser('ann')).toEqual(user('ann', { locations: ['store-a', 'store-b'] }));
        expect(await store.getUser('bob')).toBeUndefined();
      });

      it('given a user, when the same username is created again, then IdentityConflict and the first is kept', async () => {
        await store.createUser(user('ann'));
        await expect(store.createUser(user('ann', { role: 'admin' }))).rejects.toBeInstanceOf(IdentityConflict);
        expect((await store.getUser('ann'))?.role).toBe('manager');
      });

      it('lists users ordered by username', async () => {
        await store.createUser(user('carl'));
        await store.createUser(user('ann'));
        await store.createUser(user('bob', { role: 'admin', locations: [] }));
        expect((await store.listUsers()).map((u) => u.username)).toEqual(['ann', 'bob', 'carl']);
      });

      it('given a user, when patched, then only the patched fields change', async () => {
        await store.createUser(user('ann'));
        const updated = await store.updateUser('ann', { disabled: true, locations: ['store-c'] });
        expect(updated).toEqual(user('ann', { disabled: true, locations: ['store-c'] }));
        expect(await store.getUser('ann')).toEqual(updated);
        expect(await store.updateUser('nobody', { disabled: true })).toBeUndefined();
      });

      it('given a user, when granted view_costs and later revoked, then the grant reads back and goes', async () => {
        await store.createUser(user('ann', { role: 'staff' }));
        expect(await store.updateUser('ann', { permissions: ['view_costs'] })).toEqual(user('ann', { role: 'staff', permissions: ['view_costs'] }));
        expect(await store.getUser('ann')).toEqual(user('ann', { role: 'staff', permissions: ['view_costs'] }));
        expect(await store.updateUser('ann', { permissions: [] })).toEqual(user('ann', { role: 'staff' }));
        await store.createUser(user('bob', { role: 'staff', permissions: ['view_costs'] }));
        expect((await store.getUser('bob'))?.permissions).toEqual(['view_costs']);
      });

      it('refuses a query operator object where a username belongs', async () => {
        await store.createUser(user('ann'));
        const hostile = { $ne: null } as unknown as string;
        await expect(store.getUser(hostile)).rejects.toThrow(TypeError);
        await expect(store.updateUser(hostile, { role: 'admin' })).rejects.toThrow(TypeError);
        expect((await store.getUser('ann'))?.role).toBe('manager');
      });
    });

    describe('sessions', () => {
      const session = (tokenHash: string, username: string, expiresAt: string) => ({
        tokenHash, username, expiresAt, csrfToken: `csrf-${tokenHash}`, createdAt: '2025-01-01T00:00:00.000Z',
      });

      it('given a session, when found by its hash, then it reads back; when deleted, then it is gone', async () => {
        await store.createSession(session('h1', 'ann', '2025-01-01T12:00:00.000Z'));
        expect(await store.findSession('h1')).toEqual(session('h1', 'ann', '2025-01-01T12:00:00.000Z'));
        await store.deleteSession('h1');
        expect(await store.findSession('h1')).toBeUndefined();
      });

      it("when a user's sessions are revoked, then only that user's sessions go", async () => {
        await store.createSession(session('h1', 'ann', '2999-01-01T00:00:00.000Z'));
        await store.createSession(session('h2', 'ann', '2999-01-01T00:00:00.000Z'));
        await store.createSession(session('h3', 'bob', '2999-01-01T00:00:00.000Z'));
        expect(await store.deleteSessionsOf('ann')).toBe(2);
        expect(await store.findSession('h1')).toBeUndefined();
        expect(await store.findSession('h3')).toBeDefined();
      });

      it('removes sessions that expired at or before now, and keeps the others', async () => {
        await store.createSession(session('old', 'ann', '2025-01-01T00:00:00.000Z'));
        await store.createSession(session('edge', 'ann', '2025-01-02T00:00:00.000Z'));
        await store.createSession(session('new', 'ann', '2999-01-01T00:00:00.000Z'));
        await store.deleteExpiredSessions(new Date('2025-01-02T00:00:00.000Z'));
        expect(await store.findSession('old')).toBeUndefined();
        expect(await store.findSession('edge')).toBeUndefined();
        expect(await store.findSession('new')).toBeDefined();
      });
    });

    describe('API tokens', () => {
      it('given role and user tokens, when found by hash or id, then they read back without extra fields', async () => {
        await store.createApiToken(token('tok_0000000000000001', { locations: ['store-a'], role: 'staff' }));
        const bound: ApiTokenRecord = {
          id: 'tok_0000000000000002', name: 'bound', tokenHash: 'hash-2', username: 'ann', createdAt: '2025-01-02T00:00:00.000Z',
          expiresAt: '2025-02-01T00:00:00.000Z',
        };
        await store.createApiToken(bound);
        expect(await store.findApiToken('hash-tok_0000000000000001')).toEqual(
          token('tok_0000000000000001', { locations: ['store-a'], role: 'staff' }),
        );
        expect(await store.getApiToken('tok_0000000000000002')).toEqual(bound);
        expect(await store.findApiToken('no-such-hash')).toBeUndefined();
      });

      it('rejects a second token with the same id or the same hash', async () => {
        await store.createApiToken(token('tok_a'));
        await expect(store.createApiToken(token('tok_a', { tokenHash: 'other' }))).rejects.toBeInstanceOf(IdentityConflict);
        await expect(store.createApiToken(token('tok_b', { tokenHash: 'hash-tok_a' }))).rejects.toBeInstanceOf(IdentityConflict);
      });

      it('lists tokens by creation time; revoking keeps the first revocation time; touching records use', async () => {
        await store.createApiToken(token('tok_b', { createdAt: '2025-01-02T00:00:00.000Z' }));
        await store.createApiToken(token('tok_a', { createdAt: '2025-01-03T00:00:00.000Z' }));
        expect((await store.listApiTokens()).map((t) => t.id)).toEqual(['tok_b', 'tok_a']);

        expect(await store.revokeApiToken('tok_b', '2025-02-01T00:00:00.000Z')).toBe(true);
        expect(await store.revokeApiToken('tok_b', '2025-03-01T00:00:00.000Z')).toBe(true);
        expect(await store.revokeApiToken('tok_zzz', '2025-03-01T00:00:00.000Z')).toBe(false);
        expect((await store.getApiToken('tok_b'))?.revokedAt).toBe('2025-02-01T00:00:00.000Z');

        await store.touchApiToken('tok_a', '2025-02-02T00:00:00.000Z');
        expect((await store.getApiToken('tok_a'))?.lastUsedAt).toBe('2025-02-02T00:00:00.000Z');
        expect((await store.getApiToken('tok_a'))?.revokedAt).toBeUndefined();
      });
    });
  });
}
