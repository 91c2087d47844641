import { describe, expect, it } from 'vitest';
import { type CborValue, cborEncode } from '../src/cbor';
import {
  canonicalJson,
  parseHeader,
  parseReceipt,
  ReceiptFormatError,
  type ReceiptVerification,
  verifyReceipt,
} from '../src/receipt';
import { encodeLeaf, hexToBytes, type LedgerHeader } from '../src/verify';
import { buildChain, headerHashSync, headerJson } from './chain-helpers';
import { hex, leafHashOf, mth, path } from './merkle-helpers';

/** A receipt for the transaction at leaf 2 of the 6-leaf log after ledger 3, with headers 0..2 chained. */
function fixture() {
  const envelope = Uint8Array.of(0xa1, 0x61, 0x78, 0x01);
  const result = new TextEncoder().encode('{"code":"OK","ok":true}');
  const leaves = Array.from({ length: 6 }, (_, i) => Uint8Array.of(i));
  leaves[2] = new Uint8Array(encodeLeaf(3, 0, envelope, result));
  const chain = buildChain(4, (seq) => (seq === 3 ? { logRoot: mth(leaves), logSize: 6 } : undefined));
  const header = chain[3]!;
  return {
    receipt: {
      version: 1,
      txHash: 'ab'.repeat(32),
      envelope: hex(envelope),
      result: hex(result),
      ledgerSeq: 3,
      txIndex: 0,
      leafIndex: 2,
      header: headerJson(header),
      headerHash: hex(headerHashSync(header)),
      inclusionProof: path(2, leaves).map(hex),
      headerChain: chain.slice(0, 3).map(headerJson),
    },
    leafHash: hex(leafHashOf(leaves[2]!)),
    root: hex(mth(leaves)),
    headerHash: hex(headerHashSync(header)),
    genesisHash: hex(headerHashSync(chain[0]!)),
  };
}

const statuses = (v: ReceiptVerification) => Object.fromEntries(v.checks.map((c) => [c.name, c.status]));

