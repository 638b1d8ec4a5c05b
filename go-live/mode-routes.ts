/**
 * `POST /api/locations/{id}/mode {"mode":"shadow"|"live","reason"?}` (admin, audited: the event
 * carries who and when; undo = switch back) and `GET /api/locations/{id}/readiness`: the mode,
 * since when, and what the reconciliation that exists found at the last comparisons (open
 * POS discrepancies of the location, with the POS's and our quantities).
 */
import type { FastifyInstance } from 'fastify';
import { COLLECTIONS, type AlertDoc } from '../projections/models/collections';
import type { ReadStore } from '../projections/readstore/port';
import { LocationIdParams, LocationModeAnswer, ReadinessAnswer, ReadinessQuery, SetLocationMode } from '../schemas/go-live';
import type { DomainEvent } from '../schemas/types';
import { assertValidEvent } from '../schemas/validation';
import { actorOf, ADMINS, assertLocationAccess, MANAGERS } from '../server/http/access';
import { HttpProblem } from '../server/http/problem';
import { newId } from '../write-side/commands/ids';
import type { StockCommands } from '../write-side/commands/types';
import { ConcurrencyError, type EventStore } from '../write-side/eventstore/port';
import { locationModeStream } from '../catalog/catalog-events';
import { decideSetMode, evolveMode, initialModeState, type Mode } from './location-mode';
import { LOCATION_MODES, type LocationModeDoc } from './location-mode-projection';
import { OpeningDates } from './opening-date';

export interface ModeRouteDeps {
  readonly commands: StockCommands;
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  readonly currentPosition: () => bigint;
  /** For `?minPosition=`: resolves true once the read models include the position. */
  readonly waitForPosition?: (position: bigint, timeoutMs: number) => Promise<boolean>;
  readonly clock?: () => Date;
}

export async function modeRoutes(app: FastifyInstance, deps: ModeRouteDeps): Promise<void> {
  const clock = deps.clock ?? (() => new Date());
  const dates = new OpeningDates(deps.eventStore);

  app.post<{ Params: { id: string }; Body: { mode: Mode; reason?: string } }>('/api/locations/:id/mode', {
    config: { access: { roles: ADMINS } },
    schema: { tags: ['go-live'], summary: 'Shadow (push nothing to the POS) or live', params: LocationIdParams, body: SetLocationMode, response: { 200: LocationModeAnswer } },
  }, async (request) => {
    const { id } = request.params;
    const stream = locationModeStream(id);
    const locationExists = await deps.commands.locationExists(id);
    for (let attempt = 1; ; attempt++) {
      const recorded = await deps.eventStore.readStream(stream);
      const state = recorded.reduce((s, r) => evolveMode(s, { type: r.type, data: r.data } as DomainEvent), initialModeState());
      const [event] = decideSetMode({ locationId: id, mode: request.body.mode, locationExists, now: clock().toISOString(), ...(request.body.reason && { reason: request.body.reason }) }, state);
      const metadata = { actor: actorOf(request), source: 'api', correlationId: request.id };
      assertValidEvent(event!.type, event!.data, metadata);
      try {
        const result = await deps.eventStore.append(stream, [{ id: newId(), type: event!.type, data: event!.data as Record<string, unknown>, metadata }],
          recorded.length === 0 ? 'no_stream' : recorded.at(-1)!.revision);
        return { locationId: id, mode: request.body.mode, previousMode: state.mode, position: result.position.toString() };
      } catch (error) {
        if (error instanceof ConcurrencyError && attempt < 5) continue;
        throw error;
      }
    }
  });

  app.get<{ Params: { id: string }; Querystring: { minPosition?: string } }>('/api/locations/:id/readiness', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['go-live'], summary: 'Shadow report: mode, days in shadow, differences with the POS at the last comparisons', params: LocationIdParams, querystring: ReadinessQuery, response: { 200: ReadinessAnswer } },
  }, async (request) => {
    const { id } = request.params;
    assertLocationAccess(request, id);
    const { minPosition } = request.query;
    if (minPosition !== undefined && deps.waitForPosition && !(await deps.waitForPosition(BigInt(minPosition), 5000))) {
      throw new HttpProblem(504, `the read models did not reach position ${minPosition} within 5 s`);
    }
    if (!(await deps.commands.locationExists(id))) throw new HttpProblem(404, `unknown location ${id}`);
    const mode = await deps.readStore.get<LocationModeDoc>(LOCATION_MODES, id);
    const alerts = await deps.readStore.find<AlertDoc>(COLLECTIONS.alerts, { where: { locationId: id, alertType: 'pos_discrepancy' } });
    const open = alerts.filter((a) => a.status === 'open');
    const differences = open.map((a) => ({
      sku: a.sku ?? '', at: a.raisedAt,
      ...(typeof a.details?.['posQuantity'] === 'number' && { posQuantity: a.details['posQuantity'] }),
      ...(typeof a.details?.['ourQuantity'] === 'number' && { ourQuantity: a.details['ourQuantity'] }),
      ...(typeof a.details?.['difference'] === 'number' && { difference: a.details['difference'] }),
      ...(typeof a.details?.['connectionId'] === 'string' && { connectionId: a.details['connectionId'] }),
      ...(typeof a.details?.['posEventId'] === 'string' && { posEventId: a.details['posEventId'] }),
    }));
    const lastAt = alerts.map((a) => a.clearedAt ?? a.raisedAt).sort().at(-1);
    const since = mode?.since;
    const openingAsOf = await dates.of(id);
    return {
      locationId: id, mode: mode?.mode ?? 'live',
      ...(since && { since }),
      ...(openingAsOf && { openingAsOf }),
      ...(mode?.mode === 'shadow' && since && { daysInShadow: Math.round(((clock().getTime() - Date.parse(since)) / 86_400_000) * 10) / 10 }),
      lastComparison: {
        ...(lastAt && { at: lastAt }),
        skusDiffering: differences.length,
        unitsDiffering: differences.reduce((sum, d) => sum + Math.abs(d.difference ?? 0), 0),
      },
      differences,
      history: mode?.history ?? [],
      position: deps.currentPosition().toString(),
    };
  });
}
