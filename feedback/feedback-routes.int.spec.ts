/** Feedback through the full app: staff send it, their store's manager triages it, the author sees the status. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProblem, startFullApp, type FullApp, type Headers } from '../server/testing/full-app';

let f: FullApp;
let staffA: Headers;
let staffB: Headers;
let managerA: Headers;
let managerB: Headers;
const list = async (h: Headers, query = '') => (await f.get(`/api/feedback?minPosition=${await f.head()}${query}`, h)).json().items as Array<Record<string, unknown>>;

beforeAll(async () => {
  f = await startFullApp();
  staffA = await f.tokenFor('staff', ['store-a'], 'staff-a');
  staffB = await f.tokenFor('staff', ['store-b'], 'staff-b');
  managerA = await f.tokenFor('manager', ['store-a'], 'mgr-a');
  managerB = await f.tokenFor('manager', ['store-b'], 'mgr-b');
});
afterAll(async () => {
  await f?.close();
});

describe('feedback', () => {
  it('goes from staff of A to the triage list of A\'s manager, and its status back to the author', async () => {
    const text = 'Scanner <script>alert(1)</script> freezes on the count screen';
    const sent = await f.post('/api/feedback', staffA, { category: 'bug', text, screen: 'count', appVersion: '0.1.0' });
    expect(sent.statusCode, sent.body).toBe(201);
    const { id } = sent.json();
    const triage = await list(managerA);
    expect(triage).toEqual([expect.objectContaining({ id, category: 'bug', text, screen: 'count', appVersion: '0.1.0', status: 'new', locations: ['store-a'] })]);
    expect(await list(managerB)).toEqual([]);
    expect(await list(staffB)).toEqual([]);
    expect(isProblem(await f.post(`/api/feedback/${id}/status`, managerB, { status: 'planned' }), 403)).toBe(true);
    expect(isProblem(await f.post(`/api/feedback/${id}/status`, staffA, { status: 'planned' }), 403)).toBe(true);
    expect((await f.post(`/api/feedback/${id}/status`, managerA, { status: 'planned', note: 'next sprint' })).statusCode).toBe(201);
    expect(await list(staffA)).toEqual([expect.objectContaining({ id, status: 'planned', note: 'next sprint', triagedBy: expect.any(String) })]);
    expect((await f.post(`/api/feedback/${id}/status`, managerA, { status: 'done' })).statusCode).toBe(201);
    const back = await f.post(`/api/feedback/${id}/status`, managerA, { status: 'new' });
    expect(isProblem(back, 409)).toBe(true);
    expect((await f.events()).filter((e) => e.type.startsWith('Feedback')).map((e) => e.type))
      .toEqual(['FeedbackSubmitted', 'FeedbackStatusChanged', 'FeedbackStatusChanged']);
  });

  it('refuses bad categories, empty or oversized text and unknown fields with 400, storing nothing', async () => {
    const before = await f.head();
    for (const body of [{ category: 'rant', text: 'x' }, { category: 'idea', text: '' }, { category: 'idea', text: 'x'.repeat(2001) }, { category: 'idea', text: 'x', author: 'ceo' }]) {
      expect(isProblem(await f.post('/api/feedback', staffA, body), 400), JSON.stringify(body).slice(0, 60)).toBe(true);
    }
    expect(isProblem(await f.post('/api/feedback/nope/status', managerA, { status: 'done' }), 404)).toBe(true);
    expect(isProblem(await f.post('/api/feedback/nope/status', managerA, { status: 'closed' }), 400)).toBe(true);
    expect(await f.head()).toBe(before);
  });
});
