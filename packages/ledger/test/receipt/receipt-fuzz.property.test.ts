/**
 * Untrusted bytes: header and receipt decoders throw nothing but coded DecodeErrors, and verifyReceipt
 * never throws and never accepts a receipt whose bytes were changed.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/errors.js';
import { closeLedger, decodeHeader, encodeHeader, MemoryLedgerStore } from '../../src/ledger/index.js';
import {
  buildReceipt,
  decodeReceipt,
  encodeReceipt,
  type ReceiptTrust,
  trustFromGenesis,
  verifyReceipt,
} from '../../src/receipt/index.js';
import { decodeEnvelope, txHash } from '../../src/tx/index.js';
import { defineEngine, genesis, genesisDescription, registerSite, T0, tx } from '../ledger/helpers.js';

let receiptBytes: Uint8Array;
let headerBytes: Uint8Array;
let trust: ReceiptTrust;

beforeAll(() => {
  const g = genesis();
  trust = trustFromGenesis(genesisDescription());
  const store = new MemoryLedgerStore();
  store.putClosedLedger(g, []);
  const t = tx(g.networkId, 'supplyA', 1, [defineEngine]);
  const r = closeLedger(
    {
      prev: g.header,
      txSet: [tx(g.networkId, 'admin', 1, [registerSite]), t],
      closeTime: T0 + 5,
      networkId: g.networkId,
      suite: 'ed25519',
    },
    store,
    store.merkle,
  );
  store.putClosedLedger(r, []);
  receiptBytes = encodeReceipt(buildReceipt(store, txHash(decodeEnvelope(t)), { chainFrom: 0 }));
  headerBytes = encodeHeader(r.header);
});

/** Runs a decoder; returns 'ok' or the DecodeError's code, and rethrows anything else. */
function outcome(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof DecodeError) return e.code;
    throw e;
  }
}

const mutation = fc.record({
  at: fc.nat(),
  xor: fc.integer({ min: 1, max: 255 }),
  cut: fc.boolean(),
});

describe('receipt and header decoders on hostile bytes', () => {
  it('reject random bytes with a DecodeError code', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(outcome(() => decodeHeader(b))).not.toBe('ok');
        expect(outcome(() => decodeReceipt(b))).not.toBe('ok');
        expect(verifyReceipt(b, trust).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('never accept a receipt or header with a changed byte', () => {
    fc.assert(
      fc.property(mutation, ({ at, xor, cut }) => {
        const r = new Uint8Array(receiptBytes);
        const i = at % r.length;
        if (!cut) r[i]! ^= xor;
        const bad = cut ? r.subarray(0, i) : r;
        const v = verifyReceipt(bad, trust);
        expect(v.ok).toBe(false);
        const h = new Uint8Array(headerBytes);
        const j = at % h.length;
        h[j]! ^= xor;
        const decoded = outcome(() => decodeHeader(h));
        // A flipped byte inside a hash field still decodes (hashes are opaque); anything else must not.
        if (decoded === 'ok') expect(decodeHeader(h)).not.toEqual(decodeHeader(headerBytes));
      }),
      { numRuns: 500 },
    );
    expect(verifyReceipt(receiptBytes, trust).ok).toBe(true);
  });
});
