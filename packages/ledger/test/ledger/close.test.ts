import { describe, expect, it } from 'vitest';
import { equalBytes } from '../../src/crypto/index.js';
import { encode } from '../../src/encoding/index.js';
import {
  applyLedger,
  buildGenesisLedger,
  closeLedger,
  decodeHeader,
  encodeHeader,
  headerHash,
  type LedgerCloseResult,
  MemoryLedgerStore,
  nextSeq,
  parseGenesisDescription,
  txSetHash,
} from '../../src/ledger/index.js';
import { MerkleLog } from '../../src/merkle/index.js';
import { encodeEnvelope } from '../../src/tx/index.js';
import {
  DEPOT,
  defineEngine,
  envelope,
  genesis,
  genesisDescription,
  id,
  registerItem,
  registerSite,
  T0,
  tx,
  uii,
  WING,
} from './helpers.js';

function setup() {
  const g = genesis();
  const store = new MemoryLedgerStore();
  store.putClosedLedger(g, []);
  const net = g.networkId;
  let time = T0;
  const close = (txSet: Uint8Array[], advanceSeconds = 5): LedgerCloseResult => {
    time += advanceSeconds;
    const r = closeLedger(
      { prev: store.lastClosed()!, txSet, closeTime: time, networkId: net, suite: 'ed25519' },
      store,
      store.merkle,
    );
    store.putClosedLedger(r, []);
    return r;
  };
  return { g, store, net, close };
}

const codes = (r: LedgerCloseResult) => r.results.map((x) => x.code);

describe('genesis ledger', () => {
  it('is ledger 0 with the genesis state committed and an empty log', () => {
    const g = genesis();
    expect(g.header.sequence).toBe(0);
    expect(g.header.logSize).toBe(0);
    expect(equalBytes(g.header.networkId, g.networkId)).toBe(true);
    expect(g.stateChanges.some((c) => c.key === `member/${id('admin')}`)).toBe(true);
    // Same description, same network id and header hash.
    expect(equalBytes(genesis().headerHash, g.headerHash)).toBe(true);
  });

  it('rejects a description with a bad validator id or quorum set, with GENESIS_INVALID', () => {
    const code = (f: () => unknown) => {
      try {
        f();
        return 'NO ERROR';
      } catch (e) {
        return (e as { code?: string }).code;
      }
    };
    const d = genesisDescription();
    expect(
      code(() => buildGenesisLedger({ ...d, validators: [{ ...d.validators[0]!, id: id('admin') }] })),
    ).toBe('GENESIS_INVALID');
    const qs = { threshold: 2, validators: d.validators[0]!.quorumSet.validators, innerSets: [] };
    expect(
      code(() => buildGenesisLedger({ ...d, validators: [{ ...d.validators[0]!, quorumSet: qs }] })),
    ).toBe('GENESIS_INVALID');
    expect(code(() => buildGenesisLedger({ ...d, suite: 'rot13' }))).toBe('GENESIS_INVALID');
    expect(code(() => buildGenesisLedger({ ...d, members: [] }))).toBe('GENESIS_INVALID');
    // Another description is another network.
    expect(equalBytes(buildGenesisLedger({ ...d, name: 'other' }).networkId, genesis().networkId)).toBe(
      false,
    );
  });
});

describe('genesis file', () => {
  it('parses from JSON to the same network, and rejects wrong shapes with GENESIS_INVALID', () => {
    const d = genesisDescription();
    const parsed = parseGenesisDescription(JSON.parse(JSON.stringify(d)));
    expect(parsed).toEqual(d);
    expect(equalBytes(buildGenesisLedger(parsed).networkId, genesis().networkId)).toBe(true);
    const code = (json: unknown) => {
      try {
        parseGenesisDescription(json);
        return 'NO ERROR';
      } catch (e) {
        return (e as { code?: string }).code;
      }
    };
    expect(code({ ...d, extra: 1 })).toBe('GENESIS_INVALID');
    expect(code({ ...d, time: '1800000000' })).toBe('GENESIS_INVALID');
    expect(code({ ...d, members: [{ ...d.members[0], roles: ['general'] }] })).toBe('GENESIS_INVALID');
    expect(code({ ...d, params: { noSuchParam: 1 } })).toBe('GENESIS_INVALID');
    expect(code(null)).toBe('GENESIS_INVALID');
  });
});

