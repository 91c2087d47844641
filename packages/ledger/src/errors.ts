/**
 * Errors raised by the ledger primitives and domain.
 *
 * Every error carries a stable machine-readable `code` (SCREAMING_SNAKE_CASE) so that callers,
 * logs and tests can branch on the code rather than on the human-readable message, which may change.
 */
export class LedgerError extends Error {
  readonly code: string;
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'LedgerError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }

  /** The shape an API response or log line carries: stable code, message, details. */
  toJSON(): { code: string; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/**
 * Raised when bytes (CBOR, ids, envelopes) cannot be decoded into a canonical value.
 * Decoders of untrusted input must throw nothing but DecodeError.
 */
export class DecodeError extends LedgerError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
    this.name = 'DecodeError';
  }
}
