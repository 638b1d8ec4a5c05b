/**
 * Polls through the full app: a manager polls store A, staff of A answer (a changed answer
 * replaces), staff of B never see it, bad answers are 4xx problem+json with nothing stored,
 * results are scoped to the manager's locations, anonymous polls stay aggregates from 5 answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProblem, startFullApp, type FullApp, type Headers } from '../server/testing/full-app';

let f: FullApp;
let managerA: Headers;
let managerB: Headers;
const staffA: Headers[] = [];
let staffB: Headers;
let pollId: string;

const pollEvents = async () => (await f.events()).filter((e) => e.type.startsWith('Poll'));
const results = async (id: string, h: Headers = managerA) => {
  const res = await f.get(`/api/polls/${id}/results?minPosition=${await f.head()}`, h);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

beforeAll(async () => {
  f = await startFullApp();
  managerA = await f.tokenFor('manager', ['store-a'], 'mgr-a');
  managerB = await f.tokenFor('manager', ['store-b'], 'mgr-b');
  for (let i = 0; i < 6; i++) staffA.push(await f.tokenFor('staff', ['store-a'], `staff-a-${i}`));
  staffB = await f.tokenFor('staff', ['store-b'], 'staff-b');
  const created = await f.post('/api/polls', managerA, { question: 'How likely would you recommend Stocktide to a colleague?', kind: 'nps', roles: ['staff'] });
  expect(created.statusCode, created.body).toBe(201);
  pollId = created.json().id;
});
afterAll(async () => {
  await f?.close();
});

describe('polls', () => {
  it('targets the manager\'s own store by default: staff of A see it, staff of B do not', async () => {
    const open = async (h: Headers) => (await f.get(`/api/polls?open=true&minPosition=${await f.head()}`, h)).json().items as Array<{ id: string; locations?: string[] }>;
    expect((await open(staffA[0]!)).map((p) => p.id)).toEqual([pollId]);
    expect((await open(staffA[0]!))[0]!.locations).toEqual(['store-a']);
    expect(await open(staffB)).toEqual([]);
    expect(isProblem(await f.post(`/api/polls/${pollId}/answers`, staffB, { value: 10 }), 403)).toBe(true);
    expect(isProblem(await f.post('/api/polls', managerA, { question: 'B?', kind: 'nps', locations: ['store-b'] }), 403)).toBe(true);
    expect(isProblem(await f.post('/api/polls', staffA[0]!, { question: 'mine?', kind: 'nps' }), 403)).toBe(true);
  });

  it('takes one answer per person: a changed answer replaces the earlier one, the same answer is a repeat', async () => {
    const first = await f.post(`/api/polls/${pollId}/answers`, staffA[0]!, { value: 6 });
    expect(first.statusCode, first.body).toBe(201);
    const changed = await f.post(`/api/polls/${pollId}/answers`, staffA[0]!, { value: 10, comment: 'much better now' });
    expect(changed.json()).toMatchObject({ replaced: true });
    const again = await f.post(`/api/polls/${pollId}/answers`, staffA[0]!, { value: 10, comment: 'much better now' });
    expect(again.json()).toMatchObject({ duplicate: true, position: changed.json().position });
    expect((await f.post(`/api/polls/${pollId}/answers`, staffA[1]!, { value: 3 })).statusCode).toBe(201);
    const r = await results(pollId);
    expect(r).toMatchObject({ answers: 2, score: 0, byLocation: [{ locationId: 'store-a', answers: 2, score: 0 }] });
    expect(r.distribution.find((d: { value: string }) => d.value === '10').count).toBe(1);
    expect(r.distribution.find((d: { value: string }) => d.value === '6').count).toBe(0);
    expect(r.responses.map((x: { comment?: string }) => x.comment)).toContain('much better now');
    expect((await pollEvents()).filter((e) => e.type === 'PollAnswered')).toHaveLength(3);
  });

  it('refuses out-of-range, wrongly typed, oversized and unknown-poll answers with problem+json, storing nothing', async () => {
    const before = await f.head();
    for (const body of [{ value: 11 }, { value: -1 }, { value: 9.5 }, { value: 'ten' }, { value: 9, comment: 'x'.repeat(1001) }, { value: 9, extra: 1 }, {}]) {
      const res = await f.post(`/api/polls/${pollId}/answers`, staffA[2]!, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(isProblem(res, 400)).toBe(true);
    }
    expect(isProblem(await f.post('/api/polls/nope/answers', staffA[2]!, { value: 9 }), 404)).toBe(true);
    expect(isProblem(await f.post('/api/polls', managerA, { question: 'q'.repeat(301), kind: 'nps' }), 400)).toBe(true);
    expect(isProblem(await f.post('/api/polls', managerA, { question: 'Pick', kind: 'single' }), 400)).toBe(true);
    expect(await f.head()).toBe(before);
  });

  it('refuses answers to a closed poll with 409', async () => {
    const soon = new Date(Date.now() + 1500).toISOString();
    const { id } = (await f.post('/api/polls', managerA, { question: 'Quick one?', kind: 'rating', closesAt: soon })).json();
    expect((await f.post(`/api/polls/${id}/answers`, staffA[0]!, { value: 4 })).statusCode).toBe(201);
    await new Promise((r) => setTimeout(r, 1600));
    const before = await f.head();
    const late = await f.post(`/api/polls/${id}/answers`, staffA[1]!, { value: 5 });
    expect(isProblem(late, 409)).toBe(true);
    expect(late.json()).toMatchObject({ code: 'poll-closed' });
    expect(await f.head()).toBe(before);
  });

  it('shows results only to managers of the poll\'s locations (and admins), as JSON or CSV', async () => {
    expect(isProblem(await f.get(`/api/polls/${pollId}/results`, managerB), 403)).toBe(true);
    expect(isProblem(await f.get(`/api/polls/${pollId}/results`, staffA[0]!), 403)).toBe(true);
    expect((await f.get(`/api/polls/${pollId}/results`, f.admin)).statusCode).toBe(200);
    const csv = await f.get(`/api/polls/${pollId}/results`, { ...managerA, accept: 'text/csv' });
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('scope,answers,score,value,count');
    expect(lines).toContain('all,2,0,10,1');
    expect(lines).toContain('store-a,2,0,3,1');
  });

  it('keeps an anonymous poll to aggregates, and only from 5 answers; a repeated poll shows the trend', async () => {
    const { id } = (await f.post('/api/polls', managerA, { question: 'How likely would you recommend Stocktide to a colleague?', kind: 'nps', anonymous: true })).json();
    for (const [i, h] of staffA.slice(0, 4).entries()) expect((await f.post(`/api/polls/${id}/answers`, h, { value: 7 + i })).statusCode).toBe(201);
    expect(await results(id)).toMatchObject({ answers: 4, suppressed: true, distribution: [], byLocation: [] });
    await f.post(`/api/polls/${id}/answers`, staffA[4]!, { value: 10, comment: 'secret-ish remark' });
    const r = await results(id);
    expect(r).toMatchObject({ answers: 5, score: 60, anonymous: true });
    expect(r.responses).toBeUndefined();
    expect(JSON.stringify(r)).not.toContain('secret-ish remark');
    expect(r.trend.map((t: { pollId: string }) => t.pollId)).toEqual([pollId, id]);
    const answered = (await pollEvents()).filter((e) => e.type === 'PollAnswered' && e.data.pollId === id);
    expect(answered.every((e) => String(e.data.respondent).startsWith('anon:') && (e.metadata as { actor: { id: string } }).actor.id === 'anonymous')).toBe(true);
  });
});
