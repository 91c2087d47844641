/**
 * The JavaScript shapes the deterministic CBOR codec accepts and produces.
 *
 * - integers: `number` (safe integers only) or `bigint` (up to the CBOR 64-bit range);
 *   decoding yields `number` when the value is a safe integer and `bigint` otherwise.
 * - byte strings: `Uint8Array`; text strings: `string` (well-formed UTF-16, encoded as UTF-8).
 * - arrays: `CborValue[]`.
 * - maps: plain objects (string keys) or `Map` (string or integer keys). Decoding yields a plain
 *   object when every key is a text string and a `Map` otherwise.
 * - `true`, `false`, `null`.
 */
export type CborValue =
  | number
  | bigint
  | string
  | boolean
  | null
  | Uint8Array
  | readonly CborValue[]
  | CborMap
  | { readonly [key: string]: CborValue | undefined };

export type CborMapKey = string | number | bigint;
export type CborMap = ReadonlyMap<CborMapKey, CborValue>;

/** Major types, RFC 8949 §3.1. */
export const MT_UNSIGNED = 0;
export const MT_NEGATIVE = 1;
export const MT_BYTES = 2;
export const MT_TEXT = 3;
export const MT_ARRAY = 4;
export const MT_MAP = 5;
export const MT_TAG = 6;
export const MT_SIMPLE = 7;

/** Simple values, RFC 8949 §3.3. */
export const SIMPLE_FALSE = 0xf4;
export const SIMPLE_TRUE = 0xf5;
export const SIMPLE_NULL = 0xf6;

export const UINT64_MAX = (1n << 64n) - 1n;
