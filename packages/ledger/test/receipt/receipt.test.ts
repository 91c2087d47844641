import { beforeAll, describe, expect, it } from 'vitest';
import { encode } from '../../src/encoding/index.js';
import {
  buildGenesisLedger,
  canonicalJsonBytes,
  closeLedger,
  headerHash,
  MemoryLedgerStore,
} from '../../src/ledger/index.js';
import {
  buildReceipt,
  decodeReceipt,
  encodeReceipt,
  type Receipt,
  type ReceiptTrust,
  trustFromGenesis,
  verifyReceipt,
} from '../../src/receipt/index.js';
import { decodeEnvelope, txHash } from '../../src/tx/index.js';
import {
  defineEngine,
  defineOring,
  genesisDescription,
  registerItem,
  registerSite,
  T0,
  tx,
} from '../ledger/helpers.js';

let store: MemoryLedgerStore;
let trust: ReceiptTrust;
let receipt: Receipt;

beforeAll(() => {
  trust = trustFromGenesis(genesisDescription());
  store = new MemoryLedgerStore();
  store.putClosedLedger(buildGenesisLedger(genesisDescription()), []);
  const net = trust.networkId;
  const sets = [
    [tx(net, 'admin', 1, [registerSite]), tx(net, 'supplyA', 1, [defineEngine])],
    [tx(net, 'supplyA', 2, [registerItem('SN1')]), tx(net, 'supplyA', 3, [defineOring])],
    [tx(net, 'supplyA', 4, [registerItem('SN2')])],
  ];
  sets.forEach((txSet, i) => {
    const r = closeLedger(
      { prev: store.lastClosed()!, txSet, closeTime: T0 + 10 * (i + 1), networkId: net, suite: 'ed25519' },
      store,
      store.merkle,
    );
    store.putClosedLedger(r, [encode(['scp-statement', i])]);
  });
  const target = txHash(decodeEnvelope(tx(net, 'supplyA', 2, [registerItem('SN1')])));
  receipt = buildReceipt(store, target, { chainFrom: 0 });
});

const fails = (r: Receipt | Uint8Array, opts = {}) => {
  const v = verifyReceipt(r, trust, opts);
  return v.ok ? 'OK' : v.code;
};

describe('receipts', () => {
  it('verify offline from the genesis file, with readable steps', () => {
    const v = verifyReceipt(receipt, trust);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.anchoredBy).toEqual(['header-chain']);
    expect(v.steps.join('\n')).toMatch(/inclusion proof/);
    expect(v.steps.join('\n')).toMatch(/SCP statement\(s\) present, not checked/);
  });

  it('round-trip through their canonical bytes', () => {
    const bytes = encodeReceipt(receipt);
    expect(decodeReceipt(bytes)).toEqual(receipt);
    expect(fails(bytes)).toBe('OK');
    expect(fails(new Uint8Array([1, 2, 3]))).toBe('RECEIPT_MALFORMED');
    expect(fails(encode({ what: 'ever' }))).toBe('RECEIPT_MALFORMED');
  });

  it('fail with the right code for every tampered field', () => {
    const flip = (b: Uint8Array, at = b.length - 1) => {
      const c = new Uint8Array(b);
      c[at]! ^= 1;
      return c;
    };
    const other = trustFromGenesis({ ...genesisDescription(), name: 'another' });
    expect(verifyReceipt(receipt, other).ok ? 'OK' : 'FAIL').toBe('FAIL');
    expect(verifyReceipt(receipt, other)).toMatchObject({ code: 'RECEIPT_WRONG_NETWORK' });
    expect(fails({ ...receipt, envelope: flip(receipt.envelope) })).toBe('RECEIPT_TX_SIGNATURE');
    expect(fails({ ...receipt, envelope: flip(receipt.envelope, 0) })).toBe('RECEIPT_TX_MALFORMED');
    const result = JSON.parse(Buffer.from(receipt.result).toString());
    expect(fails({ ...receipt, result: canonicalJsonBytes({ ...result, code: 'TX_FAILED' }) })).toBe(
      'RECEIPT_INCLUSION_FAILED',
    );
    expect(fails({ ...receipt, result: canonicalJsonBytes({ ...result, code: 'TX_BAD_SEQ' }) })).toBe(
      'RECEIPT_RESULT_MISMATCH',
    );
    expect(fails({ ...receipt, result: Buffer.from(` ${Buffer.from(receipt.result).toString()}`) })).toBe(
      'RECEIPT_RESULT_MALFORMED',
    );
    expect(fails({ ...receipt, leafIndex: receipt.leafIndex + 1 })).toBe('RECEIPT_INCLUSION_FAILED');
    expect(fails({ ...receipt, txIndex: receipt.txIndex + 1 })).toBe('RECEIPT_INCLUSION_FAILED');
    expect(fails({ ...receipt, inclusionProof: receipt.inclusionProof.map((p) => flip(p)) })).toBe(
      'RECEIPT_INCLUSION_FAILED',
    );
    expect(fails({ ...receipt, ledgerSeq: receipt.ledgerSeq + 1 })).toBe('RECEIPT_HEADER_MISMATCH');
    const header = { ...receipt.header, logRoot: flip(receipt.header.logRoot) };
    expect(fails({ ...receipt, header })).toBe('RECEIPT_INCLUSION_FAILED');
    const moved = { ...receipt.header, closeTime: receipt.header.closeTime + 1 };
    expect(fails({ ...receipt, header: moved })).toBe('RECEIPT_HEADER_HASH_MISMATCH');
    // A forged header with a consistent stated hash still does not link to the trusted chain.
    const forged = { ...receipt.header, previousHash: flip(receipt.header.previousHash) };
    expect(fails({ ...receipt, header: forged, headerHash: headerHash(forged) })).toBe(
      'RECEIPT_CHAIN_BROKEN',
    );
    const chain = receipt.headerChain!;
    const badStart = [{ ...chain[0]!, closeTime: 1 }, ...chain.slice(1)];
    expect(fails({ ...receipt, headerChain: badStart })).toBe('RECEIPT_CHAIN_UNTRUSTED');
    expect(fails({ ...receipt, headerChain: chain.slice(0, 1) })).toBe('RECEIPT_CHAIN_BROKEN');
  });

  it('need an anchor: a chain, checked SCP statements, or an explicit opt-out', () => {
    const { headerChain: _, ...bare } = receipt;
    expect(fails(bare)).toBe('RECEIPT_UNANCHORED');
    expect(fails(bare, { allowUnanchored: true })).toBe('OK');
    const yes = () => ({ ok: true as const, detail: 'quorum of 1 externalized it' });
    const no = () => ({ ok: false as const, reason: 'no quorum' });
    expect(fails(bare, { verifyScp: yes })).toBe('OK');
    expect(fails(bare, { verifyScp: no })).toBe('RECEIPT_SCP_INVALID');
    const v = verifyReceipt(bare, trust, { verifyScp: yes });
    expect(v.ok && v.anchoredBy).toEqual(['scp']);
  });

  it('are built only for applied transactions', () => {
    expect(() => buildReceipt(store, new Uint8Array(32))).toThrow(/no applied transaction/);
  });
});
