/** `poll.answered` and `feedback.created` reach a subscribed receiver through the running app, signed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../outbound/testing/harness';
import { SIGNATURE_HEADER, verifySignature } from '../outbound/webhooks/signing';
import { startFullApp, type FullApp } from '../server/testing/full-app';

const SECRET = 'staff-voice-hook-secret-1';
let f: FullApp;
let receiver: Receiver;

beforeAll(async () => {
  f = await startFullApp();
  receiver = await startReceiver();
});
afterAll(async () => {
  await f?.close();
  await receiver?.close();
});

describe('staff voice webhooks', () => {
  it('given a subscription to poll.answered and feedback.created, then both arrive signed, an anonymous answer without its author', async () => {
    const sub = await f.post('/api/webhooks/subscriptions', f.admin, { url: `${receiver.url}/hook`, kinds: ['poll.answered', 'feedback.created'], secret: SECRET });
    expect(sub.statusCode, sub.body).toBe(201);
    const manager = await f.tokenFor('manager', ['store-a']);
    const staff = await f.tokenFor('staff', ['store-a'], 'sam');
    const { id: pollId } = (await f.post('/api/polls', manager, { question: 'Anonymous NPS', kind: 'nps', anonymous: true })).json();
    expect((await f.post(`/api/polls/${pollId}/answers`, staff, { value: 8 })).statusCode).toBe(201);
    expect((await f.post('/api/feedback', staff, { category: 'praise', text: 'Love the live stock' })).statusCode).toBe(201);
    await expect.poll(() => receiver.requests.length, { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(2);
    for (const r of receiver.requests) expect(verifySignature(SECRET, r.raw, r.headers[SIGNATURE_HEADER] as string)).toBe(true);
    const byKind = Object.fromEntries(receiver.requests.map((r) => [(r.json as { kind: string }).kind, (r.json as { data: Record<string, unknown> }).data]));
    expect(byKind['poll.answered']).toEqual({ pollId, value: 8, replaced: false, anonymous: true });
    expect(byKind['feedback.created']).toMatchObject({ category: 'praise', text: 'Love the live stock', role: 'staff', locations: ['store-a'] });
  });
});
