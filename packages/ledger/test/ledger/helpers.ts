/** A small signed network for ledger, receipt and store tests. */
import { ed25519 } from '../../src/crypto/index.js';
import type { KeyPair } from '../../src/crypto/suite.js';
import { encodeId } from '../../src/ids/index.js';
import {
  buildGenesisLedger,
  type GenesisDescription,
  type GenesisLedger,
  memberIdOf,
} from '../../src/ledger/index.js';
import {
  addSignature,
  encodeEnvelope,
  type TransactionEnvelope,
  type TxOperation,
} from '../../src/tx/index.js';

export const T0 = 1_800_000_000;
export const DEPOT = 'W56HZV';
export const WING = 'FA8571';
export const CONTRACTOR = '0CVA5';
export const ENGINE_NSN = '2840-01-523-4567';
export const ORING_NSN = '5330-00-123-4567';

const key = (n: number): KeyPair => ed25519.generateKeyPair(new Uint8Array(32).fill(n));

export const KEYS = {
  admin: key(1),
  supplyA: key(2),
  supplyB: key(3),
  maint: key(4),
  outsider: key(5),
  node: key(9),
} as const;

export type Who = keyof typeof KEYS;
export const id = (who: Who): string => memberIdOf(KEYS[who].publicKey);

export function genesisDescription(): GenesisDescription {
  const node = encodeId('node', KEYS.node.publicKey);
  return {
    name: 'qm-test',
    suite: 'ed25519',
    time: T0,
    organizations: [
      { code: DEPOT, name: 'Tobyhanna Army Depot' },
      { code: WING, name: '412th Test Wing' },
      { code: CONTRACTOR, name: 'Engine Works Inc.' },
    ],
    members: [
      { id: id('admin'), org: DEPOT, roles: ['admin'] },
      { id: id('supplyA'), org: DEPOT, roles: ['supply'] },
      { id: id('supplyB'), org: WING, roles: ['supply'] },
      { id: id('maint'), org: DEPOT, roles: ['maintainer'] },
    ],
    validators: [{ id: node, org: DEPOT, quorumSet: { threshold: 1, validators: [node], innerSets: [] } }],
  };
}

export function genesis(): GenesisLedger {
  return buildGenesisLedger(genesisDescription());
}

export interface TxOptions {
  minTime?: number;
  maxTime?: number;
  cosigners?: Who[];
  networkId?: Uint8Array;
}

export function envelope(
  networkId: Uint8Array,
  who: Who,
  seq: bigint | number,
  operations: TxOperation[],
  o: TxOptions = {},
): TransactionEnvelope {
  let env: TransactionEnvelope = {
    networkId: o.networkId ?? networkId,
    source: KEYS[who].publicKey,
    seq: BigInt(seq),
    timeBounds: { minTime: o.minTime ?? 0, maxTime: o.maxTime ?? 0 },
    operations,
    signatures: [],
  };
  for (const w of [who, ...(o.cosigners ?? [])]) env = addSignature(env, ed25519, KEYS[w].privateKey);
  return env;
}

/** A signed, encoded envelope. */
export function tx(
  networkId: Uint8Array,
  who: Who,
  seq: bigint | number,
  operations: TxOperation[],
  o: TxOptions = {},
): Uint8Array {
  return encodeEnvelope(envelope(networkId, who, seq, operations, o));
}

export const defineEngine: TxOperation = {
  type: 'defineItemClass',
  nsn: ENGINE_NSN,
  nomenclature: 'ENGINE, AIRCRAFT, TURBOFAN',
  unitOfIssue: 'EA',
  tracking: 'serialized',
  lifeLimits: { hours: 12_000 },
};

export const defineOring: TxOperation = {
  type: 'defineItemClass',
  nsn: ORING_NSN,
  nomenclature: 'O-RING',
  unitOfIssue: 'EA',
  tracking: 'bulk',
};

/** registerSite carries coordinates; CBOR has no floats, so whole degrees here (see report). */
export const registerSite: TxOperation = {
  type: 'registerSite',
  site: 'DEPOT-A',
  name: 'Depot A',
  org: DEPOT,
  lat: 41,
  lon: -75,
};

export const uii = (serial: string): string => `D${CONTRACTOR}${serial}`;

export function registerItem(serial: string): TxOperation {
  return {
    type: 'registerItem',
    uii: uii(serial),
    nsn: ENGINE_NSN,
    serial,
    cage: CONTRACTOR,
    condition: 'A',
    location: { site: 'DEPOT-A' },
  };
}
