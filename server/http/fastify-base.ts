/**
 * A Fastify instance configured the Stocktide way: our Ajv for bodies (no coercion, all
 * errors), a coercing Ajv for query strings and params, problem+json errors, body limit.
 */
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { validatorFor } from '../../schemas/validation';
import { installProblemHandlers } from './problem';

const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

/** Query strings arrive as text: "limit=10" must validate as an integer. */
const coercingAjv = new Ajv({ allErrors: true, coerceTypes: 'array', strict: false, useDefaults: true });
addFormats(coercingAjv, ['date-time', 'date']);

export const DEFAULT_BODY_LIMIT = 1024 * 1024; // 1 MiB; CSV imports raise it per route

/**
 * A body that is absent becomes `{}` when the route's body schema requires nothing, so the
 * schema still judges it (`NoBody` then refuses anything else). Only an absent body: a JSON
 * `null` stays a bad body (400), never "receive everything".
 */
async function absentBodyAsEmpty(request: FastifyRequest): Promise<void> {
  if (request.body === undefined) request.body = {};
}

const requiresNothing = (schema: unknown): boolean => {
  const body = schema as { type?: unknown; required?: readonly unknown[] } | undefined;
  return body?.type === 'object' && (body.required === undefined || body.required.length === 0);
};

export function createFastify(options: FastifyServerOptions = {}): FastifyInstance {
  const app = Fastify({
    bodyLimit: DEFAULT_BODY_LIMIT,
    // Strips __proto__ and constructor.prototype keys from JSON bodies instead of throwing later.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    ...options,
  });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? validatorFor(schema) : coercingAjv.compile(schema),
  );
  app.addHook('onRoute', (route) => {
    if (!requiresNothing(route.schema?.body)) return;
    const existing = route.preValidation === undefined ? [] : Array.isArray(route.preValidation) ? route.preValidation : [route.preValidation];
    route.preValidation = [absentBodyAsEmpty, ...existing];
  });
  installProblemHandlers(app);
  return app;
}
