import { describe, expect, it } from 'vitest';
import { auditEvent, bag } from './audit-entry';

const NOW = '2026-03-01T10:00:00.000Z';

describe('an audit record', () => {
  it('keeps who, what, where and before/after, stamped with the given time', () => {
    expect(auditEvent({ action: 'user.updated', actor: 'ada', via: 'session', target: 'user:sam', ip: '10.0.0.1', userAgent: 'ua', before: { role: 'staff' }, after: { role: 'manager' } }, NOW))
      .toEqual({
        type: 'AuditRecorded',
        data: { action: 'user.updated', actor: 'ada', via: 'session', target: 'user:sam', ip: '10.0.0.1', userAgent: 'ua', before: { role: 'staff' }, after: { role: 'manager' }, occurredAt: NOW, recordedAt: NOW },
      });
  });
  it('drops secret-like keys at any depth but keeps yes/no flags about them', () => {
    const cleaned = bag({ password: 'p4ss-word-1234', passwordHash: '$argon2id$x', secret: 's', nested: { accessToken: 'EAAA', apiKey: 'k', name: 'n' }, hasAccessToken: true, csrfToken: 'c' });
    expect(cleaned).toEqual({ nested: { name: 'n' }, hasAccessToken: true });
  });
  it('redacts values shaped like our tokens or a bearer header, wherever they are', () => {
    const cleaned = bag({ note: 'used stk_abcdefghijklmnopqrstuvwxyz and Bearer sts_zzzzzzzzzzzzzzzzzzzz' });
    expect(JSON.stringify(cleaned)).not.toMatch(/stk_|sts_/);
  });
  it('bounds keys, items, depth and text so a big record cannot fail its schema', () => {
    const wide = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'x'.repeat(1000)]));
    const cleaned = bag({ ...wide, list: Array.from({ length: 500 }, (_, i) => i), deep: { a: { b: { c: { d: { e: 1 } } } } } });
    expect(Object.keys(cleaned)).toHaveLength(50);
    expect((cleaned.k0 as string).length).toBeLessThanOrEqual(500);
    const deep = bag({ deep: { a: { b: { c: { d: { e: 1 } } } } }, list: Array.from({ length: 500 }, (_, i) => i) });
    expect((deep.list as unknown[]).length).toBe(50);
    expect(JSON.stringify(deep)).toContain('[nested]');
  });
});
