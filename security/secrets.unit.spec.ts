import { describe, expect, it } from 'vitest';
import {
  API_TOKEN_PREFIX, dummyPasswordHash, generatePassword, hashPassword, hashToken, newToken, newTokenId, safeEqual,
  verifyPassword,
} from './secrets';

describe('secrets', () => {
  it('issues distinct prefixed tokens of 256 bits and stores only a sha256', () => {
    const a = newToken(API_TOKEN_PREFIX);
    const b = newToken(API_TOKEN_PREFIX);
    expect(a).not.toBe(b);
    expect(a.startsWith('stk_')).toBe(true);
    expect(Buffer.from(a.slice(4), 'base64url')).toHaveLength(32);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(a)).not.toContain(a.slice(4));
    expect(newTokenId()).toMatch(/^tok_[0-9a-f]{16}$/);
  });

  it('hashes passwords with argon2id and verifies only the right one', async () => {
    const hashed = await hashPassword('correct horse battery');
    expect(hashed.startsWith('$argon2id$')).toBe(true);
    expect(hashed).not.toContain('correct horse');
    expect(await verifyPassword(hashed, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hashed, 'correct horse batterY')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });

  it('the dummy hash is a real argon2id hash that no chosen password matches', async () => {
    const dummy = await dummyPasswordHash();
    expect(dummy.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(dummy, '')).toBe(false);
  });

  it('generates passwords long enough for the 12-character rule', () => {
    expect(generatePassword()).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });

  it('compares strings by value', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