describe('closeLedger', () => {
  it('applies valid transactions, chains headers and grows the log', () => {
    const { g, net, close, store } = setup();
    const r1 = close([
      tx(net, 'admin', 1, [registerSite]),
      tx(net, 'supplyA', 1, [defineEngine]),
      tx(net, 'supplyA', 2, [registerItem('SN1')]),
    ]);
    expect(codes(r1)).toEqual(['TX_SUCCESS', 'TX_SUCCESS', 'TX_SUCCESS']);
    expect(r1.header.sequence).toBe(1);
    expect(equalBytes(r1.header.previousHash, g.headerHash)).toBe(true);
    expect(r1.header.logSize).toBe(3);
    expect(equalBytes(r1.header.logRoot, new MerkleLog(store.merkle).root())).toBe(true);
    expect(equalBytes(r1.header.txSetHash, txSetHash(g.headerHash, r1.txSet))).toBe(true);
    expect(nextSeq(store, id('supplyA'))).toBe(3n);
    expect(store.itemByUii(uii('SN1'))?.item.custodian).toBe(DEPOT);
    // Header encoding round-trips and hashes to headerHash.
    expect(decodeHeader(encodeHeader(r1.header))).toEqual(r1.header);
    expect(equalBytes(headerHash(r1.header), r1.headerHash)).toBe(true);
  });

  it('gives every bad envelope a stable code and changes nothing for it', () => {
    const { net, close, store } = setup();
    const other = new Uint8Array(32).fill(7);
    const good = envelope(net, 'supplyA', 1, [defineEngine]);
    const badSig = encodeEnvelope({
      ...good,
      signatures: [{ publicKey: good.source, signature: new Uint8Array(64).fill(1) }],
    });
    const r = close([
      new Uint8Array([0xff, 0x00]),
      encode({ hello: 'world' }),
      tx(net, 'supplyA', 1, [defineEngine], { networkId: other }),
      tx(net, 'supplyA', 1, [defineEngine], { minTime: T0 + 1000 }),
      tx(net, 'supplyA', 1, [defineEngine], { maxTime: T0 + 1 }),
      tx(net, 'supplyA', 1, [defineEngine], { minTime: 10, maxTime: 5 }),
      badSig,
      encodeEnvelope({ ...good, signatures: [] }),
      tx(net, 'outsider', 1, [defineEngine]),
      tx(net, 'supplyA', 2, [defineEngine]),
    ]);
    expect(codes(r)).toEqual([
      'TX_MALFORMED',
      'TX_MALFORMED',
      'TX_WRONG_NETWORK',
      'TX_TOO_EARLY',
      'TX_TOO_LATE',
      'TX_BAD_TIME_BOUNDS',
      'TX_BAD_SIGNATURE',
      'TX_NO_SIGNATURES',
      'TX_SOURCE_UNKNOWN',
      'TX_BAD_SEQ',
    ]);
    expect(r.applied).toEqual([]);
    expect(r.header.logSize).toBe(0);
    expect(r.stateChanges).toEqual([]);
    expect(nextSeq(store, id('supplyA'))).toBe(1n);
  });

  it('rejects a replayed transaction (same envelope in a later ledger and twice in one set)', () => {
    const { net, close } = setup();
    const t = tx(net, 'supplyA', 1, [defineEngine]);
    expect(codes(close([t, t]))).toEqual(['TX_SUCCESS', 'TX_BAD_SEQ']);
    expect(codes(close([t]))).toEqual(['TX_BAD_SEQ']);
  });

  it('consumes the sequence number of a transaction whose operations fail, all-or-nothing', () => {
    const { net, close, store } = setup();
    // The second operation fails (no site registered): the class definition must not take effect.
    const r = close([tx(net, 'supplyA', 1, [defineEngine, registerItem('SN1')])]);
    expect(codes(r)).toEqual(['TX_FAILED']);
    expect(r.results[0]!.operations!.map((o) => (o.ok ? 'ok' : o.code))).toEqual(['ok', 'SITE_NOT_FOUND']);
    // Messages are for people: returned, but neither hashed nor stored.
    expect(r.results[0]!.operations![1]).toHaveProperty('message');
    expect(Buffer.from(r.resultBytes[0]!).toString()).not.toMatch(/message/);
    expect(store.keys('class/')).toEqual([]);
    expect(nextSeq(store, id('supplyA'))).toBe(2n);
    expect(r.applied).toHaveLength(1);
    expect(r.header.logSize).toBe(1);
  });

  it('resolves concurrent custody offers in ledger order and expires offers at close', () => {
    const { net, close, store } = setup();
    close([tx(net, 'admin', 1, [registerSite]), tx(net, 'supplyA', 1, [defineEngine, registerItem('SN1')])]);
    const r = close([
      tx(net, 'supplyA', 2, [{ type: 'offerCustody', uii: uii('SN1'), to: WING }]),
      tx(net, 'supplyA', 3, [{ type: 'offerCustody', uii: uii('SN1'), to: 'N00019' }]),
    ]);
    expect(codes(r)).toEqual(['TX_SUCCESS', 'TX_FAILED']);
    expect(store.pendingOffers(WING)).toHaveLength(1);
    expect(codes(r).length).toBe(2);
    expect(r.results[1]!.operations![0]).toMatchObject({ ok: false, code: 'OFFER_PENDING' });
    expect(store.itemByUii(uii('SN1'))!.history.map((h) => h.event.type)).toContain('custodyOffered');
    // Eight days later (default TTL 7 days), the close expires the offer and records an alert.
    const later = close([], 8 * 86_400);
    expect(later.closeAlerts.map((a) => a.kind)).toEqual(['custody-offer-expired']);
    expect(store.pendingOffers()).toEqual([]);
    expect(store.alerts({ kind: 'custody-offer-expired' })).toHaveLength(1);
  });

  it('refuses broken preconditions with a LedgerError code', () => {
    const { g, store, net } = setup();
    const base = { prev: g.header, txSet: [], networkId: net, suite: 'ed25519' };
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { code?: string }).code;
      }
      return 'NO ERROR';
    };
    expect(err(() => closeLedger({ ...base, closeTime: T0 }, store, store.merkle))).toBe(
      'LEDGER_BAD_CLOSE_TIME',
    );
    expect(
      err(() =>
        closeLedger({ ...base, closeTime: T0 + 1, networkId: new Uint8Array(32) }, store, store.merkle),
      ),
    ).toBe('LEDGER_WRONG_NETWORK');
    expect(err(() => closeLedger({ ...base, closeTime: T0 + 1 }, store, store.merkle))).toBe('NO ERROR');
    const r = closeLedger({ ...base, closeTime: T0 + 1 }, store, store.merkle);
    store.putClosedLedger(r, []);
    expect(err(() => store.putClosedLedger(r, []))).toBe('LEDGER_STORE_OUT_OF_ORDER');
  });
});

