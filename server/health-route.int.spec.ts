import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReadStore } from '../projections/readstore/port';
import type { EventStore } from '../write-side/eventstore/port';
import { healthRoutes } from './health-route';

describe('GET /health while the read models catch up', () => {
  const apps: Array<ReturnType<typeof Fastify>> = [];
  afterEach(async () => { for (const app of apps.splice(0)) await app.close(); });

  const serve = async (state: { position: bigint; head: bigint }) => {
    const app = Fastify();
    apps.push(app);
    const eventStore = { kind: 'embedded', headPosition: async () => state.head } as unknown as EventStore;
    const readStore = { kind: 'sqlite' } as unknown as ReadStore;
    await healthRoutes(app, { eventStore, readStore, currentPosition: () => state.position, currency: 'USD' });
    return async () => (await app.inject({ method: 'GET', url: '/health' })).json() as Record<string, unknown>;
  };

  it('given read models far behind the log, then it answers catching_up with events behind and the share done, then the rate', async () => {
    const state = { position: 250_000n, head: 1_000_000n };
    const health = await serve(state);
    expect(await health()).toMatchObject({
      status: 'ok', position: '250000', headPosition: '1000000', catchUp: { state: 'catching_up', behind: '750000', percent: 25 },
    });
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    state.position = 300_000n;
    const later = (await health()).catchUp as Record<string, number>;
    expect(later).toMatchObject({ state: 'catching_up', behind: '700000', percent: 30 });
    expect(later.eventsPerSecond).toBeGreaterThan(20_000);
    expect(later.eventsPerSecond).toBeLessThanOrEqual(50_000);
    expect(later.etaSeconds).toBe(Math.ceil(700_000 / later.eventsPerSecond!));
  });

  it('given read models at the head, then it answers live', async () => {
    const health = await serve({ position: 42n, head: 42n });
    expect((await health()).catchUp).toEqual({ state: 'live', behind: '0', percent: 100 });
  });
});
