/**
 * Domain errors that name the request field at fault. They extend the write side's classes,
 * so the shared problem mapping still gives 404 / 409 / 400; purchasing's routes add `field`
 * (and an Ajv-like `errors` entry) to the problem (purchasing/http/field-problems.ts).
 */
import { BusinessRuleViolation, InvalidCommand, NotFound } from '../../write-side/domain/errors';

export interface FieldError {
  readonly field: string;
}

export class UnknownField extends NotFound implements FieldError {
  constructor(message: string, code: string, readonly field: string) {
    super(message, code);
  }
}

export class FieldConflict extends BusinessRuleViolation implements FieldError {
  constructor(message: string, code: string, readonly field: string) {
    super(message, code);
  }
}

export class InvalidField extends InvalidCommand implements FieldError {
  // InvalidCommand already names its field (optional there); here it is always present.
  declare readonly field: string;
  constructor(message: string, code: string, field: string) {
    super(message, code, field);
  }
}

export const hasField = (error: unknown): error is Error & FieldError & { code: string } =>
  error instanceof Error && typeof (error as Partial<FieldError>).field === 'string';
