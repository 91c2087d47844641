// Default leader-selection hashes and round timeouts, after stellar-core's SCPDriver: SHA-style hashes
// (through Driver.getHashOf) of slot, previous value, a domain number, round and node or value,
// truncated to their first 64 bits (big-endian).
import type { Driver } from './driver.js';
import { nodeWeight, UINT64_MAX } from './quorum-set.js';
import type { NodeId, QuorumSet, SlotIndex, Value } from './types.js';

/** Domain numbers that keep the three hashes apart (stellar-core's hash_N = 1, hash_P = 2, hash_K = 3). */
const HASH_NEIGHBORHOOD = 1;
const HASH_PRIORITY = 2;
const HASH_VALUE = 3;

/** The longest round timeout (stellar-core's MAX_TIMEOUT_MS: 30 minutes). */
export const MAX_TIMEOUT_MS = 30 * 60 * 1000;

const u64 = (n: number): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
};
const u32 = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
};
const utf8 = new TextEncoder();

function first64Bits(hash: Uint8Array): bigint {
  let out = 0n;
  for (let i = 0; i < 8; i++) out = (out << 8n) | BigInt(hash[i] ?? 0);
  return out;
}

/** The leader-selection functions SCP uses: the driver's overrides, else the defaults above. */
export interface LeaderHashing {
  hashNode(slot: SlotIndex, prev: Value, isPriority: boolean, round: number, node: NodeId): bigint;
  hashValue(slot: SlotIndex, prev: Value, round: number, value: Value): bigint;
  weight(node: NodeId, qset: QuorumSet, isLocal: boolean): bigint;
  timeoutMs(round: number, isNomination: boolean): number;
}

export function leaderHashingFor(driver: Driver): LeaderHashing {
  return {
    hashNode: (slot, prev, isPriority, round, node) =>
      driver.computeHashNode
        ? driver.computeHashNode(slot, prev, isPriority, round, node)
        : first64Bits(
            driver.getHashOf([
              u64(slot),
              prev,
              u32(isPriority ? HASH_PRIORITY : HASH_NEIGHBORHOOD),
              u32(round),
              utf8.encode(node),
            ]),
          ),
    hashValue: (slot, prev, round, value) =>
      driver.computeValueHash
        ? driver.computeValueHash(slot, prev, round, value)
        : first64Bits(driver.getHashOf([u64(slot), prev, u32(HASH_VALUE), u32(round), value])),
    weight: (node, qset, isLocal) =>
      driver.getNodeWeight
        ? driver.getNodeWeight(node, qset, isLocal)
        : isLocal
          ? UINT64_MAX
          : nodeWeight(node, qset),
    // Linear growth, one second per round, as stellar-core's default computeTimeout.
    timeoutMs: (round, isNomination) =>
      driver.computeTimeout
        ? driver.computeTimeout(round, isNomination)
        : Math.min(round * 1000, MAX_TIMEOUT_MS),
  };
}
