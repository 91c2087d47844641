/**
 * Small typed schemas for turning decoded CBOR (`unknown`) into records with exactly known fields.
 *
 * A record schema rejects unknown fields (DECODE_UNKNOWN_FIELD) as well as missing ones
 * (DECODE_MISSING_FIELD): the issue requires decoders to reject unknown fields, so a newer writer
 * cannot smuggle data past an older reader that would silently drop it from what it re-hashes.
 * Type mismatches raise DECODE_WRONG_TYPE; every error names the JSON-like path of the bad value.
 */
import { DecodeError } from '../errors.js';
import { decode } from './decode.js';
import type { DecodeLimits } from './limits.js';

/** Codes raised by schema validation, in addition to the codec's DECODE_ERROR_CODES. */
export const SCHEMA_ERROR_CODES = [
  'DECODE_UNKNOWN_FIELD',
  'DECODE_MISSING_FIELD',
  'DECODE_WRONG_TYPE',
  'DECODE_OUT_OF_RANGE',
] as const;

export interface Schema<T> {
  /** Human-readable description used in error messages. */
  readonly kind: string;
  parse(value: unknown, path?: string): T;
}

/** Marks a record field as optional: absent in the encoding means `undefined` in the result. */
export interface OptionalSchema<T> extends Schema<T | undefined> {
  readonly optional: true;
  readonly inner: Schema<T>;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Fields = Record<string, Schema<unknown>>;
type OptionalKeys<F extends Fields> = {
  [K in keyof F]: F[K] extends OptionalSchema<unknown> ? K : never;
}[keyof F];
type RequiredKeys<F extends Fields> = Exclude<keyof F, OptionalKeys<F>>;
export type InferRecord<F extends Fields> = { [K in RequiredKeys<F>]: Infer<F[K]> } & {
  [K in OptionalKeys<F>]?: F[K] extends OptionalSchema<infer T> ? T : never;
};

function wrongType(path: string, expected: string, value: unknown): never {
  const got =
    value === null
      ? 'null'
      : value instanceof Uint8Array
        ? 'bytes'
        : Array.isArray(value)
          ? 'array'
          : typeof value;
  throw new DecodeError('DECODE_WRONG_TYPE', `expected ${expected} at ${path || '$'}, got ${got}`, {
    path: path || '$',
    expected,
  });
}

function outOfRange(path: string, message: string): never {
  throw new DecodeError('DECODE_OUT_OF_RANGE', `${message} at ${path || '$'}`, { path: path || '$' });
}

function make<T>(kind: string, parse: (value: unknown, path: string) => T): Schema<T> {
  return { kind, parse: (value, path = '') => parse(value, path) };
}

/** Non-negative safe integer, optionally bounded. */
export function uint(max: number = Number.MAX_SAFE_INTEGER): Schema<number> {
  return make('uint', (v, path) => {
    if (typeof v === 'bigint') return outOfRange(path, `integer ${v} not in [0, ${max}]`);
    if (typeof v !== 'number') return wrongType(path, 'unsigned integer', v);
    if (v < 0 || v > max) return outOfRange(path, `integer ${v} not in [0, ${max}]`);
    return v;
  });
}

/** Safe integer (either sign). */
export function int(): Schema<number> {
  return make('int', (v, path) => {
    if (typeof v === 'bigint') return outOfRange(path, `integer ${v} beyond the safe range`);
    return typeof v === 'number' ? v : wrongType(path, 'integer', v);
  });
}

/**
 * Unsigned 64-bit integer as bigint. The codec yields `number` for safe values, so both are accepted
 * and normalized to bigint here.
 */
export function uint64(): Schema<bigint> {
  return make('uint64', (v, path) => {
    if (typeof v === 'number') {
      if (v < 0) return outOfRange(path, 'negative integer');
      return BigInt(v);
    }
    if (typeof v === 'bigint') {
      if (v < 0n) return outOfRange(path, 'negative integer');
      return v;
    }
    return wrongType(path, 'unsigned integer', v);
  });
}

/** Byte string, optionally of an exact length or a bounded length range. */
export function bytes(
  opts: { length?: number; minLength?: number; maxLength?: number } = {},
): Schema<Uint8Array> {
  return make('bytes', (v, path) => {
    if (!(v instanceof Uint8Array)) return wrongType(path, 'byte string', v);
    if (opts.length !== undefined && v.length !== opts.length) {
      return outOfRange(path, `byte string of length ${v.length}, expected ${opts.length}`);
    }
    if (opts.minLength !== undefined && v.length < opts.minLength) {
      return outOfRange(path, `byte string shorter than ${opts.minLength}`);
    }
    if (opts.maxLength !== undefined && v.length > opts.maxLength) {
      return outOfRange(path, `byte string longer than ${opts.maxLength}`);
    }
    return v;
  });
}

/** Text string with an optional maximum length in UTF-16 code units and optional pattern. */
export function text(opts: { maxLength?: number; pattern?: RegExp } = {}): Schema<string> {
  return make('text', (v, path) => {
    if (typeof v !== 'string') return wrongType(path, 'text string', v);
    if (opts.maxLength !== undefined && v.length > opts.maxLength) {
      return outOfRange(path, `text longer than ${opts.maxLength}`);
    }
    if (opts.pattern !== undefined && !opts.pattern.test(v)) {
      return outOfRange(path, `text does not match ${opts.pattern}`);
    }
    return v;
  });
}

export function bool(): Schema<boolean> {
  return make('bool', (v, path) => (typeof v === 'boolean' ? v : wrongType(path, 'boolean', v)));
}

/** One of a fixed set of text or integer values. */
export function literal<const T extends readonly (string | number)[]>(...values: T): Schema<T[number]> {
  const allowed = new Set<unknown>(values);
  return make('literal', (v, path) => {
    if (!allowed.has(v)) return outOfRange(path, `value not one of ${values.join(', ')}`);
    return v as T[number];
  });
}

export function array<T>(
  item: Schema<T>,
  opts: { maxLength?: number; minLength?: number } = {},
): Schema<T[]> {
  return make('array', (v, path) => {
    if (!Array.isArray(v)) return wrongType(path, 'array', v);
    if (opts.maxLength !== undefined && v.length > opts.maxLength) {
      return outOfRange(path, `array longer than ${opts.maxLength}`);
    }
    if (opts.minLength !== undefined && v.length < opts.minLength) {
      return outOfRange(path, `array shorter than ${opts.minLength}`);
    }
    return v.map((x, i) => item.parse(x, `${path}[${i}]`));
  });
}

export function optional<T>(inner: Schema<T>): OptionalSchema<T> {
  return {
    kind: `optional ${inner.kind}`,
    optional: true,
    inner,
    parse: (v, path = '') => inner.parse(v, path),
  };
}

/** Passes any decoded value through unchanged (for payloads interpreted by a later layer). */
export function any(): Schema<unknown> {
  return make('any', (v) => v);
}

function isOptional(s: Schema<unknown>): s is OptionalSchema<unknown> {
  return (s as Partial<OptionalSchema<unknown>>).optional === true;
}

/** A map with text keys holding exactly the given fields; unknown fields are rejected. */
export function record<F extends Fields>(fields: F): Schema<InferRecord<F>> {
  const names = Object.keys(fields);
  return make('record', (v, path) => {
    if (
      typeof v !== 'object' ||
      v === null ||
      Array.isArray(v) ||
      v instanceof Uint8Array ||
      v instanceof Map
    ) {
      return wrongType(path, 'record (map with text keys)', v);
    }
    const obj = v as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (!Object.hasOwn(fields, key)) {
        throw new DecodeError(
          'DECODE_UNKNOWN_FIELD',
          `unknown field ${JSON.stringify(key)} at ${path || '$'}`,
          {
            path: path || '$',
            field: key,
          },
        );
      }
    }
    const out: Record<string, unknown> = {};
    for (const name of names) {
      const schema = fields[name]!;
      const fieldPath = `${path}.${name}`;
      if (!Object.hasOwn(obj, name)) {
        if (isOptional(schema)) continue;
        throw new DecodeError(
          'DECODE_MISSING_FIELD',
          `missing field ${JSON.stringify(name)} at ${path || '$'}`,
          {
            path: path || '$',
            field: name,
          },
        );
      }
      out[name] = schema.parse(obj[name], fieldPath);
    }
    return out as InferRecord<F>;
  });
}

/** Decodes deterministic CBOR and validates it against `schema` in one step. */
export function decodeWith<T>(schema: Schema<T>, input: Uint8Array, limits?: Partial<DecodeLimits>): T {
  return schema.parse(decode(input, limits), '');
}
