/**
 * Hostile input: payloads no write route may accept, and a check that each write route
 * answers them with a 4xx problem+json (never 2xx, never 5xx) and appends nothing.
 *
 * Fixed payloads are invalid for any schema with `additionalProperties: false`. When a
 * route comes with a `validBody`, every leaf of that body is also replaced, one at a time,
 * by values invalid for any sensible schema of that leaf's type (wrong type, query
 * operators, unsafe or infinite numbers, fractions, megabyte strings, lone surrogates),
 * and an unknown field is added at every object level. A route that accepts one of these
 * has a schema hole: an unbounded number or string, a missing type, open properties.
 */
import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { DEFAULT_BODY_LIMIT } from '../server/http/fastify-base';

export interface HostilePayload {
  readonly name: string;
  /** A string is sent as is (raw JSON text, possibly broken); an object is JSON-encoded. */
  readonly body: string | object;
  /** Default application/json. */
  readonly contentType?: string;
  /** A specific status this payload must get (e.g. 413); otherwise any 4xx. */
  readonly expectStatus?: number;
}

const MEGABYTE_STRING = 'x'.repeat(1_000_000);
const nested = (depth: number, inner = '1'): string => '['.repeat(depth) + inner + ']'.repeat(depth);

export function hostilePayloads(): HostilePayload[] {
  return [
    { name: 'malformed JSON (truncated)', body: '{"locationId":"store-a","lines":[{"sku":"A","quantity":' },
    { name: 'malformed JSON (trailing comma)', body: '{"locationId":"store-a",}' },
    { name: 'not JSON at all', body: 'DROP TABLE users; --' },
    { name: 'JSON null', body: 'null' },
    { name: 'JSON array', body: '[]' },
    { name: 'JSON string', body: '"store-a"' },
    { name: 'JSON number', body: '42' },
    { name: 'wrong types', body: { locationId: 42, sku: true, quantity: '5', lines: 'none', reason: ['theft'] } },
    { name: 'unsafe integer 2^53+1', body: '{"locationId":"store-a","sku":"A","quantity":9007199254740993,"lines":[{"sku":"A","quantity":9007199254740993}]}' },
    { name: 'number overflowing to Infinity (1e400)', body: '{"locationId":"store-a","sku":"A","quantity":1e400,"lines":[{"sku":"A","quantity":1e400}]}' },
    { name: 'negative quantity', body: { locationId: 'store-a', sku: 'A', quantity: -5, lines: [{ sku: 'A', quantity: -5 }], hostile: true } },
    { name: 'zero quantity', body: { locationId: 'store-a', lines: [{ sku: 'A', quantity: 0, countedQuantity: -1 }], hostile: true } },
    { name: 'fractional quantity', body: { locationId: 'store-a', sku: 'A', quantity: 1.5, lines: [{ sku: 'A', quantity: 0.5 }] } },
    { name: 'unknown fields only', body: { isAdmin: true, role: 'admin', actor: { kind: 'system', id: 'root' } } },
    { name: 'megabyte string', body: { locationId: MEGABYTE_STRING, name: MEGABYTE_STRING.slice(0, 10_000) } },
    { name: '__proto__ key', body: '{"locationId":"store-a","__proto__":{"isAdmin":true}}' },
    { name: 'nested __proto__ key', body: '{"locationId":"store-a","lines":[{"sku":"A","quantity":1,"__proto__":{"x":1}}]}' },
    { name: 'constructor.prototype keys', body: '{"locationId":"store-a","constructor":{"prototype":{"isAdmin":true}}}' },
    { name: 'prototype key', body: '{"prototype":{"isAdmin":true}}' },
    { name: 'MongoDB operator $ne', body: { locationId: { $ne: null }, sku: { $ne: null }, username: { $ne: null } } },
    { name: 'MongoDB operator $gt', body: { locationId: { $gt: '' }, lines: [{ sku: { $gt: '' }, quantity: { $gt: 0 } }] } },
    { name: 'MongoDB $where', body: { $where: 'sleep(1000)', locationId: 'store-a' } },
    { name: 'unpaired high surrogate', body: '{"locationId":"\\ud800","name":"\\ud800"}' },
    { name: 'unpaired low surrogate in a key', body: '{"\\udfff":"x","locationId":"store-a"}' },
    { name: 'deeply nested arrays', body: nested(10_000) },
    { name: 'deeply nested arrays in a field', body: `{"locationId":"store-a","lines":${nested(5_000, '{"sku":"A","quantity":1}')}}` },
    { name: 'body over the limit', body: { pad: 'x'.repeat(DEFAULT_BODY_LIMIT + 1024) }, expectStatus: 413 },
    { name: 'JSON sent as text/plain', body: '{"locationId":"store-a"}', contentType: 'text/plain' },
    { name: 'form-encoded body', body: 'locationId=store-a&quantity=5', contentType: 'application/x-www-form-urlencoded' },
  ];
}

type Path = ReadonlyArray<string | number>;
const SENTINEL = '@@hostile-leaf-3f9c1e@@';

function leaves(value: unknown, path: Path = []): Array<{ path: Path; value: unknown }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [{ path, value }];
}

function objectPaths(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => objectPaths(v, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return [path, ...Object.entries(value).flatMap(([k, v]) => objectPaths(v, [...path, k]))];
  }
  return [];
}

