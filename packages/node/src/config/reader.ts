/**
 * A cursor over parsed JSON that knows its own JSON path, so that every complaint about a config file
 * names the exact field (`validators[2].p2p.port`) instead of "invalid config".
 */
import { isIP } from 'node:net';
import { ConfigError, ROOT_FIELD } from './errors.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** RFC 1123 host names; IP literals are checked with node:net. */
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path === ROOT_FIELD ? '' : path}[${key}]`;
  const seg = IDENTIFIER.test(key) ? key : JSON.stringify(key);
  if (path === ROOT_FIELD) return IDENTIFIER.test(key) ? key : `[${seg}]`;
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${seg}]`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** Parses JSON text; a syntax error becomes CONFIG_BAD_JSON. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError('CONFIG_BAD_JSON', ROOT_FIELD, `not valid JSON: ${(e as Error).message}`);
  }
}

export class Reader {
  constructor(
    readonly value: unknown,
    readonly path: string = ROOT_FIELD,
  ) {}

  fail(message: string): never {
    throw new ConfigError('CONFIG_INVALID', this.path, message);
  }

  /**
   * Reads an object with exactly these fields: a missing required field or an unknown one (usually a
   * typo, which would otherwise be silently ignored) is an error naming that field.
   */
  object(required: readonly string[], optional: readonly string[] = []): Record<string, Reader> {
    const v = this.value;
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      this.fail(`must be an object, not ${describe(v)}`);
    const o = v as Record<string, unknown>;
    const out: Record<string, Reader> = {};
    for (const key of required) {
      if (!Object.hasOwn(o, key) || o[key] === undefined) {
        throw new ConfigError('CONFIG_INVALID', childPath(this.path, key), 'is required');
      }
    }
    const known = new Set([...required, ...optional]);
    for (const key of Object.keys(o)) {
      if (!known.has(key)) {
        throw new ConfigError(
          'CONFIG_INVALID',
          childPath(this.path, key),
          `unknown field (expected ${[...known].join(', ')})`,
        );
      }
      out[key] = new Reader(o[key], childPath(this.path, key));
    }
    return out;
  }

  /** An object used as a map from arbitrary keys to values. */
  entries(maxEntries: number): [string, Reader][] {
    const v = this.value;
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      this.fail(`must be an object, not ${describe(v)}`);
    const keys = Object.keys(v as object);
    if (keys.length > maxEntries) this.fail(`has ${keys.length} entries, at most ${maxEntries} allowed`);
    return keys.map((k) => [k, new Reader((v as Record<string, unknown>)[k], childPath(this.path, k))]);
  }

  array(minLength: number, maxLength: number): Reader[] {
    const v = this.value;
    if (!Array.isArray(v)) this.fail(`must be an array, not ${describe(v)}`);
    if (v.length < minLength)
      this.fail(`must have at least ${minLength} entr${minLength === 1 ? 'y' : 'ies'}`);
    if (v.length > maxLength) this.fail(`has ${v.length} entries, at most ${maxLength} allowed`);
    return v.map((x, i) => new Reader(x, childPath(this.path, i)));
  }

  string(opts: { maxLength?: number; pattern?: RegExp; expected?: string } = {}): string {
    const v = this.value;
    if (typeof v !== 'string') this.fail(`must be a string, not ${describe(v)}`);
    if (v.length === 0) this.fail('must not be empty');
    const max = opts.maxLength ?? 256;
    if (v.length > max) this.fail(`is ${v.length} characters long, at most ${max} allowed`);
    if (opts.pattern && !opts.pattern.test(v))
      this.fail(`must be ${opts.expected ?? `like ${opts.pattern}`}, not ${describe(v)}`);
    return v;
  }

  integer(min: number, max: number, unit = ''): number {
    const v = this.value;
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(`must be an integer, not ${describe(v)}`);
    if (v < min || v > max) this.fail(`must be between ${min} and ${max}${unit}, not ${v}`);
    return v;
  }

  oneOf<T extends string>(values: readonly T[]): T {
    const v = this.value;
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      this.fail(`must be one of ${values.map((x) => `'${x}'`).join(', ')}, not ${describe(v)}`);
    }
    return v as T;
  }

  literal(expected: string): string {
    if (this.value === undefined) this.fail(`is required (the file must say format: '${expected}')`);
    if (this.value !== expected) this.fail(`must be '${expected}', not ${describe(this.value)}`);
    return expected;
  }

  /** A host name or IP address (no port, no brackets). */
  host(): string {
    const v = this.string({ maxLength: 253 });
    if (isIP(v) === 0 && !HOSTNAME.test(v))
      this.fail(`must be a host name or an IP address, not ${describe(v)}`);
    return v;
  }

  /** A TCP port; `allowZero` for listeners that may take any free port (tests). */
  port(allowZero = false): number {
    return this.integer(allowZero ? 0 : 1, 65_535);
  }
}

/** `{host, port}` for a listener or a peer address. */
export interface Endpoint {
  host: string;
  port: number;
}

export function readEndpoint(r: Reader, allowZeroPort = false): Endpoint {
  const f = r.object(['host', 'port']);
  return { host: f.host!.host(), port: f.port!.port(allowZeroPort) };
}