describe('applyLedger', () => {
  it('stores the next ledger, and refuses one whose header differs from the agreed hash', () => {
    const g = genesis();
    const a = new MemoryLedgerStore();
    const b = new MemoryLedgerStore();
    expect(() => applyLedger(a, { txSet: [], closeTime: T0 + 1, suite: 'ed25519' })).toThrow(/no genesis/);
    a.putClosedLedger(g, []);
    b.putClosedLedger(g, []);
    const txSet = [tx(g.networkId, 'admin', 1, [registerSite])];
    const agreed = applyLedger(a, {
      txSet,
      closeTime: T0 + 5,
      suite: 'ed25519',
      scpEnvelopes: [new Uint8Array([1])],
    });
    expect(a.getScpEnvelopes(1)).toEqual([new Uint8Array([1])]);
    // Catch-up with the agreed hash: same inputs pass; a different close time does not, and writes nothing.
    let code = 'NO ERROR';
    try {
      applyLedger(b, { txSet, closeTime: T0 + 6, suite: 'ed25519', expectedHeaderHash: agreed.headerHash });
    } catch (e) {
      code = (e as { code: string }).code;
    }
    expect(code).toBe('LEDGER_HASH_MISMATCH');
    expect(b.lastClosed()!.sequence).toBe(0);
    applyLedger(b, { txSet, closeTime: T0 + 5, suite: 'ed25519', expectedHeaderHash: agreed.headerHash });
    expect(equalBytes(headerHash(b.lastClosed()!), agreed.headerHash)).toBe(true);
  });
});