describe('receipts', () => {
  it('parses the node’s JSON, wrapped or not', () => {
    const f = fixture();
    const a = parseReceipt(f.receipt);
    expect(parseReceipt({ receipt: f.receipt, steps: [] })).toEqual(a);
    expect(a).toMatchObject({ ledgerSeq: 3, leafIndex: 2, logSize: 6, headerChainLength: 3 });
    expect(a.proof).toHaveLength(3);
    expect(a.header?.sequence).toBe(3);
    expect(a.headerChain).toHaveLength(3);
    expect(parseHeader({ ...f.receipt.header, logRoot: 'ab' })).toBeNull();
  });

  it('reads the node’s form: the receipt as CBOR bytes in hex, with the node’s verdict', async () => {
    const f = fixture();
    const b = (h: string) => hexToBytes(h)!;
    const header = (h: Record<string, string | number>): CborValue =>
      Object.fromEntries(Object.entries(h).map(([k, v]) => [k, typeof v === 'string' ? b(v) : v]));
    const cbor = cborEncode({
      version: 1,
      networkId: b(f.receipt.header.networkId as string),
      envelope: b(f.receipt.envelope),
      result: b(f.receipt.result),
      ledgerSeq: 3,
      txIndex: 0,
      leafIndex: 2,
      header: header(f.receipt.header),
      headerHash: b(f.headerHash),
      inclusionProof: f.receipt.inclusionProof.map(b),
      headerChain: f.receipt.headerChain.map(header),
    });
    const fromNode = {
      txHash: 'ab'.repeat(32),
      ledger: 3,
      receipt: hex(cbor),
      header: f.receipt.header,
      headerHash: f.headerHash,
      leafIndex: 2,
      inclusionProof: f.receipt.inclusionProof,
      scpStatements: 3,
      verification: { ok: true, steps: [], anchoredBy: 'scp' },
    };
    const parsed = parseReceipt(fromNode);
    expect(parsed).toMatchObject({ ledgerSeq: 3, leafIndex: 2, scpEnvelopes: 3, txHash: 'ab'.repeat(32) });
    expect(parsed.nodeVerdict).toEqual({ ok: true, code: null, detail: 'valid, anchored by scp' });
    expect((parsed.header as LedgerHeader).sequence).toBe(3);
    const v = await verifyReceipt(parsed, { trustedGenesisHash: f.genesisHash });
    expect(v.ok).toBe(true);
    expect(statuses(v)['header chain to genesis']).toBe('pass');
    expect(() => parseReceipt({ ...fromNode, receipt: 'zz' })).toThrow(/not hex/);
    expect(() => parseReceipt({ ...fromNode, receipt: 'ff' })).toThrow(/not CBOR/);
    expect(
      parseReceipt({ ...fromNode, verification: { ok: false, code: 'RECEIPT_CHAIN_BROKEN', step: 7 } })
        .nodeVerdict,
    ).toEqual({ ok: false, code: 'RECEIPT_CHAIN_BROKEN', detail: 'RECEIPT_CHAIN_BROKEN at step 7' });
  });

  it('names what is missing', () => {
    expect(() => parseReceipt({})).toThrow(ReceiptFormatError);
    expect(() => parseReceipt({ ...fixture().receipt, inclusionProof: undefined })).toThrow(
      /inclusion proof/,
    );
    expect(() => parseReceipt({ ...fixture().receipt, inclusionProof: ['zz'] })).toThrow(/position 0/);
  });

  it('verifies the leaf, the proof, the header hash and the chain to a trusted genesis hash', async () => {
    const f = fixture();
    const v = await verifyReceipt(parseReceipt(f.receipt), {
      ledgerFromNode: { hash: f.headerHash, logRoot: f.root },
      trustedGenesisHash: f.genesisHash,
    });
    expect(v.ok).toBe(true);
    expect(v.leafHash).toBe(f.leafHash);
    expect(v.inclusion!.steps).toHaveLength(3);
    expect(statuses(v)).toEqual({
      network: 'pass',
      result: 'pass',
      leaf: 'pass',
      'inclusion proof (RFC 9162 §2.1.3.2)': 'pass',
      'header hash': 'pass',
      'header chain to genesis': 'pass',
      'ledger 3 header': 'pass',
      'signatures and SCP statements': 'skipped',
    });
  });

  it('fails a changed result, a header that differs from the node’s, a wrong genesis, a broken chain', async () => {
    const f = fixture();
    const changed = await verifyReceipt(
      parseReceipt({ ...f.receipt, result: hex(new TextEncoder().encode('{}')) }),
    );
    expect(changed.ok).toBe(false);
    expect(changed.inclusion!.ok).toBe(false);
    const other = await verifyReceipt(parseReceipt(f.receipt), {
      ledgerFromNode: { hash: 'ee'.repeat(32), logRoot: f.root },
    });
    expect(other.ok).toBe(false);
    expect(statuses(other)['ledger 3 header']).toBe('fail');
    const wrongGenesis = await verifyReceipt(parseReceipt(f.receipt), {
      trustedGenesisHash: '00'.repeat(32),
    });
    expect(statuses(wrongGenesis)['header chain to genesis']).toBe('fail');
    const fromNode = await verifyReceipt(parseReceipt(f.receipt), { genesisFromNode: f.genesisHash });
    expect(fromNode.checks.find((c) => c.name === 'header chain to genesis')!.detail).toMatch(
      /as this node reports/,
    );
    const chain = [...f.receipt.headerChain];
    chain[1] = { ...chain[1]!, closeTime: 1 };
    const broken = await verifyReceipt(parseReceipt({ ...f.receipt, headerChain: chain }));
    expect(statuses(broken)['header chain to genesis']).toBe('fail');
    const lying = await verifyReceipt(parseReceipt({ ...f.receipt, headerHash: 'cd'.repeat(32) }));
    expect(statuses(lying)['header hash']).toBe('fail');
    expect(lying.ok).toBe(false);
  });

  it('falls back to a stated leaf hash and checks it against the recomputed one', async () => {
    const f = fixture();
    const { envelope: _e, result: _r, ...bare } = f.receipt;
    const stated = await verifyReceipt(parseReceipt({ ...bare, leafHash: f.leafHash }));
    expect(stated.ok).toBe(true);
    expect(statuses(stated).leaf).toBe('skipped');
    const wrong = await verifyReceipt(parseReceipt({ ...f.receipt, leafHash: '00'.repeat(32) }));
    expect(wrong.ok).toBe(false);
  });

  it('skips the header checks for a receipt with a partial header', async () => {
    const f = fixture();
    const partial = {
      ...f.receipt,
      header: { sequence: 3, logRoot: f.root, logSize: 6 },
      headerChain: undefined,
    };
    const v = await verifyReceipt(parseReceipt(partial));
    expect(v.ok).toBe(true);
    expect(statuses(v)['header hash']).toBe('skipped');
  });

  it('checks the network against a genesis file and the result’s canonical form', async () => {
    const f = fixture();
    const networkId = f.receipt.header.networkId as string;
    const receipt = { ...f.receipt, networkId };
    const mine = await verifyReceipt(parseReceipt(receipt), { genesisNetworkId: networkId });
    expect(statuses(mine).network).toBe('pass');
    const theirs = await verifyReceipt(parseReceipt(receipt), { genesisNetworkId: '00'.repeat(32) });
    expect(statuses(theirs).network).toBe('fail');
    expect(theirs.ok).toBe(false);
    const mixed = await verifyReceipt(parseReceipt({ ...receipt, networkId: 'ff'.repeat(32) }));
    expect(statuses(mixed).network).toBe('fail');
    const loose = await verifyReceipt(
      parseReceipt({ ...f.receipt, result: hex(new TextEncoder().encode('{ "ok": true }')) }),
    );
    expect(statuses(loose).result).toBe('fail');
    const named = new TextEncoder().encode(canonicalJson({ code: 'TX_SUCCESS', txHash: 'cd'.repeat(32) }));
    const other = await verifyReceipt(parseReceipt({ ...f.receipt, result: hex(named) }));
    expect(other.checks.find((c) => c.name === 'result')!.detail).toMatch(/names transaction/);
  });

  it('writes canonical JSON with sorted keys', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 1, y: 2 } })).toBe(
      '{"a":[true,null,"x"],"b":1,"c":{"y":2,"z":1}}',
    );
  });
});
