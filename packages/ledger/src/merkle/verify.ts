/**
 * Proof verification exactly as specified in RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2
 * (consistency). These run on untrusted receipts, so they return false for anything malformed
 * (bad sizes, wrong hash lengths) and never throw.
 *
 * Sizes are JavaScript numbers; "right-shift" is written as floor division because the bitwise
 * operators would truncate sizes above 2^31.
 */
import { equalBytes } from '../crypto/bytes.js';
import { EMPTY_ROOT, HASH_BYTES, nodeHash } from './hash.js';

const isSize = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
const isHash = (h: unknown): h is Uint8Array => h instanceof Uint8Array && h.length === HASH_BYTES;
const lsb = (n: number): boolean => n % 2 === 1;
const shr = (n: number): number => Math.floor(n / 2);

/** RFC 9162 §2.1.3.2. `leafHash` is the leaf's hash, SHA-256(0x00 || entry). */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isSize(index) || !isSize(size) || !isHash(leafHash) || !isHash(root) || !Array.isArray(proof))
    return false;
  // 1. Compare leaf_index from the inclusion_proof_v2 structure against tree_size.
  if (index >= size) return false;
  // 2. Set fn to leaf_index and sn to tree_size - 1.
  let fn = index;
  let sn = size - 1;
  // 3. Set r to hash.
  let r = leafHash;
  // 4. For each value p in the inclusion_path array:
  for (const p of proof) {
    if (!isHash(p)) return false;
    // a. If sn is 0, then stop the iteration and fail the proof verification.
    if (sn === 0) return false;
    // b. If LSB(fn) is set, or if fn is equal to sn, then:
    if (lsb(fn) || fn === sn) {
      // i. Set r to HASH(0x01 || p || r).
      r = nodeHash(p, r);
      // ii. If LSB(fn) is not set, then right-shift both fn and sn equally until either LSB(fn) is set or fn is 0.
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = shr(fn);
          sn = shr(sn);
        }
      }
    } else {
      // Otherwise: Set r to HASH(0x01 || r || p).
      r = nodeHash(r, p);
    }
    // c. Finally, right-shift both fn and sn one time.
    fn = shr(fn);
    sn = shr(sn);
  }
  // 5. Compare sn to 0. Compare r against the root_hash. If sn is equal to 0 and r and the root_hash
  //    are equal, then the log has proven the inclusion of hash. Otherwise, fail the proof verification.
  return sn === 0 && equalBytes(r, root);
}

/**
 * RFC 9162 §2.1.4.2, for 0 < first < second. The degenerate cases the RFC leaves to the caller:
 * first = second is consistent iff the proof is empty and the roots are equal; first = 0 (the empty
 * tree) is consistent iff the proof is empty and firstRoot is the empty-tree hash.
 */
export function verifyConsistency(
  first: number,
  second: number,
  proof: readonly Uint8Array[],
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
): boolean {
  if (
    !isSize(first) ||
    !isSize(second) ||
    !isHash(firstRoot) ||
    !isHash(secondRoot) ||
    !Array.isArray(proof)
  ) {
    return false;
  }
  if (first > second) return false;
  if (first === 0) return proof.length === 0 && equalBytes(firstRoot, EMPTY_ROOT);
  if (first === second) return proof.length === 0 && equalBytes(firstRoot, secondRoot);
  if (!proof.every(isHash)) return false;
  // 1. If consistency_path is an empty array, stop and fail the proof verification.
  if (proof.length === 0) return false;
  // 2. If first is an exact power of 2, then prepend first_hash to the consistency_path array.
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : proof;
  // 3. Set fn to first - 1 and sn to second - 1.
  let fn = first - 1;
  let sn = second - 1;
  // 4. If LSB(fn) is set, then right-shift both fn and sn equally until LSB(fn) is not set.
  while (lsb(fn)) {
    fn = shr(fn);
    sn = shr(sn);
  }
  // 5. Set both fr and sr to the first value in the consistency_path array.
  let fr = path[0]!;
  let sr = path[0]!;
  // 6. For each subsequent value c in the consistency_path array:
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    // a. If sn is 0, then stop the iteration and fail the proof verification.
    if (sn === 0) return false;
    // b. If LSB(fn) is set, or if fn is equal to sn, then:
    if (lsb(fn) || fn === sn) {
      // i. Set fr to HASH(0x01 || c || fr). Set sr to HASH(0x01 || c || sr).
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      // ii. If LSB(fn) is not set, then right-shift both fn and sn equally until either LSB(fn) is set or fn is 0.
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = shr(fn);
          sn = shr(sn);
        }
      }
    } else {
      // Otherwise: Set sr to HASH(0x01 || sr || c).
      sr = nodeHash(sr, c);
    }
    // c. Finally, right-shift both fn and sn one time.
    fn = shr(fn);
    sn = shr(sn);
  }
  // 7. After completing iterating through the consistency_path array as described above, verify that
  //    the fr calculated is equal to the first_hash supplied, that the sr calculated is equal to the
  //    second_hash supplied, and that sn is 0.
  return equalBytes(fr, firstRoot) && equalBytes(sr, secondRoot) && sn === 0;
}

function isPowerOfTwo(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}
