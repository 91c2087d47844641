/** Every bad input to the simulator raises a SimError with a stable `code` and the facts that explain it. */
export type SimErrorCode =
  | 'BAD_SEED'
  | 'BAD_RANGE'
  | 'BAD_TIME'
  | 'UNKNOWN_NODE'
  | 'UNKNOWN_SCENARIO'
  | 'BAD_TOPOLOGY'
  | 'BAD_NETWORK_FILE'
  | 'BAD_ARGUMENT'
  | 'EVENT_LIMIT';

export class SimError extends Error {
  readonly code: SimErrorCode;
  readonly meta: Readonly<Record<string, unknown>>;

  constructor(code: SimErrorCode, message: string, meta: Record<string, unknown> = {}) {
    super(`${code}: ${message}`);
    this.name = 'SimError';
    this.code = code;
    this.meta = meta;
  }
}
