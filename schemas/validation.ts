/**
 * One Ajv instance for the whole process. Fastify routes use it as their validator
 * compiler, and the event store checks every event with it before appending.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { eventMetadata, eventSchemas } from './events';
import type { EventType } from './types';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

export const ajv = new Ajv({
  allErrors: true,
  strict: true,
  coerceTypes: false,
  useDefaults: false,
  removeAdditional: false,
  // Fastify's own keywords may appear in route schemas.
  keywords: ['example'],
});
addFormats(ajv, ['date-time', 'date', 'uri', 'email']);

const compiled = new WeakMap<object, ValidateFunction>();

/** Compiles once per schema object (schemas are module constants). */
export function validatorFor(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

export class SchemaViolation extends Error {
  constructor(
    message: string,
    readonly errors: ErrorObject[],
  ) {
    super(message);
    this.name = 'SchemaViolation';
  }
}

export function assertValid<T>(schema: object, value: unknown, what: string): asserts value is T {
  const validate = validatorFor(schema);
  if (!validate(value)) throw new SchemaViolation(`${what} does not match its schema`, validate.errors ?? []);
}

const validateMetadata = validatorFor(eventMetadata);

/** Checks an event's data and metadata against the registry before it may be stored. */
export function assertValidEvent(type: string, data: unknown, metadata: unknown): void {
  const schema = (eventSchemas as Record<string, object>)[type];
  if (!schema) throw new SchemaViolation(`unknown event type ${type}`, []);
  assertValid(schema, data, `event ${type as EventType}`);
  if (!validateMetadata(metadata)) {
    throw new SchemaViolation(`metadata of ${type} does not match its schema`, validateMetadata.errors ?? []);
  }
}
