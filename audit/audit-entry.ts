/**
 * What an audit record may hold, decided purely: the `AuditRecorded` event for an action, with
 * every secret removed and every part bounded. Secrets are removed by key (password, secret,
 * token, hash, csrf, cookie, authorization, api key, credential: unless the value is a plain
 * yes/no such as `hasAccessToken`) and by value (anything shaped like one of our session or API
 * tokens), so a caller that passes a whole record cannot leak what it holds.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { AuditRecorded } from '../schemas/audit';

export type AuditEventData = FromSchema<typeof AuditRecorded>;
export type AuditVia = AuditEventData['via'];
type Bag = Record<string, unknown>;

export interface AuditInput {
  readonly action: string;
  readonly actor: string;
  readonly via: AuditVia;
  readonly target?: string;
  readonly ip?: string;
  readonly userAgent?: string;
  readonly before?: Bag;
  readonly after?: Bag;
  readonly detail?: Bag;
}

const SECRET_KEY = /pass(word)?|secret|token|hash|csrf|cookie|authorization|api[-_]?key|credential|private/i;
/** Our token formats (security/secrets.ts: `sts_`/`stk_` + random) and bearer headers. */
const SECRET_VALUE = /\b(sts|stk)_[A-Za-z0-9_-]{16,}|\bBearer\s+\S+/g;
const MAX_KEYS = 49;
const MAX_ITEMS = 50;
const MAX_TEXT = 500;
const MAX_DEPTH = 4;

const text = (s: string, max = MAX_TEXT): string => {
  const clean = s.replace(SECRET_VALUE, '[redacted]');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
};

function clean(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return text(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((v) => clean(v, depth + 1));
  if (typeof value === 'object') return bag(value as Bag, depth + 1);
  return undefined; // functions, bigint, undefined: nothing to audit
}

/** Copies a bag without secrets, bounded in keys, depth and text length. */
export function bag(input: Bag, depth = 0): Bag {
  const out: Bag = {};
  let kept = 0;
  const keys = Object.keys(input);
  for (const key of keys) {
    const value = input[key];
    if (SECRET_KEY.test(key) && typeof value !== 'boolean') continue;
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    if (kept === MAX_KEYS) {
      out['…'] = `${keys.length - kept} more`;
      break;
    }
    const cleaned = clean(value, depth);
    if (cleaned === undefined) continue;
    out[text(key, 64)] = cleaned;
    kept += 1;
  }
  return out;
}

export function auditEvent(input: AuditInput, now: string): { type: 'AuditRecorded'; data: AuditEventData } {
  return {
    type: 'AuditRecorded',
    data: {
      action: input.action, actor: text(input.actor || 'unknown', 200), via: input.via, target: text(input.target ?? '', 300),
      ip: text(input.ip ?? '', 100), userAgent: text(input.userAgent ?? '', 300),
      ...(input.before && { before: bag(input.before) }), ...(input.after && { after: bag(input.after) }),
      ...(input.detail && { detail: bag(input.detail) }),
      occurredAt: now, recordedAt: now,
    },
  };
}
