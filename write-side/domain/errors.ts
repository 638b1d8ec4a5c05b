/**
 * Errors the pure domain throws. The HTTP edge maps them to problem+json:
 * NotFound -> 404, BusinessRuleViolation -> 409, InvalidCommand -> 400.
 */
export class DomainError extends Error {
  constructor(
    message: string,
    /** Stable machine-readable code, e.g. `insufficient-stock`. */
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The command names something that does not exist (unknown location, sku, transfer). */
export class NotFound extends DomainError {}

/** The command is well-formed but breaks a business rule (409). */
export class BusinessRuleViolation extends DomainError {}

/** The command is malformed in a way a schema cannot express (400). */
export class InvalidCommand extends DomainError {
  constructor(
    message: string,
    code: string,
    /** The body field at fault (`quantity`), named in the problem's `errors` like Ajv's. */
    readonly field?: string,
  ) {
    super(message, code);
  }
}
