// A 4-validator network on a MemoryHub, a manual clock and in-memory ledger stores: real genesis, real
// SCP, real ledger close; only time, network and disk are stand-ins.
import {
  encodeEnvelope,
  encodeId,
  type GenesisDescription,
  getSuite,
  MemoryLedgerStore,
  networkIdOf,
  signTransaction,
  type Transaction,
  type TxOperation,
} from '@qm/ledger';
import { ManualClock } from '../../src/consensus/clock.js';
import { MemoryScpStateStore } from '../../src/herder/scp-state-store.js';
import { MemoryHub } from '../../src/overlay/memory-transport.js';
import { Validator } from '../../src/validator.js';

export const suite = getSuite('ed25519');
const seedOf = (n: number) => new Uint8Array(32).fill(n);
export const DEPOT = 'W56HZV';

export function devnetGenesis(nodes: number, threshold: number) {
  const nodeKeys = Array.from({ length: nodes }, (_, i) => suite.generateKeyPair(seedOf(i + 1)));
  const ids = nodeKeys.map((k) => encodeId('node', k.publicKey));
  const admin = suite.generateKeyPair(seedOf(100));
  const genesis: GenesisDescription = {
    name: 'test-net',
    suite: 'ed25519',
    time: 1_800_000_000,
    organizations: [{ code: DEPOT, name: 'Depot' }],
    members: [{ id: encodeId('member', admin.publicKey), org: DEPOT, roles: ['admin', 'supply'] }],
    validators: ids.map((id) => ({
      id,
      org: DEPOT,
      quorumSet: { threshold, validators: ids, innerSets: [] },
    })),
  };
  return { genesis, ids, seeds: ids.map((_, i) => seedOf(i + 1)), admin };
}

export function testNetwork(nodes = 4, threshold = 3) {
  const { genesis, ids, seeds, admin } = devnetGenesis(nodes, threshold);
  const clock = new ManualClock(1_800_000_000_000);
  const hub = new MemoryHub({
    clock: { now: () => clock.nowMs(), setTimer: (ms, fn) => clock.schedule(ms, fn) },
    scheduler: (d) => {
      clock.schedule(5, () => d.deliver());
    },
  });
  const disks = ids.map(() => ({ store: new MemoryLedgerStore(), scpState: new MemoryScpStateStore() }));
  const validators: (Validator | null)[] = ids.map(() => null);
  const transports = ids.map((id) => hub.transport(id));
  const boot = async (i: number) => {
    const v = new Validator({ genesis, seed: seeds[i]!, ...disks[i]!, transport: transports[i]!, clock });
    validators[i] = v;
    await v.start();
    return v;
  };
  const halt = async (i: number) => {
    await validators[i]?.stop();
    validators[i] = null;
  };
  const networkId = networkIdOf(genesis);
  let seq = 1n;
  const tx = (operations: TxOperation[]): Uint8Array => {
    const body: Transaction = {
      networkId,
      source: admin.publicKey,
      seq: seq++,
      timeBounds: { minTime: 0, maxTime: 0 },
      operations,
    };
    return encodeEnvelope({ ...body, signatures: [signTransaction(body, suite, admin.privateKey)] });
  };
  return { genesis, ids, clock, hub, disks, validators, boot, halt, tx };
}
