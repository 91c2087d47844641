// Receipt verification in the browser: RFC 9162 (Certificate Transparency v2) §2.1.3.2 inclusion
// proofs with SHA-256 from WebCrypto, recording every step so the dashboard can show the work.
// Mirrors packages/ledger/src/merkle/verify.ts (which runs on the node); the web package may not import
// it, and it must run without node:crypto.
import { cborEncode } from './cbor';

export { type CborValue, cborEncode } from './cbor';

export type Bytes = Uint8Array;

export const HASH_BYTES = 32;

export function hexToBytes(hex: string): Bytes | null {
  const h = hex.trim().toLowerCase().replace(/^0x/, '');
  if (h.length % 2 !== 0 || !/^[0-9a-f]*$/.test(h)) return null;
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function bytesToHex(b: Bytes): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export function concatBytes(...parts: Bytes[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function equalBytes(a: Bytes, b: Bytes): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export async function sha256(data: Bytes): Promise<Bytes> {
  const copy = new Uint8Array(data); // WebCrypto wants an ArrayBuffer-backed view
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', copy));
}

/** RFC 9162 leaf hash: SHA-256(0x00 || entry). */
export const leafHash = (entry: Bytes): Promise<Bytes> => sha256(concatBytes(Uint8Array.of(0), entry));
/** RFC 9162 interior node: SHA-256(0x01 || left || right). */
export const nodeHash = (left: Bytes, right: Bytes): Promise<Bytes> =>
  sha256(concatBytes(Uint8Array.of(1), left, right));

export interface ProofStep {
  /** Position in the inclusion path (0 = nearest the leaf). */
  readonly index: number;
  readonly sibling: string;
  /** Where the sibling sits: 'left' computes HASH(0x01 || p || r), 'right' HASH(0x01 || r || p). */
  readonly siblingSide: 'left' | 'right';
  readonly fnBefore: number;
  readonly snBefore: number;
  readonly before: string;
  readonly after: string;
}

export interface InclusionCheck {
  readonly ok: boolean;
  readonly steps: ProofStep[];
  /** The root the proof leads to (hex), or null when it stopped early. */
  readonly computedRoot: string | null;
  readonly expectedRoot: string;
  /** Why it failed, in words; null when it passed. */
  readonly failure: string | null;
}

const isSize = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;
const lsb = (n: number): boolean => n % 2 === 1;
const shr = (n: number): number => Math.floor(n / 2);

/**
 * RFC 9162 §2.1.3.2: does `proof` show the leaf with hash `leaf` at `index` in the tree of `size`
 * leaves whose root is `root`? Never throws on malformed input; reports each step taken.
 */
export async function verifyInclusion(
  leaf: Bytes,
  index: number,
  size: number,
  proof: readonly Bytes[],
  root: Bytes,
): Promise<InclusionCheck> {
  const steps: ProofStep[] = [];
  const expectedRoot = bytesToHex(root);
  const fail = (failure: string, computedRoot: string | null = null): InclusionCheck => ({
    ok: false,
    steps,
    computedRoot,
    expectedRoot,
    failure,
  });
  if (!isSize(index) || !isSize(size)) return fail('leaf index or tree size is not a whole number');
  if (leaf.length !== HASH_BYTES || root.length !== HASH_BYTES) return fail('hashes must be 32 bytes');
  // 1. Compare leaf_index against tree_size.
  if (index >= size) return fail(`leaf index ${index} is not below tree size ${size}`);
  // 2. Set fn to leaf_index and sn to tree_size - 1.
  let fn = index;
  let sn = size - 1;
  // 3. Set r to hash.
  let r = leaf;
  // 4. For each value p in the inclusion_path array:
  for (const [i, p] of proof.entries()) {
    if (p.length !== HASH_BYTES) return fail(`proof entry ${i} is not 32 bytes`);
    // a. If sn is 0, stop and fail.
    if (sn === 0) return fail(`proof is longer than the path (entry ${i} is extra)`);
    const fnBefore = fn;
    const snBefore = sn;
    const before = r;
    let side: 'left' | 'right';
    // b. If LSB(fn) is set, or fn equals sn: r = HASH(0x01 || p || r), then shift until LSB(fn) or fn = 0.
    if (lsb(fn) || fn === sn) {
      r = await nodeHash(p, r);
      side = 'left';
      while (!lsb(fn) && fn !== 0) {
        fn = shr(fn);
        sn = shr(sn);
      }
    } else {
      // Otherwise r = HASH(0x01 || r || p).
      r = await nodeHash(r, p);
      side = 'right';
    }
    // c. Right-shift both fn and sn once.
    fn = shr(fn);
    sn = shr(sn);
    steps.push({
      index: i,
      sibling: bytesToHex(p),
      siblingSide: side,
      fnBefore,
      snBefore,
      before: bytesToHex(before),
      after: bytesToHex(r),
    });
  }
  const computedRoot = bytesToHex(r);
  // 5. sn must be 0 and r must equal the root.
  if (sn !== 0) return fail('proof is shorter than the path to the root', computedRoot);
  if (!equalBytes(r, root))
    return fail('computed root differs from the ledger header log root', computedRoot);
  return { ok: true, steps, computedRoot, expectedRoot, failure: null };
}

// ---- the leaf entry: CBOR([LEAF_TAG, ledgerSeq, txIndex, envelope, result]) -------------------------

export const LEAF_TAG = 'qm/leaf/v1';

export function encodeLeaf(ledgerSeq: number, txIndex: number, envelope: Bytes, result: Bytes): Bytes {
  return cborEncode([LEAF_TAG, ledgerSeq, txIndex, envelope, result]);
}

// ---- ledger headers: headerHash = SHA-256(CBOR(header)) ---------------------------------------------

export interface LedgerHeader {
  readonly protocolVersion: number;
  readonly networkId: Bytes;
  readonly sequence: number;
  readonly previousHash: Bytes;
  readonly closeTime: number;
  readonly txSetHash: Bytes;
  readonly resultsHash: Bytes;
  readonly stateCommitment: Bytes;
  readonly logRoot: Bytes;
  readonly logSize: number;
}

export function headerHash(h: LedgerHeader): Promise<Bytes> {
  return sha256(
    cborEncode({
      protocolVersion: h.protocolVersion,
      networkId: h.networkId,
      sequence: h.sequence,
      previousHash: h.previousHash,
      closeTime: h.closeTime,
      txSetHash: h.txSetHash,
      resultsHash: h.resultsHash,
      stateCommitment: h.stateCommitment,
      logRoot: h.logRoot,
      logSize: h.logSize,
    }),
  );
}

export interface ChainCheck {
  readonly ok: boolean;
  /** Hash of the first header of the chain (the genesis header when it starts at 0). */
  readonly anchorHash: string | null;
  readonly anchorSequence: number | null;
  readonly failure: string | null;
}

/**
 * Checks that `chain` (ascending, consecutive) links to `header`: each header's previousHash is the hash
 * of the one before, and all share the network id.
 */
export async function verifyHeaderChain(
  chain: readonly LedgerHeader[],
  header: LedgerHeader,
): Promise<ChainCheck> {
  const all = [...chain, header];
  const first = all[0]!;
  const fail = (failure: string): ChainCheck => ({
    ok: false,
    anchorHash: null,
    anchorSequence: first.sequence,
    failure,
  });
  for (let i = 1; i < all.length; i++) {
    const prev = all[i - 1]!;
    const cur = all[i]!;
    if (cur.sequence !== prev.sequence + 1)
      return fail(`ledger ${cur.sequence} does not follow ${prev.sequence}`);
    if (!equalBytes(cur.networkId, prev.networkId))
      return fail(`ledger ${cur.sequence} is of another network`);
    if (!equalBytes(cur.previousHash, await headerHash(prev))) {
      return fail(`ledger ${cur.sequence} does not link to ledger ${prev.sequence}`);
    }
  }
  return {
    ok: true,
    anchorHash: bytesToHex(await headerHash(first)),
    anchorSequence: first.sequence,
    failure: null,
  };
}
