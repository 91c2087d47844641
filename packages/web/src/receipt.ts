// The receipt as GET /v1/receipts/:txHash sends it, and its verification in the browser. The node sends
// {txHash, receipt: hex of the receipt's CBOR (docs/ledger.md §4), header, ..., verification}; the
// browser decodes the CBOR and verifies those exact bytes. A receipt as a JSON object (bytes as hex) is
// read too. The format is read here and nowhere else: a change of field names touches parseReceipt.
import { CborError, cborDecode } from './cbor';
import {
  type Bytes,
  bytesToHex,
  encodeLeaf,
  equalBytes,
  headerHash,
  hexToBytes,
  type InclusionCheck,
  type LedgerHeader,
  leafHash,
  verifyHeaderChain,
  verifyInclusion,
} from './verify';

export interface ParsedReceipt {
  readonly txHash: string | null;
  /** The receipt's network id (hex), when stated. */
  readonly networkId: string | null;
  readonly ledgerSeq: number;
  readonly txIndex: number;
  readonly leafIndex: number;
  readonly envelope: Bytes | null;
  readonly result: Bytes | null;
  /** A leaf hash the receipt states (checked against the one recomputed from envelope and result). */
  readonly statedLeafHash: Bytes | null;
  readonly logRoot: Bytes;
  readonly logSize: number;
  readonly headerHash: string | null;
  readonly proof: Bytes[];
  /** The full header when every field is present (so its hash can be recomputed). */
  readonly header: LedgerHeader | null;
  /** The full headers of the chain, or null when absent or incomplete. */
  readonly headerChain: LedgerHeader[] | null;
  readonly headerChainLength: number;
  readonly scpEnvelopes: number;
  /** What the node's own verifier said (packages/ledger verifyReceipt), when it sent it. */
  readonly nodeVerdict: {
    readonly ok: boolean;
    readonly code: string | null;
    readonly detail: string;
  } | null;
}

