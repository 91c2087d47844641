/** Stable error codes: callers (CLI, node, dashboard) switch on `code`, never on the message. */
export type FbasErrorCode =
  | 'BAD_JSON'
  | 'UNKNOWN_FORMAT'
  | 'BAD_NODE'
  | 'DUPLICATE_NODE'
  | 'LIMIT_EXCEEDED'
  | 'UNKNOWN_NODE'
  | 'BUDGET_EXCEEDED';

export class FbasError extends Error {
  readonly code: FbasErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: FbasErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'FbasError';
    this.code = code;
    this.details = details;
  }
}
