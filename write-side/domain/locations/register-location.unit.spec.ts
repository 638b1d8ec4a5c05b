import { describe, it } from 'vitest';
import { BusinessRuleViolation } from '../errors';
import { given } from '../testing/spec';
import { T0, locationRegistered } from '../testing/fixtures';

describe('registering a location', () => {
  it('records the location', () => {
    given().when({ type: 'RegisterLocation', locationId: 'A', name: 'Shop A', locationType: 'store', now: T0 })
      .then([locationRegistered('A')]);
  });

  it('refuses an id that is already registered', () => {
    given(locationRegistered('A'))
      .when({ type: 'RegisterLocation', locationId: 'A', name: 'Other', locationType: 'warehouse', now: T0 })
      .thenThrows(BusinessRuleViolation, 'location-exists');
  });
});
