/** The `audit_log` read model: one document per record, keyed by its log position (newest first in reads). */
import { iso, padPosition } from '../projections/models/keys';
import type { Doc } from '../projections/readstore/port';
import type { Projection } from '../projections/runner/projection';
import type { AuditEventData } from './audit-entry';

export const AUDIT = { log: 'audit_log' } as const;

export type AuditDoc = Doc & Omit<AuditEventData, 'occurredAt' | 'recordedAt'> & { at: string; position: string; positionKey: string };

export const auditProjection: Projection = {
  name: 'audit',
  collections: [AUDIT.log],
  indexes: [
    { collection: AUDIT.log, fields: ['positionKey'] },
    { collection: AUDIT.log, fields: ['actor', 'positionKey'] },
    { collection: AUDIT.log, fields: ['action', 'positionKey'] },
  ],
  async apply(recorded, uow) {
    if (recorded.type !== 'AuditRecorded') return;
    const { occurredAt, recordedAt: _r, ...record } = recorded.data as AuditEventData;
    const positionKey = padPosition(recorded.position);
    uow.put(AUDIT.log, { _id: positionKey, ...record, at: iso(occurredAt), position: recorded.position.toString(), positionKey });
  },
};
