/**
 * A three-organization network shaped like `qm devnet` (one key per role per organization), and a
 * harness that runs workload transactions through the real ledger close.
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
import type { Actors, DemoWorkload, GeneratedTx } from '../../src/workload/index.js';

export const T0 = 1_800_000_000;
/** Seconds between ledger closes in the harness. */
export const CLOSE_EVERY_S = 5;

const ORGS = [
  { code: 'WQM001', name: 'Army Materiel Depot 1' },
  { code: 'NQM002', name: 'Naval Supply Center 2' },
  { code: 'FQM003', name: 'Air Logistics Complex 3' },
];

/** A network of `validators` nodes (one quorum, all needed but one third) with genesis at `time`. */
export function demoNetwork(
  validators = 1,
  time = T0,
): { actors: Actors; genesis: GenesisDescription; nodeSeeds: Uint8Array[] } {
  const members = ORGS.flatMap((o) =>
    ROLES.map((role) => ({
      name: `${o.code}-${role}`,
      org: o.code,
      roles: [role],
      seed: sha256(new TextEncoder().encode(`test/member/${o.code}-${role}`)),
    })),
  );
  const nodeSeeds = Array.from({ length: validators }, (_, i) => new Uint8Array(32).fill(9 + i));
  const nodes = nodeSeeds.map((s) => encodeId('node', ed25519.generateKeyPair(s).publicKey));
  const threshold = validators - Math.floor((validators - 1) / 3);
  const genesis: GenesisDescription = {
    name: 'qm-workload-test',
    suite: 'ed25519',
    time,
    organizations: ORGS,
    members: members.map((m) => ({
      id: memberIdOf(ed25519.generateKeyPair(m.seed).publicKey),
      org: m.org,
      roles: m.roles,
    })),
    validators: nodes.map((id, i) => ({
      id,
      org: ORGS[i % ORGS.length]!.code,
      quorumSet: { threshold, validators: nodes, innerSets: [] },
    })),
  };
  return {
    actors: { networkId: networkIdOf(genesis), suite: 'ed25519', organizations: ORGS, members },
    genesis,
    nodeSeeds,
  };
}

export type Outcome = 'success' | 'failed' | 'rejected';

export const outcomeOf = (r: LedgerTxResult): Outcome =>
  r.code === 'TX_SUCCESS' ? 'success' : isApplied(r) ? 'failed' : 'rejected';

/** A ledger chain on a MemoryLedgerStore with a settable clock (the next close time). */
export class LedgerHarness {
  readonly store = new MemoryLedgerStore();
  readonly networkId: Uint8Array;
  now = T0 + CLOSE_EVERY_S;

  constructor(genesis: GenesisDescription) {
    const g = buildGenesisLedger(genesis);
    this.networkId = g.networkId;
    this.store.putClosedLedger(g, []);
  }

  /** Closes one ledger with `txSet`; returns its results in order. */
  close(txSet: Uint8Array[]): LedgerTxResult[] {
    const prev = this.store.lastClosed()!;
    const r = closeLedger(
      { prev, txSet, closeTime: this.now, networkId: this.networkId, suite: 'ed25519' },
      this.store,
      this.store.merkle,
    );
    this.store.putClosedLedger(r, []);
    this.now += CLOSE_EVERY_S;
    return [...r.results];
  }
}

/** Closes a ledger with the workload's transactions and tells the workload how each one ended. */
export function closeAndNote(
  ledger: LedgerHarness,
  workload: DemoWorkload,
  txs: readonly GeneratedTx[],
): LedgerTxResult[] {
  const results = ledger.close(txs.map((t) => t.bytes));
  for (const [i, r] of results.entries()) workload.noteResult(txs[i]!.hash, outcomeOf(r), r);
  return results;
}
