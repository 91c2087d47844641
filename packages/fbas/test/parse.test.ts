import { describe, expect, it } from 'vitest';
import { analyze, Budget, buildFbas, FbasError, parseNetwork, withBudget } from '../src/index.js';

const own = {
  nodes: [
    { id: 'a', organization: 'X', quorumSet: { threshold: 2, validators: ['a', 'b', 'c'], innerSets: [] } },
    { id: 'b', organization: 'X', quorumSet: { threshold: 2, validators: ['a', 'b', 'c'], innerSets: [] } },
    { id: 'c', organization: 'Y', quorumSet: { threshold: 2, validators: ['a', 'b', 'c'], innerSets: [] } },
  ],
};
const core = {
  transitive: {
    nodes: [
      { node: 'a', qset: { t: 2, v: ['a', 'b', 'c'] } },
      { node: 'b', qset: { t: 2, v: ['a', { t: 1, v: ['b'] }, 'c'] } },
      { node: 'c', qset: { t: 2, v: ['a', 'b', 'c'] } },
    ],
  },
};

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof FbasError) return e.code;
    throw e;
  }
  return undefined;
}

describe('input formats', () => {
  it('reads Quartermaster network files, organizations included', () => {
    const p = parseNetwork(JSON.stringify(own));
    expect(p.format).toBe('quartermaster');
    expect(p.nodes.map((n) => n.organization)).toEqual(['X', 'X', 'Y']);
    const a = analyze(buildFbas(p.nodes), { groupBy: ['organization'] });
    expect(a.minimalQuorums).toMatchObject({ status: 'done', count: 3, smallest: 2 });
    expect(a.byGroup.organization?.minimalQuorums).toMatchObject({ status: 'done', sets: [['X']] });
  });

  it("reads stellar-core's transitive quorum JSON with nested sets in v", () => {
    const p = parseNetwork(JSON.stringify(core));
    expect(p.format).toBe('stellar-core');
    expect(p.nodes[1]!.quorumSet).toEqual({
      threshold: 2,
      validators: ['a', 'c'],
      innerSets: [{ threshold: 1, validators: ['b'], innerSets: [] }],
    });
    expect(analyze(buildFbas(p.nodes), { groupBy: [] }).intersection).toMatchObject({ intersects: true });
  });

  it('reads the stellarbeat unknown marker (threshold 2^53-1, no members) as an unknown quorum set', () => {
    const text = JSON.stringify([
      { publicKey: 'G1', quorumSet: { threshold: 9007199254740991, validators: [], innerQuorumSets: [] } },
    ]);
    const fbas = buildFbas(parseNetwork(text).nodes);
    expect(fbas.nodes[0]!.problem).toEqual({ kind: 'unknown-quorum-set' });
  });

  it('rejects bad input with stable codes', () => {
    expect(codeOf(() => parseNetwork('{nope'))).toBe('BAD_JSON');
    expect(codeOf(() => parseNetwork('{"hello": 1}'))).toBe('UNKNOWN_FORMAT');
    expect(codeOf(() => parseNetwork('[{"publicKey": 7}]'))).toBe('BAD_NODE');
    expect(
      codeOf(() => buildFbas([...parseNetwork(JSON.stringify(own)).nodes, { id: 'a', quorumSet: null }])),
    ).toBe('DUPLICATE_NODE');
    const fbas = buildFbas(parseNetwork(JSON.stringify(own)).nodes);
    expect(codeOf(() => analyze(fbas, { node: 'zz' }))).toBe('UNKNOWN_NODE');
  });
});

describe('budget', () => {
  it('answers "unknown" instead of running past the budget (clock injected)', () => {
    let now = 0;
    const clock = () => (now += 1000);
    const r = withBudget(new Budget(500, clock), () => ({ x: 1 }));
    expect(r).toEqual({ status: 'unknown', reason: 'budget', budgetMs: 500 });
    const fbas = buildFbas(parseNetwork(JSON.stringify(own)).nodes);
    const a = analyze(fbas, { budgetMs: 500, nowMs: clock, groupBy: [] });
    expect(a.minimalQuorums.status).toBe('unknown');
    expect(a.topTier.status).toBe('unknown');
  });
});
