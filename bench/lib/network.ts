/**
 * Shared by the ledger benchmarks: a three-organization network shaped like `qm devnet` (one key per role
 * per organization, as in the workload tests), and the demo workload's transaction stream, generated
 * before anything is timed by running it through the real ledger close on an in-memory store so that
 * offers get their ids and nearly every transaction succeeds when the stream is replayed.
 */
import {
  buildGenesisLedger,
  closeLedger,
  ed25519,
  encodeId,
  type GenesisDescription,
  isApplied,
  type LedgerTxResult,
  MemoryLedgerStore,
  memberIdOf,
  networkIdOf,
  ROLES,
  sha256,
} from '@qm/ledger';
import { type Actors, DemoWorkload, type GeneratedTx, type TxKind } from '@qm/node/workload';

export const GENESIS_TIME = 1_800_000_000;
/** Seconds between ledger closes while generating (the devnet's pace). */
export const CLOSE_EVERY_S = 5;

const KINDS = [
  ['W', 'Army Materiel Depot'],
  ['N', 'Naval Supply Center'],
  ['F', 'Air Logistics Complex'],
] as const;

/** `count` organizations named like the devnet's (WQM001, NQM002, FQM003, WQM004, ...). */
function organizations(count: number): { code: string; name: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const [letter, name] = KINDS[i % KINDS.length]!;
    return { code: `${letter}QM${String(i + 1).padStart(3, '0')}`, name: `${name} ${i + 1}` };
  });
}

export interface BenchNetwork {
  actors: Actors;
  genesis: GenesisDescription;
}

/**
 * The workload's fleet and stock grow with the organizations (9 serialized items, stock lots and 2 sites
 * each), and it touches an item again only once the ledger holding its last transaction has closed; so a
 * network of few organizations cannot fill large ledgers with its intended mix. Default: 3, as the devnet.
 */
export function benchNetwork(orgCount = 3): BenchNetwork {
  const ORGS = organizations(orgCount);
  const members = ORGS.flatMap((o) =>
    ROLES.map((role) => ({
      name: `${o.code}-${role}`,
      org: o.code,
      roles: [role],
      seed: sha256(new TextEncoder().encode(`bench/member/${o.code}-${role}`)),
    })),
  );
  const node = encodeId('node', ed25519.generateKeyPair(new Uint8Array(32).fill(9)).publicKey);
  const genesis: GenesisDescription = {
    name: 'qm-bench',
    suite: 'ed25519',
    time: GENESIS_TIME,
    organizations: ORGS,
    members: members.map((m) => ({
      id: memberIdOf(ed25519.generateKeyPair(m.seed).publicKey),
      org: m.org,
      roles: m.roles,
    })),
    validators: [
      { id: node, org: ORGS[0]!.code, quorumSet: { threshold: 1, validators: [node], innerSets: [] } },
    ],
  };
  return {
    actors: { networkId: networkIdOf(genesis), suite: 'ed25519', organizations: ORGS, members },
    genesis,
  };
}

/** One ledger to replay: its tx set and close time, and the codes the generating close gave. */
export interface PlannedLedger {
  txSet: Uint8Array[];
  closeTime: number;
  codes: string[];
}

export interface Stream {
  /** Ledger 1: the workload's seed data (sites, classes, devices, items, stock). Applied untimed. */
  seed: PlannedLedger;
  /** The activity ledgers, `perLedger` transactions each, in generation order. */
  ledgers: PlannedLedger[];
  /** Activity transactions by kind. */
  mix: Record<string, number>;
}

const outcome = (r: LedgerTxResult) =>
  r.code === 'TX_SUCCESS' ? 'success' : isApplied(r) ? 'failed' : 'rejected';

/**
 * The workload settles a transaction only when told its result, and locks what it touched until then;
 * offer ids name the ledger that made the offer. So the stream is generated ledger by ledger, each closed
 * on an in-memory store and its results fed back, and must be replayed in exactly those ledgers (same tx
 * sets, same close times): the replay then gives the same results, which the benchmark checks.
 */
export function generateStream(net: BenchNetwork, ledgers: number, perLedger: number): Stream {
  const store = new MemoryLedgerStore();
  store.putClosedLedger(buildGenesisLedger(net.genesis), []);
  let now = GENESIS_TIME + CLOSE_EVERY_S;
  const workload = new DemoWorkload({ actors: net.actors, seed: 1, now: () => now });
  const close = (txs: readonly GeneratedTx[]): LedgerTxResult[] => {
    const r = closeLedger(
      {
        prev: store.lastClosed()!,
        txSet: txs.map((t) => t.bytes),
        closeTime: now,
        networkId: net.actors.networkId,
        suite: 'ed25519',
      },
      store,
      store.merkle,
    );
    store.putClosedLedger(r, []);
    for (const [i, res] of r.results.entries()) workload.noteResult(txs[i]!.hash, outcome(res), res);
    now += CLOSE_EVERY_S;
    return [...r.results];
  };
  const planned = (txs: readonly GeneratedTx[]): PlannedLedger => {
    const closeTime = now;
    const codes = close(txs).map((r) => r.code);
    return { txSet: txs.map((t) => t.bytes), closeTime, codes };
  };
  const seed = planned(workload.seedDetails());
  const mix: Record<string, number> = {};
  const out: PlannedLedger[] = [];
  for (let l = 0; l < ledgers; l++) {
    const batch = Array.from({ length: perLedger }, () => workload.nextTx());
    for (const t of batch) mix[t.kind as TxKind] = (mix[t.kind as TxKind] ?? 0) + 1;
    out.push(planned(batch));
  }
  return { seed, ledgers: out, mix };
}
