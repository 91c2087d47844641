/**
 * Who a transaction's keys are, and its source's sequence number.
 *
 * The domain knows members and devices by their strkey ids (M... and D..., src/ids), so a verified
 * public key is both a possible member id and a possible device id; the source is whichever of the two
 * is registered. The next expected sequence number lives in the state under `seq/<id>` (a decimal string:
 * sequence numbers are 64-bit), so it is covered by the state commitment like everything else.
 */
import { cacheKey } from '../crypto/bytes.js';
import { K } from '../domain/state.js';
import { encodeId } from '../ids/strkey.js';
import type { StateReader } from './change-set.js';

export const SEQ_PREFIX = 'seq/';
export const seqKey = (id: string): string => `${SEQ_PREFIX}${id}`;

export interface SeqRecord {
  /** The sequence number the source's next transaction must carry. */
  next: string;
}

/** The first sequence number of every source is 1. */
export function nextSeq(state: StateReader, id: string): bigint {
  const r = state.get(seqKey(id)) as SeqRecord | undefined;
  return r === undefined ? 1n : BigInt(r.next);
}

export function seqRecord(next: bigint): SeqRecord {
  return { next: next.toString() };
}

/**
 * Member and device ids by public key (base64), bounded and cleared when full: every transaction asks for
 * both readings of its keys, and a strkey costs a base32 encoding and a checksum.
 */
const idsByKey = new Map<string, { member: string; device: string }>();
const ID_CACHE_ENTRIES = 10_000;

function idsOf(publicKey: Uint8Array): { member: string; device: string } {
  const k = cacheKey(publicKey);
  let ids = idsByKey.get(k);
  if (ids === undefined) {
    // encodeId throws on a bad length: nothing is cached for such a key.
    ids = { member: encodeId('member', publicKey), device: encodeId('device', publicKey) };
    if (idsByKey.size >= ID_CACHE_ENTRIES) idsByKey.clear();
    idsByKey.set(k, ids);
  }
  return ids;
}

export const memberIdOf = (publicKey: Uint8Array): string => idsOf(publicKey).member;
export const deviceIdOf = (publicKey: Uint8Array): string => idsOf(publicKey).device;

/** The registered identity of a source key: member first, then device; undefined if neither. */
export function sourceIdOf(state: StateReader, publicKey: Uint8Array): string | undefined {
  const member = memberIdOf(publicKey);
  if (state.get(K.member(member)) !== undefined) return member;
  const device = deviceIdOf(publicKey);
  if (state.get(K.device(device)) !== undefined) return device;
  return undefined;
}

/** Every id a verified signature speaks for (member and device readings of each key), deduplicated. */
export function signerIds(keys: readonly Uint8Array[]): string[] {
  const out = new Set<string>();
  for (const k of keys) {
    out.add(memberIdOf(k));
    out.add(deviceIdOf(k));
  }
  return [...out];
}
