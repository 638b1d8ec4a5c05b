/**
 * Secrets: random tokens (stored as sha256), passwords (argon2id), comparisons that do
 * not leak through timing. Nothing here logs or returns a secret it was not asked for.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';

/** Prefixes make leaked tokens recognisable to secret scanners and tell the two kinds apart. */
export const SESSION_TOKEN_PREFIX = 'sts_';
export const API_TOKEN_PREFIX = 'stk_';

/** 32 random bytes, base64url, with a kind prefix. */
export function newToken(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** The stored form of a random token: sha256 hex. A fast hash suffices for 256-bit secrets. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newTokenId(): string {
  return `tok_${randomBytes(8).toString('hex')}`;
}

/** A password a person can copy from a terminal: 24 base64url characters (144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

// OWASP's argon2id minimum (m=19 MiB, t=2, p=1). `Algorithm` is an ambient const enum: 2 = Argon2id.
const ARGON2ID = 2 as Algorithm;
const argon2Options = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, argon2Options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash never authenticates
  }
}

let dummyHash: Promise<string> | undefined;
/**
 * Verifying against this for unknown users makes "no such user" cost as much as
 * "wrong password", so response time does not reveal which usernames exist.
 */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(generatePassword());
  return dummyHash;
}

/** Equality of two strings in time independent of where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}
