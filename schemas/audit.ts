/**
 * The audit trail of people (docs/audit.md): the `AuditRecorded` event of the `audit` stream
 * and the query of `GET /api/audit`. `before`, `after` and `detail` never hold a secret: the
 * recorder strips secret-like keys before the schema sees them.
 */
import { timestamp } from './common';

const object = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;

/** Dotted lower-case names: `auth.login`, `user.updated`, `pos.connection.created`, ... */
export const auditAction = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$' } as const;
const actor = { type: 'string', minLength: 1, maxLength: 200 } as const;
const bag = { type: 'object', maxProperties: 50 } as const;

export const AuditRecorded = object(
  {
    action: auditAction,
    actor,
    /** How the actor authenticated (`session`, `bearer`, `api-token`), or `anonymous` (a failed login). */
    via: { type: 'string', enum: ['session', 'bearer', 'api-token', 'anonymous'] },
    target: { type: 'string', maxLength: 300 },
    ip: { type: 'string', maxLength: 100 },
    userAgent: { type: 'string', maxLength: 300 },
    before: bag,
    after: bag,
    detail: bag,
    occurredAt: timestamp,
    recordedAt: timestamp,
  },
  ['action', 'actor', 'via', 'target', 'ip', 'userAgent', 'occurredAt', 'recordedAt'] as const,
);

export const AuditQuery = object(
  {
    actor,
    action: auditAction,
    from: timestamp,
    to: timestamp,
    cursor: { type: 'string', pattern: '^[0-9]{20}$' },
    limit: { type: 'integer', minimum: 1, maximum: 500 },
    format: { type: 'string', enum: ['json', 'csv'] },
    minPosition: { type: 'string', pattern: '^(0|[1-9][0-9]{0,39})$' },
  },
  [] as const,
);

export const auditEventSchemas = { AuditRecorded } as const;
