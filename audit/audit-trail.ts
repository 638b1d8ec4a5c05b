/**
 * The audit trail is part of the event log (docs/audit.md): each record is an `AuditRecorded`
 * event appended to the `audit` stream, so it inherits the log's guarantees (append-only,
 * durable before the answer, ordered, replayable into the read model, in every backup).
 */
import { assertValidEvent } from '../schemas/validation';
import { newId } from '../write-side/commands/ids';
import type { EventStore } from '../write-side/eventstore/port';
import { auditEvent, type AuditInput } from './audit-entry';

export const AUDIT_STREAM = 'audit';

export interface AuditTrail {
  /** Appends one record; resolves with its position once it is durable. */
  record(input: AuditInput): Promise<bigint>;
}

export function createAuditTrail(eventStore: EventStore, clock: () => Date = () => new Date()): AuditTrail {
  return {
    async record(input) {
      const event = auditEvent(input, clock().toISOString());
      const metadata = { actor: { kind: 'user' as const, id: event.data.actor }, source: 'audit', correlationId: newId() };
      assertValidEvent(event.type, event.data, metadata);
      // Records of different people never conflict: no expected revision, a fresh id each.
      const { position } = await eventStore.append(AUDIT_STREAM, [{ id: newId(), type: event.type, data: event.data, metadata }], 'any');
      return position;
    },
  };
}
