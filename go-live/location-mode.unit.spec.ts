import { describe, it } from 'vitest';
import { BusinessRuleViolation, NotFound } from '../write-side/domain/errors';
import { specFor } from '../catalog/domain/testing';
import { decideSetMode, evolveMode, initialModeState } from './location-mode';

const T = '2024-06-02T12:00:00.000Z';
const modes = specFor(initialModeState, evolveMode);
const changed = (mode: 'shadow' | 'live', previousMode: 'shadow' | 'live') =>
  ({ type: 'LocationModeChanged' as const, data: { locationId: 'S1', mode, previousMode, occurredAt: T, recordedAt: T } });

describe('location mode', () => {
  it('puts a live location in shadow', () => {
    modes().when((s) => decideSetMode({ locationId: 'S1', mode: 'shadow', locationExists: true, now: T }, s)).then([changed('shadow', 'live')]);
  });
  it('takes a shadow location live, and back (undo)', () => {
    modes(changed('shadow', 'live')).when((s) => decideSetMode({ locationId: 'S1', mode: 'live', locationExists: true, now: T }, s)).then([changed('live', 'shadow')]);
    modes(changed('shadow', 'live'), changed('live', 'shadow')).when((s) => decideSetMode({ locationId: 'S1', mode: 'shadow', locationExists: true, now: T }, s)).then([changed('shadow', 'live')]);
  });
  it('refuses going live twice and an unknown location', () => {
    modes(changed('shadow', 'live'), changed('live', 'shadow')).when((s) => decideSetMode({ locationId: 'S1', mode: 'live', locationExists: true, now: T }, s))
      .thenThrows(BusinessRuleViolation, 'already-live');
    modes().when((s) => decideSetMode({ locationId: 'S9', mode: 'shadow', locationExists: false, now: T }, s)).thenThrows(NotFound, 'unknown-location');
  });
});
