/** Stable codes for every overlay failure; callers and logs match on these, never on messages. */
export type OverlayErrorCode =
  | 'FRAME_TOO_LARGE'
  | 'FRAME_EMPTY'
  | 'FRAME_UNKNOWN_TYPE'
  | 'FRAME_TRUNCATED'
  | 'BAD_CONFIG'
  | 'BAD_KEY'
  | 'NOT_STARTED'
  | 'START_FAILED'
  | 'ALREADY_STARTED'
  | 'DUPLICATE_NODE'
  | 'UNKNOWN_NODE';

/** A typed overlay error with a stable `code` and structured metadata for logs. */
export class OverlayError extends Error {
  readonly code: OverlayErrorCode;
  readonly meta: Readonly<Record<string, unknown>>;
  constructor(code: OverlayErrorCode, message: string, meta: Record<string, unknown> = {}) {
    super(message);
    this.name = 'OverlayError';
    this.code = code;
    this.meta = meta;
  }
}
