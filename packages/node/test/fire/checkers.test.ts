// The checkers must be able to fail: synthetic histories with a fork, a lost acknowledged transaction, a
// slow recovery, a network that closed ledgers while it should have halted, a partitioned majority that
// stopped and a node on a damaged store each produce a violation; the same history without the defect
// produces none. Also: the schedule and the quorum analyzer's partition predictions.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/config/index.js';
import {
  CORRUPT_FILES,
  checkAgreement,
  checkAll,
  checkCorruption,
  checkDurability,
  checkHalting,
  checkProgress,
  checkRecovery,
  components,
  emptyHistory,
  faultSchedule,
  type History,
  linksBetween,
  linksOf,
  predictPartition,
} from '../../src/fire/index.js';

const A = 'aa'.repeat(32);
const B = 'bb'.repeat(32);
const TX = 'cc'.repeat(32);

/** Four validators that agree on ledgers 1..3 and all hold the one acknowledged transaction. */
function healthy(): History {
  const h = emptyHistory(1, 4);
  h.txs.push({ hash: TX, phase: 'load', submittedAt: 10, outcome: 'success', settledAt: 900 });
  h.txs.push({ hash: 'dd'.repeat(32), phase: 'load', submittedAt: 20, outcome: 'rejected' });
  const ledgers = { 1: '01', 2: '02', 3: A };
  h.final = {
    ledgers: [0, 1, 2, 3].map(() => ({ ...ledgers })),
    txs: [0, 1, 2, 3].map(() => ({ [TX]: { status: 'committed', ledger: 2 } })),
  };
  h.recovery = { healedAt: 1000, recoveryMs: 4000, boundMs: 60_000 };
  h.halts.push({
    t: 500,
    stopped: [2, 3],
    stoppedIds: ['N2', 'N3'],
    survivors: [0, 1],
    stuckAfterMs: 5200,
    heightsAtStuck: [3, 3],
    heightsAfter: [3, 3],
    windowMs: 3000,
    quorum: [0, 1].map(() => ({ stuck: true, missing: ['N3', 'N2'], state: 'stuck' })),
  });
  return h;
}

describe('fire checkers', () => {
  it('find nothing wrong in a healthy history', () => {
    expect(checkAll(healthy())).toEqual([]);
  });

  it('agreement catches a fork', () => {
    const h = healthy();
    h.final!.ledgers[2]![3] = B;
    const v = checkAgreement(h);
    expect(v).toHaveLength(1);
    expect(v[0]!.message).toMatch(/fork at ledger 3/);
  });

  it('agreement only compares up to the lowest height', () => {
    const h = healthy();
    h.final!.ledgers[0]![4] = A; // one validator ahead: not a fork
    expect(checkAgreement(h)).toEqual([]);
  });

  it('durability catches a lost acknowledged transaction', () => {
    const h = healthy();
    h.final!.txs[1]![TX] = null;
    const v = checkDurability(h);
    expect(v).toHaveLength(1);
    expect(v[0]!.message).toMatch(/v1: acknowledged committed, now unknown: 1 tx/);
  });

  it('durability catches an acknowledged transaction in different ledgers', () => {
    const h = healthy();
    h.final!.txs[3]![TX] = { status: 'committed', ledger: 3 };
    expect(checkDurability(h)[0]!.message).toMatch(/different ledgers/);
  });

  it('durability owes nothing to a transaction the client saw rejected', () => {
    const h = healthy();
    h.txs[0]!.outcome = 'rejected';
    h.final!.txs[0]![TX] = null;
    expect(checkDurability(h)).toEqual([]);
  });

  it('recovery catches a network that did not come back within the bound', () => {
    const h = healthy();
    h.recovery = { healedAt: 1000, recoveryMs: null, boundMs: 60_000 };
    expect(checkRecovery(h)).toHaveLength(1);
  });

  it('halting catches a ledger closed while stuck, a wrong state and a wrong missing list', () => {
    const h = healthy();
    h.halts[0]!.heightsAfter = [4, 3];
    h.halts[0]!.quorum[1] = { stuck: true, missing: ['N2'], state: 'synced' };
    const v = checkHalting(h).map((x) => x.message);
    expect(v).toHaveLength(3);
    expect(v[0]).toMatch(/v0 went 3 -> 4/);
    expect(v[1]).toMatch(/v1 says stuck=true state=synced/);
    expect(v[2]).toMatch(/v1 names missing \[N2\]/);
  });

  it('halting catches survivors that never said stuck', () => {
    const h = healthy();
    h.halts[0]!.stuckAfterMs = null;
    expect(checkHalting(h)[0]!.message).toMatch(/never reported stuck/);
  });
});

