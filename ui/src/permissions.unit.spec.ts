import { describe, expect, test } from 'vitest';
import type { User } from './api/types';
import { can, selectableLocations, type Capability } from './permissions';

const user = (role: User['role'], locations: string[] = []): User => ({ username: role, role, locations });
const all: Capability[] = ['receive', 'count', 'adjust', 'createTransfer', 'dispatchTransfer', 'receiveTransfer', 'quarantine', 'posHealth', 'onboarding', 'categorize'];

describe('what the dashboard offers', () => {
  test('analysts and auditors are read-only', () => {
    for (const role of ['analyst', 'auditor'] as const) for (const c of all) expect(can(user(role), c)).toBe(false);
  });
  test('an admin may do everything everywhere', () => {
    for (const c of all) expect(can(user('admin'), c, 'any-store')).toBe(true);
  });
  test('staff operate at their own store only and never create or dispatch transfers', () => {
    const staff = user('staff', ['s1']);
    expect(can(staff, 'count', 's1')).toBe(true);
    expect(can(staff, 'count', 's2')).toBe(false);
    expect(can(staff, 'receiveTransfer', 's1')).toBe(true);
    expect(can(staff, 'createTransfer')).toBe(false);
    expect(can(staff, 'dispatchTransfer', 's1')).toBe(false);
    expect(can(staff, 'quarantine')).toBe(false);
  });
  test('a manager dispatches from their locations only', () => {
    const manager = user('manager', ['s1', 'w1']);
    expect(can(manager, 'dispatchTransfer', 'w1')).toBe(true);
    expect(can(manager, 'dispatchTransfer', 's9')).toBe(false);
    expect(can(manager, 'quarantine')).toBe(true);
    expect(can(manager, 'posHealth')).toBe(false); // connection health is the admins' (like the connections)
  });
  test('the go-live flow is for admins and managers only', () => {
    expect(can(user('admin'), 'onboarding')).toBe(true);
    expect(can(user('manager', ['s1']), 'onboarding')).toBe(true);
    for (const role of ['staff', 'analyst', 'auditor'] as const) expect(can(user(role, ['s1']), 'onboarding')).toBe(false);
  });
  test('a product\'s category is set by admins and managers (it scopes their counts), as the server allows', () => {
    expect(can(user('admin'), 'categorize')).toBe(true);
    expect(can(user('manager', ['s1']), 'categorize')).toBe(true);
    for (const role of ['staff', 'analyst', 'auditor'] as const) expect(can(user(role, ['s1']), 'categorize')).toBe(false);
  });
  test('nobody logged in may do anything', () => {
    for (const c of all) expect(can(undefined, c)).toBe(false);
  });
  test('pickable locations follow the scope', () => {
    expect(selectableLocations(user('staff', ['b']), ['a', 'b', 'c'])).toEqual(['b']);
    expect(selectableLocations(user('analyst'), ['a', 'b'])).toEqual(['a', 'b']);
  });
});
