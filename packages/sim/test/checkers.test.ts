import { describe, expect, it } from 'vitest';
import {
  checkAgreement,
  checkConsistency,
  checkHalting,
  checkLiveness,
  checkRobustness,
  checkValidity,
} from '../src/checkers.js';
import type { Externalization, RunRecord } from '../src/history.js';

function record(externalizations: Externalization[], extra: Partial<RunRecord> = {}): RunRecord {
  return {
    scenario: 'synthetic',
    seed: 1,
    topology: 'flat-4',
    targetSlots: 2,
    nodes: ['a', 'b', 'c', 'd'],
    honest: ['a', 'b', 'c'],
    byzantine: { d: 'equivocate' },
    absent: [],
    externalizations,
    proposed: ['01', '02', '03'],
    faults: [],
    healedAtMs: 1000,
    livenessBoundMs: 5000,
    halt: null,
    probes: [],
    exceptions: [],
    contradictions: [],
    endMs: 9000,
    stats: {},
    traceHash: '',
    ...extra,
  };
}

const ext = (node: string, slot: number, value: string, atMs = 100): Externalization => ({
  node,
  slot,
  value,
  atMs,
});

describe('checkers on synthetic histories', () => {
  it('agreement: flags two honest nodes with different values, ignores the Byzantine one', () => {
    expect(checkAgreement(record([ext('a', 1, '01'), ext('b', 1, '01'), ext('d', 1, '02')]))).toEqual([]);
    const v = checkAgreement(record([ext('a', 1, '01'), ext('b', 1, '01'), ext('c', 1, '02')]));
    expect(v).toHaveLength(1);
    expect(v[0]!.checker).toBe('agreement');
    expect(v[0]!.details).toMatchObject({ slot: 1 });
  });

  it('agreement: flags one node externalizing two values for a slot (e.g. across a restart)', () => {
    expect(checkAgreement(record([ext('a', 1, '01'), ext('a', 1, '02', 500)]))).toHaveLength(1);
  });

  it('validity: flags a value nobody proposed', () => {
    expect(checkValidity(record([ext('a', 1, '03')]))).toEqual([]);
    expect(checkValidity(record([ext('a', 1, 'ff')]))[0]!.checker).toBe('validity');
  });

  it('liveness: every honest node must reach the target slot within the bound after healing', () => {
    const all = ['a', 'b', 'c'].map((n) => ext(n, 2, '01', 5000));
    expect(checkLiveness(record(all))).toEqual([]);
    const late = [ext('a', 2, '01', 5000), ext('b', 2, '01', 5000), ext('c', 2, '01', 6001)];
    expect(checkLiveness(record(late)).map((v) => v.details.node)).toEqual(['c']);
    expect(checkLiveness(record([ext('a', 2, '01')])).map((v) => v.details.node)).toEqual(['b', 'c']);
  });

  it('halting: no progress while down, and live nodes must name only down nodes as missing', () => {
    const halt = { fromMs: 1000, toMs: 5000, lastSlotBefore: 1, down: ['c'] };
    const probe = (node: string, missing: string[], externalized = false) => ({
      atMs: 2000,
      node,
      slot: 2,
      externalized,
      missing,
      quorumInfo: null,
    });
    const good = record([ext('a', 1, '01', 900), ext('a', 2, '01', 6000)], {
      halt,
      probes: [probe('a', ['c']), probe('b', ['c'])],
    });
    expect(checkHalting(good)).toEqual([]);
    const progressed = record([ext('a', 2, '01', 3000)], { halt, probes: good.probes });
    expect(checkHalting(progressed).map((v) => v.message)).toEqual([
      expect.stringContaining('externalized slot 2'),
    ]);
    const wrongReport = record([], { halt, probes: [probe('a', []), probe('b', ['a'])] });
    expect(checkHalting(wrongReport)).toHaveLength(2);
    const unprobed = record([], { halt, probes: [probe('a', ['c'])] });
    expect(checkHalting(unprobed).map((v) => v.details.node)).toEqual(['b']);
  });

  it('consistency: every recorded self-contradiction is a violation', () => {
    expect(checkConsistency(record([]))).toEqual([]);
    const c = { atMs: 7, node: 'a', slot: 2, message: 'went back from phase 2 to prepare' };
    expect(checkConsistency(record([], { contradictions: [c] }))[0]!.message).toContain('went back');
  });

  it('robustness: any exception thrown by SCP is a violation', () => {
    const e = { atMs: 5, node: 'a', where: 'receiveEnvelope', message: 'boom\nstack' };
    expect(checkRobustness(record([], { exceptions: [e] }))[0]!.message).toContain('boom');
  });
});