/** A header with every field, or null. */
export function parseHeader(v: unknown): LedgerHeader | null {
  if (!isObj(v)) return null;
  const n = (k: string) => num(v[k]);
  const h32 = (k: string) => {
    const b = hex(v[k]);
    return b && b.length === 32 ? b : null;
  };
  const fields = {
    protocolVersion: n('protocolVersion'),
    networkId: h32('networkId'),
    sequence: n('sequence'),
    previousHash: h32('previousHash'),
    closeTime: n('closeTime'),
    txSetHash: h32('txSetHash'),
    resultsHash: h32('resultsHash'),
    stateCommitment: h32('stateCommitment'),
    logRoot: h32('logRoot'),
    logSize: n('logSize'),
  };
  return Object.values(fields).some((x) => x === null) ? null : (fields as LedgerHeader);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const first = (o: Obj, ...keys: string[]): unknown => keys.map((k) => o[k]).find((v) => v != null);
const num = (v: unknown): number | null =>
  typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null;
const hex = (v: unknown): Bytes | null =>
  v instanceof Uint8Array ? v : typeof v === 'string' ? hexToBytes(v) : null;
const hexText = (v: unknown): string | null =>
  v instanceof Uint8Array ? bytesToHex(v) : typeof v === 'string' ? v.toLowerCase() : null;

/** RFC 8785-style canonical JSON for results sent as objects (sorted keys, no whitespace). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObj(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function bytesOf(v: unknown): Bytes | null {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return hexToBytes(v);
  if (isObj(v)) {
    const inner = first(v, 'hex', 'bytes', 'envelope');
    if (typeof inner === 'string') return hexToBytes(inner);
  }
  return null;
}

export class ReceiptFormatError extends Error {}

function verdictOf(v: unknown): ParsedReceipt['nodeVerdict'] {
  if (!isObj(v) || typeof v.ok !== 'boolean') return null;
  const code = typeof v.code === 'string' ? v.code : null;
  const anchored = typeof v.anchoredBy === 'string' ? v.anchoredBy : null;
  const step = typeof v.step === 'string' || typeof v.step === 'number' ? String(v.step) : null;
  const detail = v.ok
    ? `valid${anchored ? `, anchored by ${anchored}` : ''}`
    : `${code ?? 'invalid'}${step ? ` at step ${step}` : ''}`;
  return { ok: v.ok, code, detail };
}

/** Reads a receipt from the API's JSON; throws ReceiptFormatError naming the first missing part. */
export function parseReceipt(json: unknown): ParsedReceipt {
  const outer = isObj(json) ? json : {};
  let r: Obj = isObj(outer.receipt) ? outer.receipt : outer;
  if (typeof outer.receipt === 'string') {
    const bytes = hexToBytes(outer.receipt);
    if (!bytes) throw new ReceiptFormatError('receipt bytes are not hex');
    let decoded: unknown;
    try {
      decoded = cborDecode(bytes);
    } catch (e) {
      throw new ReceiptFormatError(
        `receipt bytes are not CBOR: ${e instanceof CborError ? e.message : String(e)}`,
      );
    }
    if (!isObj(decoded)) throw new ReceiptFormatError('receipt CBOR is not a map');
    r = decoded;
  }
  const header: Obj = isObj(r.header) ? r.header : {};
  const need = <T>(v: T | null, what: string): T => {
    if (v === null || v === undefined) throw new ReceiptFormatError(`receipt has no ${what}`);
    return v;
  };
  const ledgerSeq = need(
    num(first(r, 'ledgerSeq', 'ledgerSequence') ?? first(header, 'sequence', 'seq')),
    'ledger sequence',
  );
  const txIndex = num(r.txIndex) ?? 0;
  const leafIndex = need(num(first(r, 'leafIndex', 'index')), 'leaf index');
  const logRoot = need(hex(first(header, 'logRoot') ?? first(r, 'logRoot', 'rootHash')), 'log root');
  const logSize = need(num(first(header, 'logSize') ?? first(r, 'logSize', 'treeSize')), 'log size');
  const proofRaw = first(r, 'inclusionProof', 'proof', 'auditPath');
  if (!Array.isArray(proofRaw)) throw new ReceiptFormatError('receipt has no inclusion proof');
  const proof = proofRaw.map((p, i) => need(hex(p), `valid hash at proof position ${i}`));
  let result = bytesOf(r.result);
  if (result === null && isObj(r.result)) result = new TextEncoder().encode(canonicalJson(r.result));
  return {
    txHash: hexText(first(outer, 'txHash', 'hash') ?? first(r, 'txHash', 'hash')),
    networkId: hexText(r.networkId),
    ledgerSeq,
    txIndex,
    leafIndex,
    envelope: bytesOf(first(r, 'envelope', 'tx')),
    result,
    statedLeafHash: hex(r.leafHash),
    logRoot,
    logSize,
    headerHash: hexText(r.headerHash),
    proof,
    header: parseHeader(r.header),
    headerChain: Array.isArray(r.headerChain)
      ? r.headerChain.every((h) => parseHeader(h) !== null)
        ? r.headerChain.map((h) => parseHeader(h)!)
        : null
      : null,
    headerChainLength: Array.isArray(r.headerChain) ? r.headerChain.length : 0,
    scpEnvelopes: Array.isArray(r.scpEnvelopes) ? r.scpEnvelopes.length : (num(outer.scpStatements) ?? 0),
    nodeVerdict: verdictOf(outer.verification),
  };
}

export type CheckStatus = 'pass' | 'fail' | 'skipped';

export interface ReceiptCheck {
  readonly name: string;
  readonly status: CheckStatus;
  readonly detail: string;
}

export interface ReceiptVerification {
  readonly ok: boolean;
  readonly leafHash: string | null;
  readonly checks: ReceiptCheck[];
  readonly inclusion: InclusionCheck | null;
}

/**
 * Recomputes the leaf from the receipt's transaction and result, checks the inclusion proof against the
 * header's log root, and (when given) the header hash against the ledger the node reports.
 */
export interface ReceiptContext {
  /** The ledger of the receipt as this node reports it (GET /v1/ledgers/:seq). */
  readonly ledgerFromNode?: { hash: string; logRoot: string | null } | null;
  /** The genesis header hash the verifier trusts (from the genesis file), lowercase hex. */
  readonly trustedGenesisHash?: string | null;
  /** Ledger 0's hash as this node reports it: a weaker anchor, used when no trusted hash is given. */
  readonly genesisFromNode?: string | null;
  /** The network id computed from a genesis file the user loaded (genesis.ts). */
  readonly genesisNetworkId?: string | null;
}

/** docs/ledger.md "Verifying a receipt by hand", step 3: canonical JSON naming the transaction. */
function checkResult(receipt: ParsedReceipt): ReceiptCheck {
  const name = 'result';
  if (!receipt.result) return { name, status: 'skipped', detail: 'the receipt carries no result' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(receipt.result));
  } catch {
    return { name, status: 'fail', detail: 'the result is not JSON' };
  }
  const text = new TextDecoder().decode(receipt.result);
  if (canonicalJson(parsed) !== text)
    return { name, status: 'fail', detail: 'the result is not canonical JSON' };
  const r = isObj(parsed) ? parsed : {};
  const code = typeof r.code === 'string' ? r.code : '?';
  if (
    typeof r.txHash === 'string' &&
    receipt.txHash &&
    r.txHash.toLowerCase() !== receipt.txHash.toLowerCase()
  ) {
    return { name, status: 'fail', detail: `the result names transaction ${r.txHash}` };
  }
  return { name, status: 'pass', detail: `canonical JSON; code ${code}` };
}

