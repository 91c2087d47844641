// Quorum sets by hash: every validator's set from the network configuration, plus any learned later.
import { sha256 } from '@qm/ledger';
import { checkQuorumSetSanity, encodeQuorumSet, type Hash, type QuorumSet } from '@qm/scp';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export const quorumSetHash = (q: QuorumSet): Hash => sha256(encodeQuorumSet(q));

export class QuorumSetRegistry {
  private readonly byHash = new Map<string, QuorumSet>();

  /** Adds a sane quorum set; returns its hash. Throws RangeError with the reason for an insane one. */
  add(q: QuorumSet): Hash {
    const sanity = checkQuorumSetSanity(q);
    if (!sanity.ok) throw new RangeError(`invalid quorum set: ${sanity.reason}`);
    const h = quorumSetHash(q);
    this.byHash.set(hex(h), q);
    return h;
  }

  get(hash: Hash): QuorumSet | null {
    return this.byHash.get(hex(hash)) ?? null;
  }
}