describe('the nemesis schedule', () => {
  it('is a pure function of the seed and covers every kind asked for', () => {
    const o = {
      seed: 42,
      validators: 4,
      kinds: ['crash', 'pause', 'restart', 'halt'] as const,
      budgetMs: 60_000,
    };
    const a = faultSchedule(o);
    expect(faultSchedule(o)).toEqual(a);
    expect(faultSchedule({ ...o, seed: 43 })).not.toEqual(a);
    expect(new Set(a.map((s) => s.kind))).toEqual(new Set(o.kinds));
    for (const s of a) {
      expect(s.nodes.length).toBe(s.kind === 'halt' ? 2 : 1);
      expect(new Set(s.nodes).size).toBe(s.nodes.length);
      for (const n of s.nodes) expect(n).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('network, clock and disk faults in the schedule', () => {
  const o = {
    seed: 7,
    validators: 4,
    kinds: ['partition', 'bridge', 'ring', 'slow', 'skew', 'corrupt'] as const,
  };

  it('plans each kind within its documented bounds, from the seed alone', () => {
    const steps = Array.from({ length: 20 }, (_, k) =>
      faultSchedule({ ...o, seed: 100 + k, budgetMs: 120_000 }),
    ).flat();
    expect(faultSchedule({ ...o, budgetMs: 120_000 })).toEqual(faultSchedule({ ...o, budgetMs: 120_000 }));
    const shapes = new Set<string>();
    for (const s of steps) {
      if (s.kind === 'partition') {
        shapes.add(s.shape!.slice(0, 3));
        // 3|1 cuts the minority's 3 links; 2|2 cuts the 4 links between the pairs.
        expect(s.links!.length).toBe(s.shape!.startsWith('3|1') ? 3 : 4);
      }
      if (s.kind === 'bridge') expect(s.links).toHaveLength(2);
      if (s.kind === 'ring') expect(s.links).toHaveLength(2);
      if (s.kind === 'slow') {
        expect(s.delayMs).toBeGreaterThanOrEqual(200);
        expect(s.delayMs).toBeLessThanOrEqual(1000);
        expect([1, 3]).toContain(s.links!.length);
      }
      if (s.kind === 'skew') {
        expect(Math.abs(s.offsetMs!)).toBeGreaterThanOrEqual(1000);
        expect(Math.abs(s.offsetMs!)).toBeLessThanOrEqual(30_000);
        expect(Math.abs(s.offsetMs! % 1000)).toBe(0);
      }
      if (s.kind === 'corrupt') expect(CORRUPT_FILES).toContain(s.corrupt!.file);
      expect(s.signal).toBe('SIGKILL');
    }
    expect(shapes).toEqual(new Set(['3|1', '2|2']));
  });

  it('leaves the old kinds planned as before (their seeds replay the same faults)', () => {
    const old = faultSchedule({ seed: 42, validators: 4, kinds: ['crash', 'pause'], budgetMs: 20_000 });
    for (const s of old) expect(s.links ?? s.offsetMs ?? s.corrupt).toBeUndefined();
  });
});

describe('the quorum analyzer predicts who keeps closing (3-of-4)', () => {
  const genesis = createNetwork({
    name: 'fire',
    suite: 'ed25519',
    validators: 4,
    organizations: 4,
    basePort: 20_000,
    host: '127.0.0.1',
  }).genesis;

  it('3|1: the majority is live, the minority halts', () => {
    const p = predictPartition(genesis, linksBetween([[0, 1, 2], [3]]));
    expect(p.live).toEqual([0, 1, 2]);
    expect(p.halted).toEqual([3]);
    expect(p.componentOf[3]).toEqual([3]);
  });

  it('2|2: nobody has a quorum', () => {
    const p = predictPartition(
      genesis,
      linksBetween([
        [0, 3],
        [1, 2],
      ]),
    );
    expect(p.live).toEqual([]);
    expect(p.componentOf[0]).toEqual([0, 3]);
  });

  it('a bridge and a ring stay connected (envelopes are flooded on), so everyone is live', () => {
    expect(predictPartition(genesis, linksBetween([[0], [2, 3]])).live).toEqual([0, 1, 2, 3]);
    expect(
      predictPartition(genesis, [
        [0, 2],
        [1, 3],
      ]).live,
    ).toEqual([0, 1, 2, 3]);
    expect(
      components(4, [
        [0, 2],
        [1, 3],
      ]),
    ).toEqual([[0, 1, 2, 3]]);
    expect(linksOf(2, 4)).toEqual([
      [0, 2],
      [1, 2],
      [2, 3],
    ]);
  });
});

/** A history with one observation of each new kind, all as expected. */
function withNetworkFaults(): History {
  const h = healthy();
  h.halts = [];
  h.progress.push({
    t: 100,
    kind: 'partition',
    detail: '3|1 [0,1,2]|[3]',
    predictedLive: [0, 1, 2],
    predictedHalted: [3],
    expectMissing: [['N0', 'N1', 'N2']],
    heightsAtInject: [5, 5, 5, 5],
    stuckAfterMs: 6000,
    heightsAtStuck: [10, 10, 10, 6],
    heightsAfter: [14, 14, 14, 6],
    windowMs: 4000,
    quorum: [
      ...[0, 1, 2].map(() => ({ stuck: false, missing: ['N3'], state: 'synced' })),
      { stuck: true, missing: ['N2', 'N0', 'N1'], state: 'stuck' },
    ],
    minLedgers: 2,
    longestStallMs: 1200,
    stallBoundMs: 15_000,
  });
  h.corruptions.push({
    t: 200,
    node: 1,
    file: 'ledger.sqlite',
    mode: 'overwrite',
    sizeBefore: 4096,
    offset: 0,
    bytes: 100,
    integrity: 'unreadable: SQLITE_NOTADB file is not a database',
    outcome: 'refused',
    exitCode: 1,
    errorLine: 'error STORE_CORRUPT: ledger.sqlite: file is not a database',
    namesFile: true,
    restored: true,
  });
  return h;
}

describe('checkers of the network and disk faults', () => {
  it('find nothing wrong when every validator did what the analyzer predicted', () => {
    expect(checkAll(withNetworkFaults())).toEqual([]);
  });

  it('halting catches a partitioned-away minority that closed a ledger or did not say why it halted', () => {
    const h = withNetworkFaults();
    h.progress[0]!.heightsAfter[3] = 7;
    h.progress[0]!.quorum[3] = { stuck: true, missing: ['N0'], state: 'stuck' };
    const v = checkHalting(h).map((x) => x.message);
    expect(v).toHaveLength(2);
    expect(v[0]).toMatch(/v3 went 6 -> 7 while stuck/);
    expect(v[1]).toMatch(/v3 names missing \[N0\]/);
    h.progress[0]!.stuckAfterMs = null;
    expect(checkHalting(h)[0]!.message).toMatch(/predicted halted, never all reported stuck/);
  });

  it('progress catches a predicted-live majority that stopped closing, or stalled too long', () => {
    const h = withNetworkFaults();
    h.progress[0]!.heightsAfter[1] = 6;
    h.progress[0]!.longestStallMs = 16_000;
    const v = checkProgress(h).map((x) => x.message);
    expect(v).toHaveLength(2);
    expect(v[0]).toMatch(/v1 predicted live went 5 -> 6/);
    expect(v[1]).toMatch(/closed nothing for 16000 ms \(bound 15000 ms\)/);
  });

  it('corruption catches a node running on a corrupt store, an unnamed file and a hang', () => {
    const h = withNetworkFaults();
    const o = h.corruptions[0]!;
    o.errorLine = 'error SQLITE_NOTADB: file is not a database';
    o.namesFile = false;
    expect(checkCorruption(h)[0]!.message).toMatch(/does not name ledger.sqlite/);
    Object.assign(o, { outcome: 'started', integrity: 'corrupt: page 3 ...' });
    o.errorLine = undefined;
    expect(checkCorruption(h)[0]!.message).toMatch(/runs on a store SQLite finds corrupt/);
    o.outcome = 'hung';
    expect(checkCorruption(h)[0]!.message).toMatch(/neither started nor exited/);
  });
});
