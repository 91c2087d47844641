// Port of stellar-core's "sane quorum set" (src/scp/test/QuorumSetTests.cpp): which sets pass the sanity
// check (threshold, nesting depth, size), and the normalized form of each (singleton inner sets become
// validators, a 1-of-1 wrapper becomes its inner set). Node ids sort in the order they are numbered, as the
// original sorts its keys.
import { describe, expect, it } from 'vitest';
import { checkQuorumSetSanity, LIMITS, normalizeQuorumSet, type QuorumSet } from '../../src/index.js';

const key = (i: number) => `node${String(i).padStart(4, '0')}`;
const q = (threshold: number, validators: string[], innerSets: QuorumSet[] = []): QuorumSet => ({
  threshold,
  validators,
  innerSets,
});
const singleton = (i: number) => q(1, [key(i)]);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => key(from + i));

/** Sanity as expected, and normalization gives `normalized` (sanity of the original is what counts). */
function check(qset: QuorumSet, sane: boolean, normalized: QuorumSet) {
  expect(checkQuorumSetSanity(qset).ok).toBe(sane);
  expect(normalizeQuorumSet(qset)).toEqual(normalized);
}

/** v0 wrapping v1 wrapping ... v_level; normalized, the deepest singleton joins its parent's validators. */
function nested(level: number): { qset: QuorumSet; normalized: QuorumSet } {
  const build = (i: number, last: number): QuorumSet =>
    i === last ? singleton(i) : q(1, [key(i)], [build(i + 1, last)]);
  const buildNormalized = (i: number): QuorumSet =>
    i === level - 1 ? q(1, [key(i), key(level)]) : q(1, [key(i)], [buildNormalized(i + 1)]);
  return { qset: build(0, level), normalized: buildNormalized(0) };
}

describe('stellar-core QuorumSetTests "sane quorum set"', () => {
  it('{ t: 0 }', () => check(q(0, []), false, q(0, [])));
  it('{ t: 0, v0 }', () => check(q(0, [key(0)]), false, q(0, [key(0)])));
  it('{ t: 2, v0 }', () => check(q(2, [key(0)]), false, q(2, [key(0)])));
  it('{ t: 1, v0 }', () => check(singleton(0), true, singleton(0)));
  it('{ t: 1, v0, { t: 1, v1 } -> { t:1, v0, v1 }', () =>
    check(q(1, [key(0)], [singleton(1)]), true, q(1, [key(0), key(1)])));
  it('{ t: 1, v0, { t: 1, v1 }, { t: 2, v2 } } -> { t:1, v0, v1, { t: 2, v2 } }', () =>
    check(q(1, [key(0)], [q(2, [key(1)]), singleton(2)]), false, q(1, [key(0), key(2)], [q(2, [key(1)])])));

  const multiple = q(1, [key(0)], [singleton(1), q(1, [key(2), key(3)])]);
  const multipleNormalized = q(1, [key(0), key(1)], [q(1, [key(2), key(3)])]);
  it('{ t: 1, v0, { t: 1, v1 }, { t: 1, v2, v3 } } -> { t:1, v0, v1, { t: 1, v2, v3 } }', () =>
    check(multiple, true, multipleNormalized));
  it('{ t: 1, { t: 1, v0, { t: 1, v1 }, { t: 1, v2, v3 } } } -> { t:1, v0, v1, { t: 1, v2, v3 } }', () =>
    check(q(1, [], [multiple]), true, multipleNormalized));
  it('{ t: 1, v0, { t: 1, v1, { t: 1, v2, { t: 1, v3 } } } } -> { t: 1, v0, { t: 1, v1, { t: 1, v2, v3 } } }', () => {
    const { qset, normalized } = nested(3);
    check(qset, true, normalized);
  });
  it('nesting one level deeper than allowed -> too deep', () => {
    const { qset, normalized } = nested(LIMITS.maxQuorumSetDepth + 1);
    check(qset, false, normalized);
  });
  it('nesting as deep as allowed', () => {
    const { qset, normalized } = nested(LIMITS.maxQuorumSetDepth);
    check(qset, true, normalized);
  });
  it('{ t: 1, v0..v999 } -> { t: 1, v0..v999 }', () => {
    const qset = q(1, range(0, 999));
    check(qset, true, qset);
  });
  it('{ t: 1, v0..v1000 } -> too big', () => {
    const qset = q(1, range(0, 1000));
    check(qset, false, qset);
  });
  it('{ t: 1, v0, { t: 1, v1..v100 }, ... { t: 1, v901..v1000 } } -> too big', () => {
    const inner = Array.from({ length: 10 }, (_, i) => q(1, range(i * 100 + 1, (i + 1) * 100)));
    const qset = q(1, [key(0)], inner);
    check(qset, false, qset);
  });
});
