/** Which locations a read may cover: the principal's scope narrowed by an optional filter. */
import type { Range, Scalar } from '../readstore/port';

export type LocationScope = 'all' | readonly string[];

/** A `where` clause value for `locationId`, or undefined when every location is visible. */
export function locationCondition(scope: LocationScope, locationId?: string): Scalar | Range | undefined {
  if (locationId !== undefined) return locationId;
  return scope === 'all' ? undefined : { in: [...scope] };
}

export const inScope = (scope: LocationScope, locationId: string): boolean => scope === 'all' || scope.includes(locationId);

/** Builds a `where` object, leaving out undefined conditions. */
export function where(conditions: Record<string, Scalar | Range | undefined>): Record<string, Scalar | Range> {
  const out: Record<string, Scalar | Range> = {};
  for (const [field, value] of Object.entries(conditions)) if (value !== undefined) out[field] = value;
  return out;
}
