/** `location-modes` projection: each location's mode, since when, and who switched it when. */
import type { Projection } from '../projections/runner/projection';
import type { Doc } from '../projections/readstore/port';
import { asDomainEvent } from '../projections/models/model-events';

export const LOCATION_MODES = 'location_modes';
export type LocationModeDoc = Doc & { locationId: string; mode: 'shadow' | 'live'; since: string; history: Array<{ mode: 'shadow' | 'live'; at: string; by: string }>; position: string };

export const locationModeProjection: Projection = {
  name: 'location-modes',
  collections: [LOCATION_MODES],
  indexes: [],
  async apply(recorded, uow) {
    const event = asDomainEvent(recorded);
    if (event?.type !== 'LocationModeChanged') return;
    const { locationId, mode, occurredAt } = event.data;
    const doc = await uow.get<LocationModeDoc>(LOCATION_MODES, locationId);
    const history = [...(doc?.history ?? []), { mode, at: occurredAt, by: recorded.metadata.actor.id }];
    uow.put(LOCATION_MODES, { _id: locationId, locationId, mode, since: occurredAt, history, position: recorded.position.toString() } satisfies LocationModeDoc);
  },
};

/** For the outbound sender: is this location in shadow (push nothing, notify no one)? */
export const shadowCheck = (readStore: { get<T extends Doc>(c: string, id: string): Promise<T | undefined> }) =>
  async (locationId: string): Promise<boolean> => (await readStore.get<LocationModeDoc>(LOCATION_MODES, locationId))?.mode === 'shadow';
