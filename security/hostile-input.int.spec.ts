import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { OPERATORS, assertLocationAccess } from '../server/http/access';
import { ReceiveStock } from '../schemas/commands';
import { HostileInputAccepted, assertHostileInputRejected, hostilePayloads, hostileVariantsOf } from './hostile-input';
import { mintMatrixCredentials } from './route-matrix';
import { createSecuredApp, type SecuredApp } from './testing/secured-app';

const validReceipt = { locationId: 'store-a', lines: [{ sku: 'SKU-1', quantity: 5, unitCost: 250 }], reference: 'PO-1' };

/** A receipt route the way capabilities write them: schema at the edge, then the "event log". */
function receiptRoute(log: unknown[]) {
  return (app: FastifyInstance) => {
    app.post<{ Body: { locationId: string } }>(
      '/api/sample/receipts',
      { config: { access: { roles: OPERATORS } }, schema: { body: ReceiveStock } },
      async (request, reply) => {
        assertLocationAccess(request, request.body.locationId);
        log.push(request.body);
        return reply.code(201).send({ position: String(log.length) });
      },
    );
  };
}

describe('hostile input', () => {
  let s: SecuredApp | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('lists the promised kinds of payload', () => {
    const names = hostilePayloads().map((p) => p.name).join('\n');
    for (const kind of ['malformed JSON', 'wrong types', '2^53+1', '1e400', 'negative', 'zero', 'fractional', 'unknown fields', 'megabyte',
      '__proto__', 'constructor', 'prototype', '$ne', '$gt', 'surrogate', 'nested', 'over the limit']) {
      expect(names).toContain(kind);
    }
    expect(hostilePayloads().find((p) => p.name === 'body over the limit')?.expectStatus).toBe(413);
  });

  it('given a schema-validated write route, then every payload and every variant of a valid body is refused and nothing is stored', async () => {
    const log: unknown[] = [];
    s = await createSecuredApp({ routes: receiptRoute(log) });
    const { staff } = await mintMatrixCredentials(s.identity);
    // The route really works: a scoped staff member's valid receipt would be stored.
    const variants = hostileVariantsOf(validReceipt);
    expect(variants.length).toBeGreaterThan(20);
    await assertHostileInputRejected(s.app, [{ method: 'POST', url: '/api/sample/receipts', validBody: { ...validReceipt, locationId: 'matrix-probe' } }], staff, {
      eventLogFingerprint: () => log.length,
    });
    expect(log).toEqual([]);
    const ok = await s.app.inject({ method: 'POST', url: '/api/sample/receipts', headers: staff, payload: { ...validReceipt, locationId: 'matrix-probe' } });
    expect(ok.statusCode).toBe(201);
  });

  it('given a route without a body schema, then the check fails and names what got through and that the log changed', async () => {
    const log: unknown[] = [];
    s = await createSecuredApp({
      routes: (app) => {
        app.post('/api/sample/sloppy', { config: { access: { roles: OPERATORS } } }, async (request, reply) => {
          log.push(request.body);
          return reply.code(201).send({});
        });
      },
    });
    const { admin } = await mintMatrixCredentials(s.identity);
    const error = await assertHostileInputRejected(s.app, [{ method: 'POST', url: '/api/sample/sloppy' }], admin, { eventLogFingerprint: () => log.length })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostileInputAccepted);
    const failures = (error as HostileInputAccepted).failures;
    const accepted = new Set(failures.map((f) => f.payload));
    expect(accepted).toContain('wrong types');
    expect(accepted).toContain('MongoDB operator $ne');
    expect(failures.some((f) => f.problem === 'the event log changed')).toBe(true);
    // The parser still stops what no schema could: broken JSON, prototype keys, lone surrogates, depth, size.
    for (const refusedByParser of ['malformed JSON (truncated)', '__proto__ key', 'constructor.prototype keys', 'unpaired high surrogate', 'deeply nested arrays', 'body over the limit', 'number overflowing to Infinity (1e400)']) {
      expect(accepted.has(refusedByParser), refusedByParser).toBe(false);
    }
  });

  it('given a schema with an unbounded integer, then the variants of a valid body find it', async () => {
    s = await createSecuredApp({
      routes: (app) => {
        app.post('/api/sample/unbounded', {
          config: { access: { roles: OPERATORS } },
          schema: { body: { type: 'object', additionalProperties: false, required: ['quantity'], properties: { quantity: { type: 'integer', minimum: 1 } } } },
        }, async (_request, reply) => reply.code(201).send({}));
      },
    });
    const { admin } = await mintMatrixCredentials(s.identity);
    const error = await assertHostileInputRejected(s.app, [{ method: 'POST', url: '/api/sample/unbounded', validBody: { quantity: 3 } }], admin)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostileInputAccepted);
    expect((error as HostileInputAccepted).failures.filter((f) => !hostilePayloads().some((p) => p.name === f.payload)).map((f) => f.payload)).toEqual(['quantity = 2^53+1']);
  });
});
