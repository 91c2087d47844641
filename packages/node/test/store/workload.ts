/**
 * A deterministic ledger workload: the tx set of ledger n is a function of n alone, so a crashed writer
 * and a checker replaying ledgers 1..n in memory produce the same history.
 */
import {
  buildGenesisLedger,
  closeLedger,
  deviceIdOf,
  ed25519,
  encodeEnvelope,
  encodeId,
  type GenesisLedger,
  type KeyPair,
  type LedgerCloseResult,
  type LedgerStore,
  memberIdOf,
  signTransaction,
  type Transaction,
  type TxOperation,
} from '@qm/ledger';

export const T0 = 1_800_000_000;
const DEPOT = 'W56HZV';
const WING = 'FA8571';
const ENGINE = '2840-01-523-4567';
const ORING = '5330-00-123-4567';

const key = (n: number): KeyPair => ed25519.generateKeyPair(new Uint8Array(32).fill(n));
const K = { admin: key(1), supplyA: key(2), supplyB: key(3), devop: key(4), reader: key(5), node: key(9) };
const READER = deviceIdOf(K.reader.publicKey);

export function workloadGenesis(): GenesisLedger {
  const node = encodeId('node', K.node.publicKey);
  return buildGenesisLedger({
    name: 'qm-store-test',
    suite: 'ed25519',
    time: T0,
    organizations: [
      { code: DEPOT, name: 'Depot' },
      { code: WING, name: 'Wing' },
      { code: '0CVA5', name: 'Contractor' },
    ],
    members: [
      { id: memberIdOf(K.admin.publicKey), org: DEPOT, roles: ['admin'] },
      { id: memberIdOf(K.supplyA.publicKey), org: DEPOT, roles: ['supply'] },
      { id: memberIdOf(K.supplyB.publicKey), org: WING, roles: ['supply'] },
      { id: memberIdOf(K.devop.publicKey), org: DEPOT, roles: ['device-operator'] },
    ],
    validators: [{ id: node, org: DEPOT, quorumSet: { threshold: 1, validators: [node], innerSets: [] } }],
  });
}

/** A signed envelope from one of the workload's members. */
export function signAs(
  networkId: Uint8Array,
  who: 'admin' | 'supplyA' | 'supplyB',
  seq: number,
  operations: TxOperation[],
): Uint8Array {
  return sign(networkId, K[who], seq, operations);
}

function sign(networkId: Uint8Array, who: KeyPair, seq: number, operations: TxOperation[]): Uint8Array {
  const tx: Transaction = {
    networkId,
    source: who.publicKey,
    seq: BigInt(seq),
    timeBounds: { minTime: 0, maxTime: 0 },
    operations,
  };
  return encodeEnvelope({ ...tx, signatures: [signTransaction(tx, ed25519, who.privateKey)] });
}

const uii = (n: number) => `D0CVA5SN${n}`;

/** The tx set of ledger n (n >= 1). */
export function txSetFor(networkId: Uint8Array, n: number): Uint8Array[] {
  if (n === 1) {
    return [
      sign(networkId, K.admin, 1, [
        { type: 'registerSite', site: 'DEPOT-A', name: 'Depot A', org: DEPOT, lat: 41, lon: -75 },
      ]),
      sign(networkId, K.supplyA, 1, [
        {
          type: 'defineItemClass',
          nsn: ENGINE,
          nomenclature: 'ENGINE',
          unitOfIssue: 'EA',
          tracking: 'serialized',
        },
        { type: 'defineItemClass', nsn: ORING, nomenclature: 'O-RING', unitOfIssue: 'EA', tracking: 'bulk' },
      ]),
      sign(networkId, K.devop, 1, [
        { type: 'registerDevice', device: READER, org: DEPOT, location: { site: 'DEPOT-A' } },
      ]),
    ];
  }
  const ops: TxOperation[] = [
    {
      type: 'registerItem',
      uii: uii(n),
      nsn: ENGINE,
      serial: `SN${n}`,
      cage: '0CVA5',
      condition: 'A',
      location: { site: 'DEPOT-A' },
    },
    { type: 'receiveStock', nsn: ORING, site: 'DEPOT-A', lot: `L${n % 4}`, condition: 'A', quantity: n },
  ];
  if (n % 3 === 0) ops.push({ type: 'offerCustody', uii: uii(n), to: WING });
  const set = [sign(networkId, K.supplyA, n, ops)];
  // The wing accepts each offer one ledger later (its offer id is ledger.tx.op = n.0.2).
  if ((n - 1) % 3 === 0 && n > 3) {
    const m = n - 1;
    set.push(
      sign(networkId, K.supplyB, m / 3, [{ type: 'acceptCustody', uii: uii(m), offerId: `${m}.0.2` }]),
    );
  }
  // Every fourth ledger the device scans the previous item far from its recorded site: a device-signed
  // transaction and a scan-location-mismatch alert.
  if (n % 4 === 3) {
    const scan = {
      type: 'recordScan',
      device: READER,
      uii: uii(n - 1),
      time: T0 + 5 * n,
      location: { lat: 34, lon: -117 },
    };
    set.push(sign(networkId, K.reader, (n + 1) / 4, [scan]));
  }
  // Every fifth ledger replays an old envelope: rejected TX_BAD_SEQ, recorded in the results.
  if (n % 5 === 0) set.push(txSetFor(networkId, n - 1)[0]!);
  return set;
}

/** Closes the next ledger of the workload on `store` and persists it. */
export function closeNext(store: LedgerStore, networkId: Uint8Array): LedgerCloseResult {
  const prev = store.lastClosed()!;
  const n = prev.sequence + 1;
  const r = closeLedger(
    { prev, txSet: txSetFor(networkId, n), closeTime: T0 + 5 * n, networkId, suite: 'ed25519' },
    store,
    store.merkle,
  );
  store.putClosedLedger(r, [new TextEncoder().encode(`scp-externalize-${n}`)]);
  return r;
}
