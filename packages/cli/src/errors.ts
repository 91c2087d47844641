/** CLI-level errors (bad arguments, unreadable files); library errors keep their own FbasError codes. */
export type CliErrorCode =
  | 'FILE_NOT_FOUND'
  | 'FILE_UNREADABLE'
  | 'BAD_ARGUMENT'
  | 'RECEIPT_UNREADABLE'
  | 'BAD_GENESIS';

export class CliError extends Error {
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string) {
    super(message);
    this.name = 'CliError';
    this.code = code;
  }
}
