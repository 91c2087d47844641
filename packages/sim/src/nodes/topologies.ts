// Network configurations for the whole-node nemesis: real genesis descriptions (validators with quorum
// sets, organizations, client members), built from fixed seeds so every run of a topology has the same
// keys and network id.
import { encodeId, type GenesisDescription, getSuite, type KeyPair } from '@qm/ledger';
import type { NodeId, QuorumSet } from '@qm/scp';

export const suite = getSuite('ed25519');

export type TopologyName = 'flat4' | 'flat7' | 'tier7' | 'broken4';

export interface NodeTopology {
  readonly name: TopologyName;
  readonly description: string;
  readonly genesis: GenesisDescription;
  readonly ids: readonly NodeId[];
  /** Each validator's 32-byte secret seed. */
  readonly seeds: readonly Uint8Array[];
  readonly qsets: ReadonlyMap<NodeId, QuorumSet>;
  /** Client accounts (registered members with the supply role), one transaction in flight each. */
  readonly clients: readonly KeyPair[];
  /** False for the deliberately broken configuration (two disjoint quorums). */
  readonly intersects: boolean;
  /** How many validators may crash with every other one still in a quorum (for crash faults). */
  readonly tolerates: number;
}

const ORGS = ['W56HZV', 'N00019', 'FA8505'] as const;
const seedOf = (tag: number, n: number) => {
  const s = new Uint8Array(32).fill(n);
  s[0] = tag;
  return s;
};
const CLIENTS = 8;

function build(
  name: TopologyName,
  description: string,
  n: number,
  orgOf: (i: number) => string,
  qsetOf: (ids: readonly NodeId[], i: number) => QuorumSet,
  intersects: boolean,
  tolerates: number,
): NodeTopology {
  const tag = ['flat4', 'flat7', 'tier7', 'broken4'].indexOf(name) + 1;
  const seeds = Array.from({ length: n }, (_, i) => seedOf(tag, i + 1));
  const ids = seeds.map((s) => encodeId('node', suite.generateKeyPair(s).publicKey));
  const clients = Array.from({ length: CLIENTS }, (_, i) => suite.generateKeyPair(seedOf(100 + tag, i + 1)));
  const admin = suite.generateKeyPair(seedOf(200 + tag, 1));
  const qsets = new Map(ids.map((id, i) => [id, qsetOf(ids, i)] as const));
  const usedOrgs = [...new Set(ids.map((_, i) => orgOf(i)))];
  const genesis: GenesisDescription = {
    name: `nemesis-${name}`,
    suite: 'ed25519',
    time: 1_800_000_000,
    organizations: usedOrgs.map((code) => ({ code, name: `Org ${code}` })),
    members: [
      { id: encodeId('member', admin.publicKey), org: ORGS[0], roles: ['admin'] },
      ...clients.map((k) => ({
        id: encodeId('member', k.publicKey),
        org: ORGS[0],
        roles: ['supply' as const],
      })),
    ],
    validators: ids.map((id, i) => ({ id, org: orgOf(i), quorumSet: describe(qsets.get(id)!) })),
  };
  return { name, description, genesis, ids, seeds, qsets, clients, intersects, tolerates };
}

type Described = { threshold: number; validators: string[]; innerSets: Described[] };
const describe = (q: QuorumSet): Described => ({
  threshold: q.threshold,
  validators: [...q.validators],
  innerSets: q.innerSets.map(describe),
});

const flatQset = (ids: readonly NodeId[], threshold: number): QuorumSet => ({
  threshold,
  validators: [...ids],
  innerSets: [],
});

/** 4 validators, 3-of-4 (tolerates one crash or one Byzantine node). */
export const flat4 = (): NodeTopology =>
  build(
    'flat4',
    '4 validators, 3-of-4',
    4,
    () => ORGS[0],
    (ids) => flatQset(ids, 3),
    true,
    1,
  );

/** 7 validators, 5-of-7 (tolerates two). */
export const flat7 = (): NodeTopology =>
  build(
    'flat7',
    '7 validators, 5-of-7',
    7,
    () => ORGS[0],
    (ids) => flatQset(ids, 5),
    true,
    2,
  );

/**
 * 7 validators in 3 organizations (3, 2, 2), two tiers: 2 of the 3 organizations, each organization
 * 2 of its own validators. Any two quorums share a whole organization's threshold, so they intersect.
 */
export const tier7 = (): NodeTopology => {
  const orgIndex = [0, 0, 0, 1, 1, 2, 2];
  return build(
    'tier7',
    '7 validators, 3 orgs (3+2+2), 2-of-3 orgs x 2-of-org',
    7,
    (i) => ORGS[orgIndex[i]!]!,
    (ids) => ({
      threshold: 2,
      validators: [],
      innerSets: [0, 1, 2].map((o) => ({
        threshold: 2,
        validators: ids.filter((_, i) => orgIndex[i] === o),
        innerSets: [],
      })),
    }),
    true,
    1,
  );
};

/**
 * Deliberately broken: {n0, n1} trust only each other (2-of-2), {n2, n3} likewise. Two disjoint quorums,
 * no quorum intersection: split by a partition (or just by different traffic) the halves can fork.
 */
export const broken4 = (): NodeTopology =>
  build(
    'broken4',
    '4 validators, {n0,n1} 2-of-2 and {n2,n3} 2-of-2 (no quorum intersection)',
    4,
    () => ORGS[0],
    (ids, i) => flatQset(i < 2 ? ids.slice(0, 2) : ids.slice(2), 2),
    false,
    0,
  );

const cache = new Map<TopologyName, NodeTopology>();
export function topology(name: TopologyName): NodeTopology {
  let t = cache.get(name);
  if (!t) {
    t = { flat4, flat7, tier7, broken4 }[name]();
    cache.set(name, t);
  }
  return t;
}
