/**
 * Same inputs, same bytes: random transaction sets (valid, failing, replayed, tampered, garbage) are
 * closed twice on fresh stores, once with signature verification and once through the "already
 * verified" shortcut; every header hash, result and state change must match.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ed25519 } from '../../src/crypto/index.js';
import { checkInvariants } from '../../src/domain/index.js';
import { closeLedger, isApplied, type LedgerCloseResult, MemoryLedgerStore } from '../../src/ledger/index.js';
import { decodeEnvelope, type TxOperation, verifyEnvelope } from '../../src/tx/index.js';
import {
  defineEngine,
  defineOring,
  genesis,
  ORING_NSN,
  registerItem,
  registerSite,
  T0,
  tx,
  uii,
  type Who,
  WING,
} from './helpers.js';

const OPS: TxOperation[] = [
  registerSite,
  defineEngine,
  defineOring,
  registerItem('SN1'),
  registerItem('SN2'),
  registerItem('SN1'), // duplicate UII: a failure that records an alert
  { type: 'offerCustody', uii: uii('SN1'), to: WING },
  { type: 'acceptCustody', uii: uii('SN1'), offerId: '2.0.0' },
  { type: 'moveItem', uii: uii('SN2'), location: { lat: 34, lon: -117 } },
  { type: 'receiveStock', nsn: ORING_NSN, site: 'DEPOT-A', lot: '', condition: 'A', quantity: 10 },
  { type: 'issueStock', nsn: ORING_NSN, site: 'DEPOT-A', lot: '', condition: 'A', quantity: 3 },
  { type: 'quarantine', uii: uii('SN2'), reason: 'inspection' },
  { type: 'noSuchOperation' },
];
const WHO: Who[] = ['admin', 'supplyA', 'supplyB', 'maint', 'outsider'];

const txSpec = fc.record({
  who: fc.constantFrom(...WHO),
  seqDelta: fc.constantFrom(0, 0, 0, 0, -1, 1),
  ops: fc.array(fc.integer({ min: 0, max: OPS.length - 1 }), { minLength: 1, maxLength: 3 }),
  tamper: fc.constantFrom('none', 'none', 'none', 'none', 'flip', 'truncate'),
});
const ledgers = fc.array(
  fc.record({
    txs: fc.array(txSpec, { minLength: 1, maxLength: 8 }),
    advance: fc.integer({ min: 1, max: 200_000 }),
  }),
  { minLength: 2, maxLength: 6 },
);

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The domain's whole-state invariants after the history (read-only adapter over the store). */
function invariantProblems(g: ReturnType<typeof genesis>, sets: { txSet: Uint8Array[]; time: number }[]) {
  const store = new MemoryLedgerStore();
  store.putClosedLedger(g, []);
  for (const { txSet, time } of sets) {
    const prev = store.lastClosed()!;
    const input = { prev, txSet, closeTime: time, networkId: g.networkId, suite: 'ed25519' };
    store.putClosedLedger(closeLedger(input, store, store.merkle), []);
  }
  const readOnly = () => {
    throw new Error('read only');
  };
  return checkInvariants({
    get: (k) => store.get(k),
    keys: (p) => store.keys(p),
    put: readOnly,
    delete: readOnly,
  });
}

function run(
  g: ReturnType<typeof genesis>,
  sets: { txSet: Uint8Array[]; time: number }[],
  verified?: Set<string>,
): LedgerCloseResult[] {
  const store = new MemoryLedgerStore();
  store.putClosedLedger(g, []);
  return sets.map(({ txSet, time }) => {
    const r = closeLedger(
      {
        prev: store.lastClosed()!,
        txSet,
        closeTime: time,
        networkId: g.networkId,
        suite: 'ed25519',
        ...(verified !== undefined && { alreadyVerified: (bytes: Uint8Array) => verified.has(hex(bytes)) }),
      },
      store,
      store.merkle,
    );
    store.putClosedLedger(r, []);
    return r;
  });
}

const fingerprint = (rs: LedgerCloseResult[]) =>
  rs.map((r) => ({
    header: hex(r.headerHash),
    results: r.resultBytes.map(hex),
    changes: JSON.stringify(r.stateChanges),
  }));

describe('closeLedger determinism', () => {
  const g = genesis();
  it('closes the same random history to the same bytes twice', () => {
    let applied = 0;
    let rejected = 0;
    fc.assert(
      fc.property(ledgers, (spec) => {
        const seqs = new Map<Who, number>();
        let time = T0;
        const sets = spec.map((l) => {
          time += l.advance;
          const txSet = l.txs.map((t) => {
            const next = (seqs.get(t.who) ?? 0) + 1;
            if (t.seqDelta === 0 && t.tamper === 'none') seqs.set(t.who, next);
            const bytes = tx(
              g.networkId,
              t.who,
              Math.max(0, next + t.seqDelta),
              t.ops.map((i) => OPS[i]!),
            );
            if (t.tamper === 'flip') bytes[bytes.length - 1]! ^= 1;
            return t.tamper === 'truncate' ? bytes.subarray(0, bytes.length - 3) : bytes;
          });
          return { txSet, time };
        });
        // What a herder's verdict cache would hold: the envelopes whose signatures verify.
        const verified = new Set<string>();
        for (const { txSet } of sets) {
          for (const bytes of txSet) {
            try {
              if (verifyEnvelope(decodeEnvelope(bytes), ed25519).ok) verified.add(hex(bytes));
            } catch {}
          }
        }
        const a = run(g, sets);
        const b = run(g, sets, verified);
        expect(invariantProblems(g, sets)).toEqual([]);
        expect(fingerprint(b)).toEqual(fingerprint(a));
        applied += a.reduce((n, r) => n + r.results.filter((x) => x.code === 'TX_SUCCESS').length, 0);
        rejected += a.reduce((n, r) => n + r.results.filter((x) => !isApplied(x)).length, 0);
      }),
      { numRuns: 25, seed: 20261125 },
    );
    // The generator must actually exercise apply, not only rejections.
    expect(applied).toBeGreaterThan(10);
    expect(rejected).toBeGreaterThan(10);
  });
});
