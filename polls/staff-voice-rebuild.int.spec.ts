/** `npm run rebuild` holds for the staff voice and audit models: live (in whatever batches) = rebuilt from the log. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuiltBesideLive, startFullApp, type FullApp } from '../server/testing/full-app';

let f: FullApp;
beforeAll(async () => {
  f = await startFullApp();
});
afterAll(async () => {
  await f?.close();
});

describe('staff voice and audit rebuild', () => {
  it('given polls answered and re-answered, feedback triaged and audited actions, when rebuilt, then every model is identical', async () => {
    const staff = await Promise.all([0, 1, 2].map((i) => f.tokenFor('staff', ['store-a'], `s${i}`)));
    const manager = await f.tokenFor('manager', ['store-a']);
    for (const anonymous of [false, true]) {
      const { id } = (await f.post('/api/polls', manager, { question: 'Rate the new scanner', kind: 'rating', anonymous })).json();
      for (const [i, h] of staff.entries()) {
        expect((await f.post(`/api/polls/${id}/answers`, h, { value: 1 + i })).statusCode).toBe(201);
        expect((await f.post(`/api/polls/${id}/answers`, h, { value: 5 - i, comment: 'changed my mind' })).statusCode).toBe(201);
      }
    }
    const { id: feedbackId } = (await f.post('/api/feedback', staff[0]!, { category: 'idea', text: 'Dark mode' })).json();
    expect((await f.post(`/api/feedback/${feedbackId}/status`, manager, { status: 'planned' })).statusCode).toBe(201);
    expect((await f.post('/api/auth/login', {}, { username: 'admin', password: 'wrong-password-123' })).statusCode).toBe(401);
    await f.post('/api/tokens', f.admin, { name: 'x', role: 'analyst' });

    await rebuiltBesideLive(f, async (fresh, report) => {
      expect(report.differences).toEqual([]);
      for (const name of ['polls', 'feedback', 'audit']) expect(Number(report.positions[name])).toBeGreaterThan(0);
      expect((await fresh.find('poll_answers')).length).toBe(6);
      expect((await fresh.find('audit_log')).map((d) => d.action)).toEqual(expect.arrayContaining(['auth.login', 'auth.login_failed', 'token.created']));
    });
  });
});
