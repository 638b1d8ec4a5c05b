/**
 * A stricter JSON body parser than Fastify's default, installed by installSecurity for the
 * whole app. It turns input that JSON.parse accepts but nothing downstream should see into
 * a 400 before any handler runs:
 *  - keys `__proto__`, `constructor`, `prototype` anywhere (prototype pollution via merges, and
 *    lookups such as map[key] hitting Object.prototype);
 *  - unpaired UTF-16 surrogates ("\ud800") in keys or strings: they cannot be encoded as UTF-8,
 *    so a store or a browser would mangle them;
 *  - numbers JSON.parse turns into Infinity (1e400);
 *  - nesting deeper than MAX_JSON_DEPTH (schemas never need it; deep trees cost recursion).
 * Parse errors answer a fixed message: V8's message quotes the body, which may hold a password.
 * Unsafe integers (2^53+1) are left to the schemas' maximums: POS payloads carry such ids.
 */
import type { FastifyInstance } from 'fastify';
import { HttpProblem } from '../server/http/problem';

export const MAX_JSON_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A lone surrogate code unit; with the `u` flag a proper pair is one code point and does not match. */
const LONE_SURROGATE = /\p{Cs}/u;

const reject = (detail: string): never => {
  throw new HttpProblem(400, detail, { errors: [] });
};

/** Walks iteratively: a hostile body cannot exhaust the call stack. */
function inspect(root: unknown): void {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) reject('body contains an unpaired UTF-16 surrogate');
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) reject('body contains a number out of range');
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_JSON_DEPTH) reject(`body is nested deeper than ${MAX_JSON_DEPTH} levels`);
      if (Array.isArray(value)) {
        for (const item of value) stack.push({ value: item, depth: depth + 1 });
      } else {
        for (const [key, item] of Object.entries(value)) {
          if (FORBIDDEN_KEYS.has(key)) reject(`body contains the forbidden key "${key}"`);
          if (LONE_SURROGATE.test(key)) reject('body contains an unpaired UTF-16 surrogate');
          stack.push({ value: item, depth: depth + 1 });
        }
      }
    }
  }
}

/** Parses a JSON request body or throws a 400 HttpProblem. An empty body is no body. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return reject('body is not valid JSON');
  }
  inspect(value);
  return value;
}

/** Replaces the application/json parser of `app` (and of every plugin registered after). */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
