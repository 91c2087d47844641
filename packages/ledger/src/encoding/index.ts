export { DECODE_ERROR_CODES, decode } from './decode.js';
export { compareBytes, encode } from './encode.js';
export { DEFAULT_DECODE_LIMITS, type DecodeLimits, MAX_DEPTH_CEILING, resolveLimits } from './limits.js';
export type { Infer, InferRecord, OptionalSchema, Schema } from './schema.js';
export * as schema from './schema.js';
export { SCHEMA_ERROR_CODES } from './schema.js';
export type { CborMap, CborMapKey, CborValue } from './types.js';
