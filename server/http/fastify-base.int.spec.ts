import { describe, expect, it } from 'vitest';
import { NoBody } from '../../schemas/common';
import { CancelTransfer } from '../../schemas/commands';
import { createFastify } from './fastify-base';

async function appWith(schema: object) {
  const app = createFastify({ logger: false });
  app.post('/x', { schema: { body: schema } }, async (request) => ({ body: request.body }));
  await app.ready();
  return app;
}
const post = (app: Awaited<ReturnType<typeof appWith>>, payload?: string) =>
  app.inject({ method: 'POST', url: '/x', ...(payload !== undefined && { payload, headers: { 'content-type': 'application/json' } }) });

describe('bodies of routes that require nothing', () => {
  it('given no body, then the handler sees {} and the schema still applies', async () => {
    const app = await appWith(NoBody);
    const res = await post(app);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ body: {} });
  });

  it('given a stray body on a route that takes none, then it is a 400 problem', async () => {
    const app = await appWith(NoBody);
    const res = await post(app, '{"isAdmin":true}');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('given a JSON null, then it is a bad body, never "everything"', async () => {
    const app = await appWith(CancelTransfer);
    expect((await post(app, 'null')).statusCode).toBe(400);
    expect((await post(app, '{"reason":"wrong truck"}')).json()).toEqual({ body: { reason: 'wrong truck' } });
  });
});
