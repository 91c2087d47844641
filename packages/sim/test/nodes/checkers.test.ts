// The whole-node checkers must fail on bad histories: each gets a synthetic record with the defect.
import { describe, expect, it } from 'vitest';
import {
  checkAgreement,
  checkDurability,
  checkExceptions,
  checkHalting,
  checkNodeRun,
  checkRecovery,
  type NodeRunRecord,
} from '../../src/nodes/checkers.js';
import type { Ack } from '../../src/nodes/client.js';
import { greatestQuorum, predictProgress } from '../../src/nodes/predict.js';
import { topology } from '../../src/nodes/topologies.js';

const NODES = ['a', 'b', 'c', 'd'];
const close = (node: string, seq: number, hash: string, atMs = seq * 1000) => ({ node, seq, hash, atMs });

function healthy(extra: Partial<NodeRunRecord> = {}): NodeRunRecord {
  const closes = NODES.flatMap((n) => [1, 2, 3].map((s) => close(n, s, `h${s}`)));
  return {
    seed: 1,
    kind: 'synthetic',
    topology: 'flat4',
    nodes: NODES,
    byzantine: [],
    closes,
    chains: Object.fromEntries(NODES.map((n) => [n, ['h0', 'h1', 'h2', 'h3']])),
    acks: [],
    ackedTxs: {},
    windows: [],
    recovery: {
      healAtMs: 2000,
      heightAtHeal: 2,
      recoveredAtMs: 3000,
      boundMs: 60_000,
      finalHeights: Object.fromEntries(NODES.map((n) => [n, 3])),
    },
    exceptions: [],
    errorLogs: [],
    endMs: 4000,
    ...extra,
  };
}

const ack = (hash: string, ledger: number): Ack => ({
  hash,
  account: 0,
  seq: 1,
  node: 'a',
  ledger,
  status: 'committed',
  atMs: 2500,
});

describe('whole-node checkers on synthetic histories', () => {
  it('a healthy history passes every checker', () => {
    expect(checkNodeRun(healthy())).toEqual([]);
  });

  it('agreement: a forked close is caught, as is a forked stored chain', () => {
    const forked = healthy({ closes: [...healthy().closes, close('d', 4, 'X'), close('a', 4, 'Y')] });
    const v = checkAgreement(forked);
    expect(v).toHaveLength(1);
    expect(v[0]!.details).toMatchObject({ seq: 4 });
    const chains = { ...healthy().chains, c: ['h0', 'h1', 'EVIL', 'h3'] };
    expect(checkAgreement(healthy({ chains }))[0]!.details).toMatchObject({ seq: 2 });
    // One node closing a sequence twice with different hashes (e.g. across a restart) is a fork too.
    expect(checkAgreement(healthy({ closes: [close('a', 5, 'P'), close('a', 5, 'Q')] }))).toHaveLength(1);
    // A validator whose key an attacker holds is not held to agreement.
    expect(checkAgreement(healthy({ chains, byzantine: ['c'] }))).toEqual([]);
  });

  it('durability: an acknowledged transaction missing or in another ledger is caught', () => {
    const acked = { a: 2, b: 2, c: 2, d: 2 };
    expect(checkDurability(healthy({ acks: [ack('t1', 2)], ackedTxs: { t1: acked } }))).toEqual([]);
    const lost = checkDurability(healthy({ acks: [ack('t1', 2)], ackedTxs: { t1: { ...acked, d: null } } }));
    expect(lost).toHaveLength(1);
    expect(lost[0]!.message).toMatch(/no ledger/);
    const moved = checkDurability(healthy({ acks: [ack('t1', 2)], ackedTxs: { t1: { ...acked, b: 3 } } }));
    expect(moved[0]!.message).toMatch(/ledger 3/);
  });

  it('halting: a close during a predicted halt, and no close during predicted progress, are caught', () => {
    const haltWindow = {
      fromMs: 3500,
      toMs: 9000,
      active: ['partition'],
      predicted: { a: false, b: false },
      recovering: [],
      frontier: 3,
    };
    // Ledger 4 (the slot in flight) may land; ledger 5 may not.
    const closes = [...healthy().closes, close('a', 4, 'h4', 4000)];
    expect(checkHalting(healthy({ closes, windows: [haltWindow] }))).toEqual([]);
    const broken = checkHalting(
      healthy({ closes: [...closes, close('b', 5, 'h5', 6000)], windows: [haltWindow] }),
    );
    expect(broken).toHaveLength(1);
    expect(broken[0]!.message).toMatch(/cannot progress/);

    const liveWindow = { ...haltWindow, predicted: { a: true }, active: ['crash'] };
    expect(checkHalting(healthy({ closes, windows: [liveWindow] }))).toEqual([]);
    const stuck = checkHalting(healthy({ windows: [{ ...liveWindow, fromMs: 3000, toMs: 20_000 }] }));
    expect(stuck[0]!.message).toMatch(/can progress/);
    // Not judged when lossy links may legitimately slow it, or while it recovers from a halt.
    expect(
      checkHalting(healthy({ windows: [{ ...liveWindow, fromMs: 3000, toMs: 20_000, active: ['loss'] }] })),
    ).toEqual([]);
    expect(
      checkHalting(healthy({ windows: [{ ...liveWindow, fromMs: 3000, toMs: 20_000, recovering: ['a'] }] })),
    ).toEqual([]);
  });

  it('recovery: not converging within the bound is caught', () => {
    const stuck = { ...healthy().recovery, recoveredAtMs: null, finalHeights: { a: 3, b: 3, c: 3, d: 2 } };
    const v = checkRecovery(healthy({ recovery: stuck }));
    expect(v).toHaveLength(1);
    expect(v[0]!.message).toMatch(/d@2/);
  });

  it('exceptions: a thrown error or an error log is caught', () => {
    expect(
      checkExceptions(
        healthy({ exceptions: [{ node: 'a', where: 'timer', atMs: 1, message: 'TypeError: x' }] }),
      ),
    ).toHaveLength(1);
    expect(checkExceptions(healthy({ errorLogs: [{ node: 'a', atMs: 1, msg: 'bad' }] }))).toHaveLength(1);
  });
});

