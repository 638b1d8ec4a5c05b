/**
 * Shadow or live, per location (`location-mode-{id}` stream). In shadow, Stocktide records every
 * POS event and computes stock, but pushes nothing to the POS and sends no outbound webhook for
 * that location; live is the default (a location nobody switched behaves as before). Switching
 * is an explicit, audited event (actor in its metadata); switching back undoes it. Asking for
 * the mode a location already has is a 409, an unknown location a 404.
 */
import type { DomainEvent } from '../schemas/types';
import { BusinessRuleViolation, NotFound } from '../write-side/domain/errors';

export type Mode = 'shadow' | 'live';

export interface ModeState { readonly mode: Mode; readonly since?: string }
export const initialModeState = (): ModeState => ({ mode: 'live' });

export function evolveMode(state: ModeState, event: DomainEvent): ModeState {
  return event.type === 'LocationModeChanged' ? { mode: event.data.mode, since: event.data.occurredAt } : state;
}

export interface SetMode { readonly locationId: string; readonly mode: Mode; readonly reason?: string; readonly locationExists: boolean; readonly now: string }

export function decideSetMode(cmd: SetMode, state: ModeState): DomainEvent[] {
  if (!cmd.locationExists) throw new NotFound(`unknown location ${cmd.locationId}`, 'unknown-location');
  if (state.mode === cmd.mode) throw new BusinessRuleViolation(`location ${cmd.locationId} is ${cmd.mode} already`, `already-${cmd.mode}`);
  return [{
    type: 'LocationModeChanged',
    data: { locationId: cmd.locationId, mode: cmd.mode, previousMode: state.mode, ...(cmd.reason && { reason: cmd.reason }), occurredAt: cmd.now, recordedAt: cmd.now },
  }];
}
