import {
  decodeEnvelope,
  encodeEnvelope,
  getSuite,
  sha256,
  signTransaction,
  type Transaction,
  txHash,
} from '@qm/ledger';
import { describe, expect, it } from 'vitest';
import { TxQueue } from '../../src/herder/tx-queue.js';

const suite = getSuite('ed25519');
const networkId = sha256(new TextEncoder().encode('queue test'));
const alice = suite.generateKeyPair(new Uint8Array(32).fill(1));
const bob = suite.generateKeyPair(new Uint8Array(32).fill(2));
const body = (seq: bigint): Transaction => ({
  networkId,
  source: alice.publicKey,
  seq,
  timeBounds: { minTime: 0, maxTime: 0 },
  operations: [{ type: 'moveItem', uii: 'D0CVA5674A36458', location: { site: 'DEPOT-A' } }],
});
const signed = (tx: Transaction, ...keys: (typeof alice)[]) =>
  encodeEnvelope({ ...tx, signatures: keys.map((k) => signTransaction(tx, suite, k.privateKey)) });
const next = () => 1n;

describe('tx queue', () => {
  it('admits once, rejects bad signatures, other networks and used sequences with codes', () => {
    const q = new TxQueue(networkId, suite);
    const tx = signed(body(1n), alice);
    expect(q.admit(tx, next, 0)).toMatchObject({ ok: true, fresh: true });
    expect(q.admit(tx, next, 0)).toMatchObject({ ok: true, fresh: false });
    const forged = decodeEnvelope(signed(body(2n), alice));
    const bad = encodeEnvelope({
      ...forged,
      signatures: [{ publicKey: alice.publicKey, signature: new Uint8Array(64) }],
    });
    expect(q.admit(bad, next, 0)).toMatchObject({ ok: false, code: 'TX_BAD_SIGNATURE' });
    expect(q.admit(signed({ ...body(2n), networkId: new Uint8Array(32) }, alice), next, 0)).toMatchObject({
      ok: false,
      code: 'TX_WRONG_NETWORK',
    });
    expect(q.admit(signed(body(0n), alice), next, 0)).toMatchObject({ ok: false, code: 'TX_BAD_SEQ' });
  });

  it('vouches only for the exact envelope bytes it verified', () => {
    const q = new TxQueue(networkId, suite);
    const tx = body(1n);
    const admitted = signed(tx, alice);
    q.admit(admitted, next, 0);
    expect(q.isAdmitted(admitted, txHash(tx))).toBe(true);
    // Same transaction body, other signatures: not the bytes that were checked.
    expect(q.isAdmitted(signed(tx, alice, bob), txHash(tx))).toBe(false);
    expect(q.isAdmitted(signed(body(2n), alice), txHash(body(2n)))).toBe(false);
  });
});
