import type { NodeId, SlotIndex, Value } from '@qm/scp';

/**
 * Simulated consensus values: the ASCII bytes `qm1|<slot>|<node>|<nonce as 8 hex digits>`. Every value
 * names the slot and the node that proposed it, so the validity checker can tell a proposed value from
 * one that came from nowhere, and validateValue can reject values meant for another slot.
 */
const PREFIX = 'qm1';
const NONCE = /^[0-9a-f]{8}$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export interface ParsedValue {
  readonly slot: SlotIndex;
  readonly node: NodeId;
  readonly nonce: string;
}

export function encodeValue(slot: SlotIndex, node: NodeId, nonce: number): Value {
  return encoder.encode(`${PREFIX}|${slot}|${node}|${(nonce >>> 0).toString(16).padStart(8, '0')}`);
}

/** The parts of a well-formed value, or null for anything else (never throws). */
export function parseValue(value: unknown): ParsedValue | null {
  if (!(value instanceof Uint8Array) || value.length > 256) return null;
  let text: string;
  try {
    text = decoder.decode(value);
  } catch {
    return null;
  }
  const parts = text.split('|');
  if (parts.length !== 4 || parts[0] !== PREFIX) return null;
  const slotText = parts[1]!;
  if (!/^[1-9][0-9]{0,14}$/.test(slotText) || !NONCE.test(parts[3]!) || parts[2]!.length === 0) return null;
  return { slot: Number(slotText), node: parts[2]!, nonce: parts[3]! };
}

/** A value is valid for a slot when it is well-formed, names that slot, and names a known node. */
export function isValidValue(slot: SlotIndex, value: unknown, knownNodes: ReadonlySet<NodeId>): boolean {
  const parsed = parseValue(value);
  return parsed !== null && parsed.slot === slot && knownNodes.has(parsed.node);
}

/** Bytewise comparison (SCP orders values the same way). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

/** Deterministic combination of candidates: the bytewise largest (any fixed total order would do). */
export function combineMax(candidates: readonly Value[]): Value | null {
  let best: Value | null = null;
  for (const c of candidates) if (best === null || compareBytes(c, best) > 0) best = c;
  return best;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Human-readable form: the value text when well-formed, else `0x<hex>`. */
export function describeValue(value: Uint8Array): string {
  return parseValue(value) ? decoder.decode(value) : `0x${toHex(value)}`;
}

/** A short form for status lines: `<node>:<nonce>`. */
export function shortValue(value: Uint8Array): string {
  const p = parseValue(value);
  return p ? `${p.node}:${p.nonce.slice(0, 4)}` : `0x${toHex(value).slice(0, 8)}`;
}
