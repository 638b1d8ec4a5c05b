import type { DomainEvent } from '../../../schemas/types';
import type { RegisterLocationCommand } from '../commands';
import { BusinessRuleViolation } from '../errors';
import { stampedAt } from '../time';
import type { LocationState } from './location-state';

/** A location id is registered once (its stream is appended with `no_stream`). */
export function decideRegisterLocation(cmd: RegisterLocationCommand, location: LocationState): DomainEvent[] {
  if (location.registered) throw new BusinessRuleViolation(`location ${cmd.locationId} already exists`, 'location-exists');
  return [{
    type: 'LocationRegistered',
    data: { locationId: cmd.locationId, name: cmd.name, locationType: cmd.locationType, ...stampedAt(cmd.now) },
  }];
}
