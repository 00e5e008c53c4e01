/**
 * Domain errors carry a stable code and, for bad input, the offending field.
 * The HTTP layer maps them: ValidationError → 400, NotFound → 404, InvalidState / BusinessRule → 409.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that can never be valid (wrong shape, out of range). Names the field. */
export class ValidationError extends DomainError {
  constructor(
    readonly field: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super('VALIDATION_FAILED', message, { field, ...details });
  }
}

/** The command is well-formed but the aggregate is in the wrong state for it (e.g. confirming twice). */
export class InvalidStateError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('INVALID_STATE', message, details);
  }
}

/** A business rule forbids it (e.g. shipping more than the lot holds). */
export class BusinessRuleError extends DomainError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} ${id} not found`, { what, id });
  }
}
