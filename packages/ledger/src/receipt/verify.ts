/**
 * Offline receipt verification. Every check is a named step; the first failing one ends verification
 * with a stable code, and a success lists every step in words, so an auditor can follow (and redo by
 * hand, docs/ledger.md) exactly what was proven. Never throws on any input.
 */
import { equalBytes } from '../crypto/bytes.js';
import { getSuite } from '../crypto/registry.js';
import type { SignatureSuite } from '../crypto/suite.js';
import { encodeId } from '../ids/strkey.js';
import { parseCanonicalJson } from '../ledger/canonical-json.js';
import { buildGenesisLedger, type GenesisDescription } from '../ledger/genesis.js';
import { headerHash, type LedgerHeader, PROTOCOL_VERSION } from '../ledger/header.js';
import { encodeLeaf, type LedgerTxResult } from '../ledger/result.js';
import { leafHash } from '../merkle/hash.js';
import { verifyInclusion } from '../merkle/verify.js';
import { decodeEnvelope, verifyEnvelope } from '../tx/envelope.js';
import { decodeReceipt, type Receipt, receiptSchema } from './receipt.js';

export const RECEIPT_ERROR_CODES = {
  RECEIPT_MALFORMED: 'The receipt does not decode, or a field is missing, unknown or of the wrong size.',
  RECEIPT_WRONG_NETWORK: 'The receipt, its header or its transaction belongs to another network.',
  RECEIPT_PROTOCOL_UNSUPPORTED: "The header's protocol version is not one this verifier knows.",
  RECEIPT_TX_MALFORMED: 'The transaction envelope does not decode.',
  RECEIPT_TX_SIGNATURE: "The transaction's signatures do not verify under the network suite.",
  RECEIPT_RESULT_MALFORMED: 'The result bytes are not canonical JSON of a transaction result.',
  RECEIPT_RESULT_MISMATCH: 'The result names another transaction, or says the transaction was not applied.',
  RECEIPT_HEADER_MISMATCH: 'The receipt names another ledger than its header.',
  RECEIPT_INCLUSION_FAILED: "The inclusion proof does not lead from the leaf to the header's log root.",
  RECEIPT_HEADER_HASH_MISMATCH: 'The stated header hash is not the hash of the header.',
  RECEIPT_CHAIN_UNTRUSTED: 'The header chain does not start at a trusted header.',
  RECEIPT_CHAIN_BROKEN: 'Two consecutive headers of the chain do not link (sequence or previous hash).',
  RECEIPT_SCP_INVALID: 'The SCP statements do not prove that a quorum externalized this ledger.',
  RECEIPT_UNANCHORED:
    'Nothing ties the header to the network: no trusted chain and no checked SCP statements.',
} as const;

export type ReceiptErrorCode = keyof typeof RECEIPT_ERROR_CODES;

/** What the verifier trusts: derived from the genesis file alone (see trustFromGenesis). */
export interface ReceiptTrust {
  readonly networkId: Uint8Array;
  readonly suite: string | SignatureSuite;
  /** Header hashes the verifier trusts as chain anchors; the genesis header hash at least. */
  readonly trustedHeaderHashes: readonly Uint8Array[];
}

/**
 * Checks SCP envelopes for a ledger (supplied by packages/node, which knows the SCP formats and the
 * network's quorum sets): ok when a quorum of validators signed statements externalizing this header.
 */
export type ScpVerifier = (
  header: LedgerHeader,
  headerHash: Uint8Array,
  envelopes: readonly Uint8Array[],
) => { ok: true; detail: string } | { ok: false; reason: string };

export interface VerifyReceiptOptions {
  verifyScp?: ScpVerifier;
  /** Accept a receipt whose header is not anchored (self-consistent only). Default false. */
  allowUnanchored?: boolean;
}

/** What ties a verified header to the network. */
export type Anchor = 'header-chain' | 'scp' | 'trusted-header';

export type VerifyReceiptResult =
  | { ok: true; steps: string[]; anchoredBy: Anchor[] }
  | { ok: false; code: ReceiptErrorCode; step: string; steps: string[] };

