/** TypeScript types derived from the schemas: never written by hand. */
import type { FromSchema } from 'json-schema-to-ts';
import type { commandSchemas } from './commands';
import type { eventMetadata, eventSchemas } from './events';

export type EventType = keyof typeof eventSchemas;
export type EventData<T extends EventType> = FromSchema<(typeof eventSchemas)[T]>;
export type EventMetadata = FromSchema<typeof eventMetadata>;

/** A domain event before it is stored: the discriminated union of every event type. */
export type DomainEvent = { [T in EventType]: { type: T; data: EventData<T> } }[EventType];
export type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;

export type CommandName = keyof typeof commandSchemas;
export type CommandBody<C extends CommandName> = FromSchema<(typeof commandSchemas)[C]>;
