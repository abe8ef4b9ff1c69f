/**
 * One error base class for the whole code base, with coded subclasses.
 * The API's single error handler maps `code` to an HTTP status; nothing else needs to know HTTP.
 */
export class DebtrailError extends Error {
  /** Stable machine-readable code, e.g. `VALIDATION`, `CONFLICT`. */
  readonly code: string;
  /** Extra facts for the caller (field, rule, ids). Never personal data. */
  readonly details: Record<string, unknown>;
  /** The message's code in src/i18n/errors.ts when the class and rule do not say it (see {@link coded}). */
  messageCode?: string;
  /** Placeholders of that message beyond the details. */
  messageParams?: Record<string, unknown>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** `error` with the code of its message (src/i18n/errors.ts) and its placeholders, for people in their language. */
export function coded<E extends DebtrailError>(error: E, messageCode: string, messageParams: Record<string, unknown> = {}): E {
  error.messageCode = messageCode;
  error.messageParams = messageParams;
  return error;
}

/** Input broke a rule: names the field and the rule. */
export class ValidationError extends DebtrailError {
  constructor(readonly field: string, readonly rule: string, message?: string) {
    super("VALIDATION", message ?? `${field}: ${rule}`, { field, rule });
  }
}

/** The thing asked for does not exist. */
export class NotFoundError extends DebtrailError {
  constructor(what: string, id: string) {
    super("NOT_FOUND", `${what} ${id} not found`, { what, id });
  }
}

/** The request conflicts with existing state (duplicate, already sold, ...). */
export class ConflictError extends DebtrailError {
  constructor(reason: string, message: string, details: Record<string, unknown> = {}) {
    super("CONFLICT", message, { reason, ...details });
  }
}

/** No or unknown credentials. */
export class UnauthorizedError extends DebtrailError {
  constructor(message = "missing or unknown API key", messageCode = "auth.missing-key") {
    super("UNAUTHORIZED", message);
    this.messageCode = messageCode;
  }
}

/** Known caller, but its role may not do this. */
export class ForbiddenError extends DebtrailError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("FORBIDDEN", message, details);
  }
}

/** A collection contact or action that would break a compliance rule; names the rule. */
export class ComplianceError extends DebtrailError {
  constructor(readonly rule: string, message: string, details: Record<string, unknown> = {}) {
    super("COMPLIANCE", message, { rule, ...details });
  }
}

/** A dependency (chain node, disk) is not available right now; retry later. */
export class UnavailableError extends DebtrailError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("UNAVAILABLE", message, details);
  }
}