describe('liveness prediction (greatest quorum per connected component)', () => {
  const flat4 = topology('flat4');
  const [n0, n1, n2, n3] = flat4.ids as [string, string, string, string];
  const all = (up: string[], cut: [string, string][] = []) =>
    predictProgress(flat4.qsets, {
      up: new Set(up),
      linked: (a, b) => !cut.some(([x, y]) => (x === a && y === b) || (x === b && y === a)),
    });

  it('3-of-4: one down progresses, two down halt', () => {
    expect([...all([n0, n1, n2]).values()]).toEqual([true, true, true]);
    expect([...all([n0, n1]).values()]).toEqual([false, false]);
  });

  it('3-of-4: a 2|2 split halts everyone; a minority of one halts only itself', () => {
    const split: [string, string][] = [
      [n0, n2],
      [n0, n3],
      [n1, n2],
      [n1, n3],
    ];
    expect([...all(flat4.ids as string[], split).values()].every((x) => !x)).toBe(true);
    const p = all(flat4.ids as string[], [
      [n3, n0],
      [n3, n1],
      [n3, n2],
    ]);
    expect(p.get(n3)).toBe(false);
    expect([n0, n1, n2].map((n) => p.get(n))).toEqual([true, true, true]);
  });

  it('the broken configuration has two disjoint quorums', () => {
    const b = topology('broken4');
    expect(greatestQuorum(b.qsets, b.ids.slice(0, 2)).size).toBe(2);
    expect(greatestQuorum(b.qsets, b.ids.slice(2)).size).toBe(2);
  });

  it('2-tier: losing a whole 2-validator organization still progresses, losing two does not', () => {
    const t = topology('tier7');
    const ids = t.ids as string[];
    const up = (down: number[]) => new Set(ids.filter((_, i) => !down.includes(i)));
    const live = (down: number[]) => [
      ...predictProgress(t.qsets, { up: up(down), linked: () => true }).values(),
    ];
    expect(live([3, 4]).every((x) => x)).toBe(true);
    expect(live([3, 4, 5, 6]).some((x) => x)).toBe(false);
  });
});
