/**
 * One cut-over instant T per location. Opening balances are counts as of T, and a count's id
 * derives from T: a second import at another T would not be recognised as the same import but
 * recorded as a second opening count, silently moving the cut-over (and every sale between the
 * two instants would count differently). So the first opening import of a location fixes its T
 * (`OpeningBalancesDated` in `opening-date-{locationId}`), and a later one with another T is
 * refused (409) before anything is appended.
 */
import type { DomainEvent } from '../schemas/types';
import { BusinessRuleViolation } from '../write-side/domain/errors';
import { openingDateStream } from '../catalog/catalog-events';
import { assertValidEvent } from '../schemas/validation';
import { newId } from '../write-side/commands/ids';
import type { CommandContext } from '../write-side/commands/types';
import { ConcurrencyError, type EventStore } from '../write-side/eventstore/port';

export interface OpeningDateState { readonly asOf?: string }
export const initialOpeningDate = (): OpeningDateState => ({});

export function evolveOpeningDate(state: OpeningDateState, event: DomainEvent): OpeningDateState {
  return event.type === 'OpeningBalancesDated' ? { asOf: event.data.asOf } : state;
}

export interface DateOpening { readonly locationId: string; readonly asOf: string; readonly source: string; readonly now: string }

/** Compares instants, not strings: `…T10:00:00Z` and `…T10:00:00.000Z` are the same T. */
const sameInstant = (a: string, b: string) => Date.parse(a) === Date.parse(b);

/** Refuses another T than the one the location's opening balances already have; records the first. */
export function decideOpeningDate(cmd: DateOpening, state: OpeningDateState): DomainEvent[] {
  if (state.asOf !== undefined) {
    if (sameInstant(state.asOf, cmd.asOf)) return [];
    throw new OpeningDateDiffers(cmd.locationId, state.asOf);
  }
  return [{ type: 'OpeningBalancesDated', data: { locationId: cmd.locationId, asOf: cmd.asOf, source: cmd.source, occurredAt: cmd.now, recordedAt: cmd.now } }];
}

export class OpeningDateDiffers extends BusinessRuleViolation {
  constructor(readonly locationId: string, readonly established: string) {
    super(`location ${locationId} has opening balances as of ${established}: a second opening import must use the same asOf`, 'opening-asof-differs');
  }
}

/** The T of each location's opening balances, read from and written to the event store. */
export class OpeningDates {
  constructor(private readonly eventStore: EventStore) {}

  private async load(locationId: string) {
    const recorded = await this.eventStore.readStream(openingDateStream(locationId));
    const state = recorded.reduce((s, r) => evolveOpeningDate(s, { type: r.type, data: r.data } as DomainEvent), initialOpeningDate());
    return { state, revision: recorded.at(-1)?.revision };
  }

  async of(locationId: string): Promise<string | undefined> {
    return (await this.load(locationId)).state.asOf;
  }

  /** Throws `OpeningDateDiffers` for the first location whose T is another one; appends nothing. */
  async check(locationIds: Iterable<string>, asOf: string, now: string): Promise<void> {
    for (const locationId of new Set(locationIds)) decideOpeningDate({ locationId, asOf, source: '', now }, (await this.load(locationId)).state);
  }

  /**
   * Fixes T for a location once its opening counts are in. Two imports racing with different T
   * both pass `check`; the second to get here is refused (its counts are then recorded at a T
   * the location does not keep: the lead of such a race is told by the 409).
   */
  async record(locationId: string, asOf: string, source: string, ctx: CommandContext): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const { state, revision } = await this.load(locationId);
      const events = decideOpeningDate({ locationId, asOf, source, now: ctx.now.toISOString() }, state);
      if (events.length === 0) return;
      const metadata = { actor: ctx.actor, source: ctx.source, correlationId: ctx.correlationId };
      const [event] = events;
      assertValidEvent(event!.type, event!.data, metadata);
      try {
        await this.eventStore.append(openingDateStream(locationId), [{ id: newId(), type: event!.type, data: event!.data as Record<string, unknown>, metadata }], revision ?? 'no_stream');
        return;
      } catch (error) {
        if (error instanceof ConcurrencyError && attempt < 5) continue;
        throw error;
      }
    }
  }
}
