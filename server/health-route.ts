/** `GET /health` (no auth), exactly as CONTRACT.md fixes it, plus `/api/config` for the dashboard. */
import type { FastifyInstance } from 'fastify';
import type { EventStore } from '../write-side/eventstore/port';
import type { ReadStore } from '../projections/readstore/port';
import { CatchUpTracker } from '../projections/runner/catch-up-tracker';

export async function healthRoutes(
  app: FastifyInstance,
  deps: {
    eventStore: EventStore; readStore: ReadStore; currentPosition: () => bigint; currency: string;
    /** Each role this process runs or hosts, and its state (topology/roles.ts). */
    roles?: () => Record<string, string>;
  },
): Promise<void> {
  const catchUp = new CatchUpTracker();
  app.get('/health', {
    config: { access: { public: true } },
    schema: {
      summary: 'Liveness and the stores in use',
      tags: ['operations'],
      response: {
        200: {
          type: 'object',
          required: ['status', 'eventStore', 'readStore', 'position'],
          properties: {
            status: { type: 'string', enum: ['ok'] },
            eventStore: { type: 'string', enum: ['embedded', 'eventstoredb', 'postgres'] },
            readStore: { type: 'string', enum: ['embedded', 'mongodb', 'postgres'] },
            position: { type: 'string' },
            headPosition: { type: 'string' },
            catchUp: {
              type: 'object',
              description: 'How far the read models are behind the log: catching_up from 1,000 events behind (a first start, a rebuilt read store), with the rate and estimated seconds to the head once two /health calls a second apart have measured it',
              required: ['state', 'behind', 'percent'],
              properties: {
                state: { type: 'string', enum: ['catching_up', 'live'] },
                behind: { type: 'string' },
                percent: { type: 'number' },
                eventsPerSecond: { type: 'number' },
                etaSeconds: { type: 'number' },
              },
            },
            roles: {
              type: 'object',
              description: 'Each role this process runs or hosts: active, standby (another instance holds the lease), starting, restarting, stopped',
              additionalProperties: { type: 'string' },
            },
          },
        },
      },
    },
  }, async () => {
    const position = deps.currentPosition();
    const head = await deps.eventStore.headPosition();
    return {
      status: 'ok' as const,
      eventStore: deps.eventStore.kind,
      readStore: deps.readStore.kind === 'mongodb' || deps.readStore.kind === 'postgres' ? deps.readStore.kind : ('embedded' as const),
      position: position.toString(),
      headPosition: head.toString(),
      catchUp: catchUp.observe(position, head),
      ...(deps.roles && { roles: deps.roles() }),
    };
  });

  app.get('/api/config', {
    config: { access: { public: true } },
    schema: {
      summary: 'Settings the dashboard needs before login',
      tags: ['operations'],
      response: { 200: { type: 'object', properties: { currency: { type: 'string' } } } },
    },
  }, async () => ({ currency: deps.currency }));
}
