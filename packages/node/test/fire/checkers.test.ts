// The checkers must be able to fail: synthetic histories with a fork, a lost acknowledged transaction, a
// slow recovery and a network that closed ledgers while it should have halted each produce a violation;
// the same history without the defect produces none.
import { describe, expect, it } from 'vitest';
import {
  checkAgreement,
  checkAll,
  checkDurability,
  checkHalting,
  checkRecovery,
  emptyHistory,
  faultSchedule,
  type History,
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