function checkNetwork(receipt: ParsedReceipt, genesisNetworkId: string | null): ReceiptCheck {
  const name = 'network';
  const ids = [receipt.networkId, receipt.header ? bytesToHex(receipt.header.networkId) : null].filter(
    (x): x is string => x !== null,
  );
  if (ids.length === 0) return { name, status: 'skipped', detail: 'the receipt names no network' };
  if (ids.some((x) => x !== ids[0])) {
    return { name, status: 'fail', detail: 'the receipt and its header name different networks' };
  }
  if (!genesisNetworkId) {
    return { name, status: 'pass', detail: `network ${ids[0]} (load the genesis file to check it is yours)` };
  }
  return ids[0] === genesisNetworkId
    ? { name, status: 'pass', detail: `network ${ids[0]}, as the loaded genesis file computes` }
    : { name, status: 'fail', detail: `network ${ids[0]} is not the genesis file's ${genesisNetworkId}` };
}

export async function verifyReceipt(
  receipt: ParsedReceipt,
  ctx: ReceiptContext = {},
): Promise<ReceiptVerification> {
  const ledgerFromNode = ctx.ledgerFromNode;
  const checks: ReceiptCheck[] = [checkNetwork(receipt, ctx.genesisNetworkId ?? null), checkResult(receipt)];
  let leaf: Bytes | null = null;
  if (receipt.envelope && receipt.result) {
    leaf = await leafHash(encodeLeaf(receipt.ledgerSeq, receipt.txIndex, receipt.envelope, receipt.result));
    checks.push({
      name: 'leaf',
      status: 'pass',
      detail: `SHA-256(0x00 || CBOR["qm/leaf/v1", ${receipt.ledgerSeq}, ${receipt.txIndex}, envelope, result]) = ${bytesToHex(leaf)}`,
    });
    if (receipt.statedLeafHash) {
      const same = equalBytes(leaf, receipt.statedLeafHash);
      checks.push({
        name: 'stated leaf hash',
        status: same ? 'pass' : 'fail',
        detail: same ? 'matches the recomputed leaf' : 'differs from the recomputed leaf',
      });
    }
  } else if (receipt.statedLeafHash) {
    leaf = receipt.statedLeafHash;
    checks.push({
      name: 'leaf',
      status: 'skipped',
      detail: 'receipt carries no envelope and result; using its stated leaf hash',
    });
  } else {
    checks.push({ name: 'leaf', status: 'fail', detail: 'no envelope, result or leaf hash to start from' });
  }
  let inclusion: InclusionCheck | null = null;
  if (leaf) {
    inclusion = await verifyInclusion(
      leaf,
      receipt.leafIndex,
      receipt.logSize,
      receipt.proof,
      receipt.logRoot,
    );
    checks.push({
      name: 'inclusion proof (RFC 9162 §2.1.3.2)',
      status: inclusion.ok ? 'pass' : 'fail',
      detail: inclusion.ok
        ? `leaf ${receipt.leafIndex} of ${receipt.logSize} leads to the log root in ${inclusion.steps.length} step(s)`
        : (inclusion.failure ?? 'failed'),
    });
  }
  if (ledgerFromNode) {
    const rootOk = ledgerFromNode.logRoot === null || ledgerFromNode.logRoot === bytesToHex(receipt.logRoot);
    const hashOk = receipt.headerHash === null || receipt.headerHash === ledgerFromNode.hash;
    checks.push({
      name: `ledger ${receipt.ledgerSeq} header`,
      status: rootOk && hashOk ? 'pass' : 'fail',
      detail:
        rootOk && hashOk
          ? 'log root and header hash match the ledger this node closed'
          : 'the receipt header differs from the ledger this node closed',
    });
  }
  let computedHeaderHash: string | null = null;
  if (receipt.header) {
    computedHeaderHash = bytesToHex(await headerHash(receipt.header));
    const stated = receipt.headerHash;
    checks.push({
      name: 'header hash',
      status: stated === null || stated === computedHeaderHash ? 'pass' : 'fail',
      detail: `SHA-256(CBOR(header)) = ${computedHeaderHash}${stated !== null && stated !== computedHeaderHash ? ` but the receipt states ${stated}` : ''}`,
    });
  } else {
    checks.push({ name: 'header hash', status: 'skipped', detail: 'the receipt header is incomplete' });
  }
  if (receipt.header && receipt.headerChain && receipt.headerChain.length > 0) {
    const chain = await verifyHeaderChain(receipt.headerChain, receipt.header);
    const genesis = ctx.trustedGenesisHash?.toLowerCase() || null;
    const anchor = genesis ?? ctx.genesisFromNode ?? null;
    const fromGenesis = chain.anchorSequence === 0;
    let status: CheckStatus = chain.ok ? 'pass' : 'fail';
    let detail = chain.ok
      ? `${receipt.headerChain.length} header(s) link ledger ${chain.anchorSequence} to ledger ${receipt.ledgerSeq}`
      : (chain.failure ?? 'broken chain');
    if (chain.ok && fromGenesis && anchor) {
      const same = anchor === chain.anchorHash;
      status = same ? 'pass' : 'fail';
      detail += same
        ? `; its genesis header matches ${genesis ? 'the trusted genesis hash' : 'ledger 0 as this node reports it (enter a trusted genesis header hash to anchor it independently)'}`
        : `; its genesis header ${chain.anchorHash} differs from ${genesis ? 'the trusted genesis hash' : 'ledger 0 as this node reports it'}`;
    } else if (chain.ok) {
      detail += fromGenesis ? '; no genesis hash to compare with' : '; the chain does not start at genesis';
    }
    checks.push({ name: 'header chain to genesis', status, detail });
  } else {
    checks.push({
      name: 'header chain to genesis',
      status: 'skipped',
      detail: 'the receipt carries no (complete) header chain',
    });
  }
  checks.push({
    name: 'signatures and SCP statements',
    status: 'skipped',
    detail: `not checked in the browser (${receipt.scpEnvelopes} SCP statement(s)); an auditor checks them offline with the genesis file (docs/ledger.md §4)`,
  });
  return {
    ok: checks.every((c) => c.status !== 'fail') && inclusion?.ok === true,
    leafHash: leaf ? bytesToHex(leaf) : null,
    checks,
    inclusion,
  };
}
