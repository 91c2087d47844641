/**
 * Bounds applied while decoding untrusted bytes (DESIGN.md principle 4: a limit on everything).
 * Every limit is checked before the corresponding allocation, so an attacker-declared length can
 * never make the decoder allocate more than the input justifies.
 */
export interface DecodeLimits {
  /** Total input size in bytes. */
  readonly maxBytes: number;
  /** Nesting depth of arrays and maps; a scalar at top level has depth 0. At most MAX_DEPTH_CEILING. */
  readonly maxDepth: number;
  /** Total number of data items (array elements plus map keys and values) in the whole input. */
  readonly maxItems: number;
  /** Length of any single byte string or text string, in bytes. */
  readonly maxStringBytes: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = Object.freeze({
  maxBytes: 1024 * 1024,
  maxDepth: 16,
  maxItems: 65_536,
  maxStringBytes: 256 * 1024,
});

/** The decoder recurses once per level; this keeps any configured depth far from the JS stack limit. */
export const MAX_DEPTH_CEILING = 256;

const pick = (v: number | undefined, d: number): number => (typeof v === 'number' && v >= 0 ? v : d);

/**
 * Fills unset fields from `base`. An explicitly `undefined` field also takes the base value: a
 * plain object spread would let `{ maxBytes: undefined }` silently switch a limit off.
 */
export function resolveLimits(
  limits?: Partial<DecodeLimits>,
  base: DecodeLimits = DEFAULT_DECODE_LIMITS,
): DecodeLimits {
  if (limits === undefined || (limits === base && base.maxDepth <= MAX_DEPTH_CEILING)) return base;
  return {
    maxBytes: pick(limits.maxBytes, base.maxBytes),
    maxDepth: Math.min(pick(limits.maxDepth, base.maxDepth), MAX_DEPTH_CEILING),
    maxItems: pick(limits.maxItems, base.maxItems),
    maxStringBytes: pick(limits.maxStringBytes, base.maxStringBytes),
  };
}