/** The trust anchor of a network: its id, suite and genesis header hash. */
export function trustFromGenesis(g: GenesisDescription): ReceiptTrust {
  const ledger = buildGenesisLedger(g);
  return { networkId: ledger.networkId, suite: g.suite, trustedHeaderHashes: [ledger.headerHash] };
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

class Failed {
  constructor(
    readonly code: ReceiptErrorCode,
    readonly step: string,
  ) {}
}

export function verifyReceipt(
  input: Receipt | Uint8Array,
  trust: ReceiptTrust,
  opts: VerifyReceiptOptions = {},
): VerifyReceiptResult {
  const steps: string[] = [];
  try {
    const anchoredBy = verifySteps(input, trust, opts, steps);
    return { ok: true, steps, anchoredBy };
  } catch (e) {
    if (e instanceof Failed) return { ok: false, code: e.code, step: e.step, steps };
    // Nothing below should throw; if something does, the receipt is still not proven.
    return { ok: false, code: 'RECEIPT_MALFORMED', step: `unexpected error: ${String(e)}`, steps };
  }
}

function verifySteps(
  input: Receipt | Uint8Array,
  trust: ReceiptTrust,
  opts: VerifyReceiptOptions,
  steps: string[],
): Anchor[] {
  const check = (cond: boolean, code: ReceiptErrorCode, step: string): void => {
    if (!cond) throw new Failed(code, step);
  };
  let r: Receipt;
  try {
    r = input instanceof Uint8Array ? decodeReceipt(input) : receiptSchema.parse(input);
  } catch (e) {
    throw new Failed('RECEIPT_MALFORMED', `decode receipt: ${e instanceof Error ? e.message : String(e)}`);
  }
  steps.push(
    `receipt decoded (version ${r.version}, ledger ${r.ledgerSeq}, tx ${r.txIndex}, leaf ${r.leafIndex})`,
  );

  const net = hex(trust.networkId);
  check(
    equalBytes(r.networkId, trust.networkId),
    'RECEIPT_WRONG_NETWORK',
    `receipt network ${hex(r.networkId)} is not ${net}`,
  );
  check(
    equalBytes(r.header.networkId, trust.networkId),
    'RECEIPT_WRONG_NETWORK',
    'header network differs from genesis',
  );
  check(
    r.header.protocolVersion === PROTOCOL_VERSION,
    'RECEIPT_PROTOCOL_UNSUPPORTED',
    `protocol ${r.header.protocolVersion}`,
  );
  steps.push(`network id ${net} matches the genesis file (${encodeId('network', trust.networkId)})`);

  // 1. The transaction: decodes, names this network, and every signature verifies.
  let suite: SignatureSuite;
  try {
    suite = typeof trust.suite === 'string' ? getSuite(trust.suite) : trust.suite;
  } catch {
    throw new Failed('RECEIPT_MALFORMED', `unknown suite ${String(trust.suite)}`);
  }
  let env: ReturnType<typeof decodeEnvelope>;
  try {
    env = decodeEnvelope(r.envelope);
  } catch (e) {
    throw new Failed(
      'RECEIPT_TX_MALFORMED',
      `decode envelope: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  check(
    equalBytes(env.networkId, trust.networkId),
    'RECEIPT_WRONG_NETWORK',
    'transaction names another network',
  );
  const v = verifyEnvelope(env, suite);
  check(v.ok, 'RECEIPT_TX_SIGNATURE', `signatures: ${v.ok ? '' : v.code}`);
  const txHashHex = hex(v.hash);
  steps.push(
    `transaction ${encodeId('tx', v.hash)} (sha256 of its body ${txHashHex}) carries ${env.signatures.length} valid ${suite.name} signature(s), the source's among them`,
  );

  // 2. The result: canonical, about this transaction, applied.
  let result: LedgerTxResult;
  try {
    result = parseCanonicalJson(r.result) as LedgerTxResult;
  } catch {
    throw new Failed('RECEIPT_RESULT_MALFORMED', 'result bytes are not canonical JSON');
  }
  check(typeof result === 'object' && result !== null, 'RECEIPT_RESULT_MALFORMED', 'result is not an object');
  check(result.txHash === txHashHex, 'RECEIPT_RESULT_MISMATCH', `result is for tx ${String(result.txHash)}`);
  check(
    result.code === 'TX_SUCCESS' || result.code === 'TX_FAILED',
    'RECEIPT_RESULT_MISMATCH',
    `result code ${String(result.code)} is not an applied transaction`,
  );
  steps.push(`result: ${result.code} for this transaction`);

  // 3. The leaf and its inclusion in the log at the header's size.
  check(
    r.ledgerSeq === r.header.sequence,
    'RECEIPT_HEADER_MISMATCH',
    `receipt says ledger ${r.ledgerSeq}, header is ${r.header.sequence}`,
  );
  const leaf = leafHash(encodeLeaf(r.ledgerSeq, r.txIndex, r.envelope, r.result));
  steps.push(
    `leaf hash sha256(0x00 || CBOR(["qm/leaf/v1", ${r.ledgerSeq}, ${r.txIndex}, envelope, result])) = ${hex(leaf)}`,
  );
  check(
    verifyInclusion(leaf, r.leafIndex, r.header.logSize, r.inclusionProof, r.header.logRoot),
    'RECEIPT_INCLUSION_FAILED',
    `inclusion of leaf ${r.leafIndex} in a log of ${r.header.logSize}`,
  );
  steps.push(
    `RFC 9162 inclusion proof (${r.inclusionProof.length} hashes) leads from leaf ${r.leafIndex} to log root ${hex(r.header.logRoot)} of size ${r.header.logSize}`,
  );

  // 4. The header hash.
  const hh = headerHash(r.header);
  check(
    equalBytes(hh, r.headerHash),
    'RECEIPT_HEADER_HASH_MISMATCH',
    `header hashes to ${hex(hh)}, receipt says ${hex(r.headerHash)}`,
  );
  steps.push(
    `ledger ${r.header.sequence} header hash sha256(CBOR(header)) = ${hex(hh)} (${encodeId('ledger', hh)})`,
  );

  // 5. Anchors: a trusted header, a chain down to one, SCP statements.
  const trusted = (h: Uint8Array) => trust.trustedHeaderHashes.some((t) => equalBytes(t, h));
  const anchoredBy: Anchor[] = [];
  if (trusted(hh)) {
    anchoredBy.push('trusted-header');
    steps.push('the header itself is trusted');
  }
  if (r.headerChain !== undefined && r.headerChain.length > 0) {
    const chain = [...r.headerChain, r.header];
    let prevHash = headerHash(chain[0]!);
    check(
      trusted(prevHash),
      'RECEIPT_CHAIN_UNTRUSTED',
      `chain starts at ledger ${chain[0]!.sequence} (${hex(prevHash)}), not a trusted header`,
    );
    for (let i = 1; i < chain.length; i++) {
      const h = chain[i]!;
      check(
        h.sequence === chain[i - 1]!.sequence + 1 && equalBytes(h.previousHash, prevHash),
        'RECEIPT_CHAIN_BROKEN',
        `ledger ${h.sequence} does not follow ledger ${chain[i - 1]!.sequence}`,
      );
      check(
        equalBytes(h.networkId, trust.networkId),
        'RECEIPT_CHAIN_BROKEN',
        `ledger ${h.sequence} is of another network`,
      );
      prevHash = headerHash(h);
    }
    anchoredBy.push('header-chain');
    steps.push(
      `header chain of ${chain.length - 1} link(s) from trusted ledger ${chain[0]!.sequence} to ledger ${r.header.sequence}`,
    );
  }
  if (r.scpEnvelopes !== undefined && r.scpEnvelopes.length > 0) {
    if (opts.verifyScp === undefined) {
      steps.push(`${r.scpEnvelopes.length} SCP statement(s) present, not checked (no SCP verifier given)`);
    } else {
      const s = opts.verifyScp(r.header, hh, r.scpEnvelopes);
      check(s.ok, 'RECEIPT_SCP_INVALID', `SCP statements: ${s.ok ? '' : s.reason}`);
      anchoredBy.push('scp');
      steps.push(`SCP: ${s.ok ? s.detail : ''}`);
    }
  }
  check(
    anchoredBy.length > 0 || opts.allowUnanchored === true,
    'RECEIPT_UNANCHORED',
    'no trusted header chain and no checked SCP statements',
  );
  if (anchoredBy.length === 0) steps.push('WARNING: header not anchored to the network (allowed by option)');
  return anchoredBy;
}
