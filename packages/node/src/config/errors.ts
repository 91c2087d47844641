/**
 * Errors from reading configuration: the genesis file, a node's config file and key files.
 *
 * An operator fixes a config file by hand, so every error names the field it is about as a JSON path
 * (`validators[2].p2p.port`) and says what was expected; `code` is stable for scripts and tests.
 */
export type ConfigErrorCode =
  /** A field is missing, of the wrong type, out of range, or inconsistent with another field. */
  | 'CONFIG_INVALID'
  /** The file is not JSON at all. */
  | 'CONFIG_BAD_JSON'
  /** The file could not be read (missing, permissions). */
  | 'CONFIG_UNREADABLE'
  /** A secret key file does not hold one 'S...' secret id. */
  | 'KEY_FILE_INVALID'
  /** A file that would be written already exists (and overwriting was not asked for). */
  | 'CONFIG_EXISTS';

/** The path used for an error about the document as a whole. */
export const ROOT_FIELD = '$';

export class ConfigError extends Error {
  readonly code: ConfigErrorCode;
  /** JSON path of the offending field, e.g. `validators[2].p2p.port`; `$` for the whole document. */
  readonly field: string;
  /** The file the error is about, when known. */
  readonly file?: string;

  constructor(code: ConfigErrorCode, field: string, message: string, file?: string) {
    super(message);
    this.name = 'ConfigError';
    this.code = code;
    this.field = field;
    if (file !== undefined) this.file = file;
  }

  /** Same error, attributed to a file (parsers do not know which file their text came from). */
  inFile(file: string): ConfigError {
    return new ConfigError(this.code, this.field, this.message, file);
  }

  /** One line for a terminal: `genesis.json: validators[2].p2p.port: must be an integer ...`. */
  describe(): string {
    const where = this.field === ROOT_FIELD ? '' : `${this.field}: `;
    return `${this.file === undefined ? '' : `${this.file}: `}${where}${this.message}`;
  }

  toJSON(): { code: string; field: string; message: string; file?: string } {
    return {
      code: this.code,
      field: this.field,
      message: this.message,
      ...(this.file !== undefined && { file: this.file }),
    };
  }
}
