import fc from 'fast-check';
import { buildFbas, type Fbas, type RawNode, type RawQuorumSet } from '../src/index.js';

/**
 * Random small networks: some nodes with unknown quorum sets, nested sets, self-trust or not, repeated
 * references, a few organizations. Thresholds stay valid so most networks have quorums.
 */
const qsetArb = (n: number, depth: number): fc.Arbitrary<RawQuorumSet> =>
  fc
    .record({
      validators: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), {
        minLength: 0,
        maxLength: Math.min(n, 5),
      }),
      inner: depth > 0 ? fc.array(qsetArb(n, depth - 1), { maxLength: 2 }) : fc.constant<RawQuorumSet[]>([]),
      t: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .filter((r) => r.validators.length + r.inner.length > 0)
    .map((r) => {
      const entries = r.validators.length + r.inner.length;
      return {
        threshold: 1 + Math.min(entries - 1, Math.floor(r.t * entries)),
        validators: r.validators.map((v) => `n${v}`),
        innerSets: r.inner,
      };
    });

export const fbasArb = (nMax: number): fc.Arbitrary<Fbas> =>
  fc.integer({ min: 1, max: nMax }).chain((n) =>
    fc
      .array(
        fc.record({
          qset: fc.option(qsetArb(n, 1), { freq: 8 }),
          org: fc.option(fc.constantFrom('A', 'B', 'C'), { freq: 2 }),
        }),
        { minLength: n, maxLength: n },
      )
      .map((specs) => {
        const raw: RawNode[] = specs.map((s, i) => ({
          id: `n${i}`,
          organization: s.org ?? undefined,
          quorumSet: s.qset,
        }));
        return buildFbas(raw);
      }),
  );

/** Networks where every node has the same quorum set: the symmetric shortcuts must agree with the oracle. */
export const symmetricFbasArb = (nMax: number): fc.Arbitrary<Fbas> =>
  fc
    .integer({ min: 1, max: nMax })
    .chain((n) =>
      qsetArb(n, 1).map((q) =>
        buildFbas(Array.from({ length: n }, (_, i) => ({ id: `n${i}`, quorumSet: q }))),
      ),
    );
