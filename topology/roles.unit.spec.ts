import { describe, expect, it } from 'vitest';
import { RolesError, parseRoles } from './roles';

describe('IMS_ROLES', () => {
  it('defaults to every role', () => {
    expect([...parseRoles(undefined)]).toEqual(['api', 'projector', 'outbound']);
    expect([...parseRoles(' ')]).toEqual(['api', 'projector', 'outbound']);
  });
  it('takes a comma-separated subset', () => {
    expect([...parseRoles('projector, outbound')]).toEqual(['projector', 'outbound']);
  });
  it('refuses an unknown role, naming it', () => {
    expect(() => parseRoles('api,indexer')).toThrow(new RolesError('IMS_ROLES: unknown role "indexer" (use api, projector, outbound)'));
  });
});