function withValueAt(body: object, path: Path, value: unknown): object {
  if (path.length === 0) return value as object;
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  target[path.at(-1)!] = value;
  return copy;
}

/** Raw JSON text for a leaf, so unsafe numbers and lone surrogates reach the parser untouched. */
function hostileLeafValues(value: unknown): Array<{ label: string; raw: string }> {
  const common = [
    { label: 'null', raw: 'null' },
    { label: '{"$ne":null}', raw: '{"$ne":null}' },
    { label: '{"$gt":""}', raw: '{"$gt":""}' },
  ];
  switch (typeof value) {
    case 'number':
      return [
        ...common,
        { label: '2^53+1', raw: '9007199254740993' },
        { label: '1e400', raw: '1e400' },
        { label: 'fraction 0.5', raw: '0.5' },
        { label: 'numeric string', raw: JSON.stringify(String(value)) },
      ];
    case 'string':
      return [
        ...common,
        { label: 'number', raw: '42' },
        { label: 'megabyte string', raw: JSON.stringify(MEGABYTE_STRING) },
        { label: 'unpaired surrogate', raw: '"\\ud800"' },
      ];
    case 'boolean':
      return [...common, { label: 'string "true"', raw: '"true"' }, { label: 'number 1', raw: '1' }];
    default:
      return common;
  }
}

/** Variants of a valid body, each with exactly one hostile change. */
export function hostileVariantsOf(validBody: object): HostilePayload[] {
  const variants: HostilePayload[] = [];
  for (const { path, value } of leaves(validBody)) {
    const text = JSON.stringify(withValueAt(validBody, path, SENTINEL));
    for (const { label, raw } of hostileLeafValues(value)) {
      variants.push({ name: `${path.join('.')} = ${label}`, body: text.replace(JSON.stringify(SENTINEL), raw) });
    }
  }
  for (const path of objectPaths(validBody)) {
    const where = path.length === 0 ? '(top level)' : path.join('.');
    const target = path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], validBody) as object;
    variants.push({ name: `${where} + unknown field`, body: withValueAt(validBody, path, { ...target, unexpectedField: 1 }) });
  }
  return variants;
}

export interface WriteRoute {
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A concrete URL (path parameters filled in). */
  readonly url: string;
  /** A body this route would accept: enables the per-leaf variants. It is never sent as is. */
  readonly validBody?: object;
  /** Names of fixed payloads this route may legitimately accept. */
  readonly exclude?: readonly string[];
}

export interface HostileInputOptions {
  /**
   * A fingerprint of the event log (e.g. the head position). It is read before and after
   * every request; any change fails the check.
   */
  readonly eventLogFingerprint?: () => unknown;
}

export interface HostileFailure {
  readonly route: string;
  readonly payload: string;
  readonly problem: string;
}

export class HostileInputAccepted extends Error {
  constructor(readonly failures: readonly HostileFailure[]) {
    super(
      `hostile input: ${failures.length} failure(s)\n` +
        failures.map((f) => `  ${f.route} with ${f.payload}: ${f.problem}`).join('\n'),
    );
    this.name = 'HostileInputAccepted';
  }
}

async function judge(app: FastifyInstance, route: WriteRoute, payload: HostilePayload, auth: Record<string, string>): Promise<string | undefined> {
  const body = typeof payload.body === 'string' ? payload.body : JSON.stringify(payload.body);
  const request: InjectOptions = {
    method: route.method,
    url: route.url,
    headers: { ...auth, 'content-type': payload.contentType ?? 'application/json' },
    payload: body,
  };
  const res = await app.inject(request);
  const expected = payload.expectStatus;
  if (expected !== undefined ? res.statusCode !== expected : res.statusCode < 400 || res.statusCode >= 500) {
    return `status ${res.statusCode}, expected ${expected ?? '4xx'}`;
  }
  if (!String(res.headers['content-type']).startsWith('application/problem+json')) {
    return `content-type ${String(res.headers['content-type'])}, expected application/problem+json`;
  }
  try {
    if ((res.json() as { status?: unknown }).status !== res.statusCode) return 'problem body status differs from the HTTP status';
  } catch {
    return 'problem body is not JSON';
  }
  return undefined;
}

/**
 * Sends every hostile payload to every route with `auth` headers; throws
 * HostileInputAccepted listing each payload that was not refused cleanly.
 */
export async function assertHostileInputRejected(
  app: FastifyInstance,
  routes: readonly WriteRoute[],
  auth: Record<string, string>,
  options: HostileInputOptions = {},
): Promise<void> {
  const failures: HostileFailure[] = [];
  for (const route of routes) {
    const payloads = [
      ...hostilePayloads().filter((p) => !route.exclude?.includes(p.name)),
      ...(route.validBody ? hostileVariantsOf(route.validBody) : []),
    ];
    for (const payload of payloads) {
      const before = await options.eventLogFingerprint?.();
      const problem = await judge(app, route, payload, auth);
      const after = await options.eventLogFingerprint?.();
      const where = `${route.method} ${route.url}`;
      if (problem) failures.push({ route: where, payload: payload.name, problem });
      if (!isDeepStrictEqual(before, after)) failures.push({ route: where, payload: payload.name, problem: 'the event log changed' });
    }
  }
  if (failures.length > 0) throw new HostileInputAccepted(failures);
}
