/** `event: poll` on GET /api/stream: a manager of the store sees answers arrive; staff and other stores' managers do not. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFullApp, type FullApp, type Headers } from '../server/testing/full-app';
import { openSse, type SseConnection } from '../server/testing/sse-client';

let f: FullApp;
const open: SseConnection[] = [];
const connect = async (headers: Headers) => {
  const c = await openSse(`${f.built.url}/api/stream`, headers);
  open.push(c);
  expect(c.status).toBe(200);
  return c;
};

beforeAll(async () => {
  f = await startFullApp({ listen: true });
});
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});
afterAll(async () => {
  await f?.close();
});

describe('live poll results', () => {
  it('given a manager of store A listening, when staff of A answers, then an `event: poll` arrives after the answer is readable', async () => {
    const managerA = await f.tokenFor('manager', ['store-a']);
    const managerB = await f.tokenFor('manager', ['store-b']);
    const staffA = await f.tokenFor('staff', ['store-a']);
    const { id } = (await f.post('/api/polls', managerA, { question: 'Live?', kind: 'nps' })).json();
    const watching = await connect(managerA);
    const other = await connect(managerB);
    const colleague = await connect(staffA);
    const answered = await f.post(`/api/polls/${id}/answers`, staffA, { value: 9 });
    expect(answered.statusCode).toBe(201);
    const event = await watching.waitFor((e) => e.event === 'poll' && e.data.pollId === id);
    expect(event).toMatchObject({ id: answered.json().position, data: { pollId: id, locations: ['store-a'], position: answered.json().position } });
    // Published after the read models include it: the results already count the answer.
    expect((await f.get(`/api/polls/${id}/results`, managerA)).json()).toMatchObject({ answers: 1, score: 100 });
    await new Promise((r) => setTimeout(r, 300));
    expect(other.events.some((e) => e.event === 'poll')).toBe(false);
    expect(colleague.events.some((e) => e.event === 'poll')).toBe(false);
  });
});
