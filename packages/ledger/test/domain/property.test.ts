/**
 * Random operation sequences: apply never throws (every rejection is a coded result), the state
 * invariants hold after every step, and the same sequence gives the same state twice.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyOperation,
  checkExpiredOffers,
  checkInvariants,
  isResultCode,
  type OpResult,
} from '../../src/domain/index.js';
import { DEPOT, DEVICE, M, NAVY, snapshot, WING, type World, world } from './fixtures.js';

const serials = ['S1', 'S2', 'S3', 'E1', 'D1'];
const uiiA = fc.oneof(
  { weight: 9, arbitrary: fc.constantFrom('S1', 'S1', 'E1', 'E1', ...serials).map((s) => `D0CVA5${s}`) },
  { weight: 1, arbitrary: fc.constantFrom('bad uii', '', 'D0CVA5S9') },
);
const org = fc.constantFrom(DEPOT, WING, NAVY, 'NOPE00');
const site = fc.constantFrom('DEPOT-A', 'DEPOT-A', 'EDWARDS', 'NOWHERE');
const location = fc.oneof(
  { weight: 3, arbitrary: site.map((s) => ({ site: s })) },
  {
    weight: 1,
    arbitrary: fc.record({
      lat: fc.double({ min: -90, max: 90, noNaN: true }),
      lon: fc.double({ min: -180, max: 180, noNaN: true }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      latE6: fc.integer({ min: -90_000_001, max: 90_000_001 }),
      lonE6: fc.integer({ min: -180_000_001, max: 180_000_001 }),
    }),
  },
);
const nsn = fc.constantFrom('2840015234567', '2840015230001', '1510015550001', '5330001234567', '9999');
const stockNsn = fc.constantFrom('5330001234567', '5330001234567', '5330001234567', '2840015234567', '9999');
const stockCond = fc.constantFrom('A', 'A', 'A', 'F', 'Z');
const cond = fc.constantFrom('A', 'A', 'B', 'F', 'H', 'Z');
const smallInt = fc.integer({ min: -3, max: 3000 });
const anySource = fc.constantFrom(...Object.values(M), DEVICE, 'stranger');
const itemSrc = fc.constantFrom(M.supplyA, M.maintA, M.supplyA, M.maintA, M.supplyB, M.maintB, M.auditor);
const supplySrc = fc.constantFrom(M.supplyA, M.supplyB, M.supplyN, M.supplyA);
const maintSrc = fc.constantFrom(M.maintA, M.maintB, M.maintA);
const adminSrc = fc.constantFrom(M.admin, M.admin2);
/** 'PENDING' is replaced at run time by the item's pending offer id, so that accepts can succeed. */
const offerId = fc.oneof(
  { weight: 4, arbitrary: fc.constant('PENDING') },
  { weight: 1, arbitrary: fc.constantFrom('1.0.0', 'x') },
);

/** An operation with `src`, the signer most likely to be allowed to apply it (stripped before apply). */
const op: fc.Arbitrary<{ src: string } & Record<string, unknown>> = fc.oneof(
  fc
    .record({
      src: supplySrc,
      type: fc.constant('registerItem'),
      serial: fc.constantFrom(...serials),
      nsn,
      condition: cond,
      location,
    })
    .map((o) => ({ ...o, uii: `D0CVA5${o.serial}`, cage: '0CVA5' })),
  {
    weight: 3,
    arbitrary: fc.record({
      src: supplySrc,
      type: fc.constant('offerCustody'),
      uii: uiiA,
      to: org,
      ownership: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      src: fc.constantFrom('RECEIVER', 'RECEIVER', M.supplyA, M.supplyB),
      type: fc.constantFrom('acceptCustody', 'acceptCustody', 'rejectCustody', 'withdrawCustodyOffer'),
      uii: uiiA,
      offerId,
    }),
  },
  fc.record({ src: supplySrc, type: fc.constantFrom('recordReceipt', 'moveItem'), uii: uiiA, location }),
  fc.record({
    src: itemSrc,
    type: fc.constant('changeCondition'),
    uii: uiiA,
    condition: cond,
    reason: fc.constant('r'),
  }),
  fc.record({
    src: maintSrc,
    type: fc.constant('recordMaintenance'),
    uii: uiiA,
    action: fc.constant('inspect'),
  }),
  fc.record({ src: maintSrc, type: fc.constant('installItem'), uii: uiiA, parent: uiiA }),
  fc.record({ src: maintSrc, type: fc.constant('removeItem'), uii: uiiA }),
  fc.record({
    src: maintSrc,
    type: fc.constant('recordUsage'),
    uii: uiiA,
    hours: smallInt,
    cycles: smallInt,
  }),
  fc.record({
    src: itemSrc,
    type: fc.constantFrom('quarantine', 'release'),
    uii: uiiA,
    reason: fc.constant('r'),
  }),
  fc.record({ src: supplySrc, type: fc.constant('dispose'), uii: uiiA, method: fc.constant('scrap') }),
  fc.record({
    src: supplySrc,
    type: fc.constantFrom('receiveStock', 'issueStock'),
    nsn: stockNsn,
    site,
    lot: fc.constantFrom('', '', 'L1'),
    condition: stockCond,
    quantity: fc.integer({ min: -1, max: 40 }),
  }),
  fc.record({
    src: supplySrc,
    type: fc.constant('adjustStock'),
    nsn: stockNsn,
    site,
    lot: fc.constant(''),
    condition: stockCond,
    delta: fc.integer({ min: -40, max: 40 }),
    reason: fc.constant('count'),
  }),
  fc.record({
    src: fc.constant(DEVICE),
    type: fc.constant('recordScan'),
    device: fc.constantFrom(DEVICE, DEVICE, 'ghost'),
    uii: uiiA,
    location,
    dt: fc.integer({ min: -400, max: 100 }),
  }),
  fc.record({
    src: adminSrc,
    type: fc.constantFrom('addMember', 'revokeMember'),
    member: anySource,
    org,
    roles: fc.constantFrom(['supply'], ['admin']),
  }),
  fc.record({
    src: adminSrc,
    type: fc.constant('setParameter'),
    name: fc.constantFrom('adminApprovals', 'maxComponents', 'custodyOfferTtlSeconds'),
    value: fc.integer({ min: 0, max: 4000 }),
  }),
  fc.anything().map((junk) => ({ src: M.admin, junk })),
);

type Step =
  | { kind: 'op'; source: string; ops: unknown[]; extraSigners: string[] }
  | { kind: 'time'; seconds: number }
  | { kind: 'close' };

const opStep: fc.Arbitrary<Step> = fc
  .record({
    ops: fc.oneof(
      { weight: 4, arbitrary: fc.tuple(op) },
      { weight: 1, arbitrary: fc.array(op, { minLength: 2, maxLength: 3 }) },
    ),
    other: anySource,
    useOther: fc.integer({ min: 0, max: 9 }),
    extraSigners: fc.subarray([M.admin2, DEVICE]),
  })
  .map(({ ops, other, useOther, extraSigners }) => ({
    kind: 'op',
    // Mostly the plausible signer of the first operation; sometimes anyone, to exercise the role rules.
    source: useOther === 0 ? other : ops[0]!.src,
    ops: ops.map(({ src: _src, ...rest }) => ('junk' in rest ? rest.junk : rest)),
    extraSigners,
  }));

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: opStep },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('time' as const),
      seconds: fc.integer({ min: 1, max: 10 * 86_400 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'close' as const }) },
);

const SUPPLY_OF: Record<string, string> = { [DEPOT]: M.supplyA, [WING]: M.supplyB, [NAVY]: M.supplyN };

/** 'RECEIVER' signs as a supply member of the organization the first operation's offer goes to. */
function resolveSource(w: World, source: string, first: unknown): string {
  if (source !== 'RECEIVER') return source;
  const id = (first as { offerId?: unknown } | null)?.offerId;
  const offer = typeof id === 'string' ? w.state.offer(id) : undefined;
  return (offer && SUPPLY_OF[offer.to]) ?? M.supplyB;
}

/** Fills in what depends on the state so far: the scan time, the pending offer id. */
function resolve(w: World, o: unknown): unknown {
  if (typeof o !== 'object' || o === null) return o;
  const r = o as Record<string, unknown>;
  if (r.type === 'recordScan') {
    const { dt, ...scan } = r;
    return { ...scan, time: w.time + (dt as number) };
  }
  if (r.offerId === 'PENDING') return { ...r, offerId: w.state.item(String(r.uii))?.pendingOffer ?? 'none' };
  return o;
}

/** Successes by operation type over the whole property run, to check the generator reaches them. */
const successes = new Map<string, number>();

function record(op: unknown, r: OpResult): void {
  if (!r.ok && !isResultCode(r.code)) throw new Error(`code ${r.code} is not in RESULT_CODES`);
  if (!r.ok) return;
  const type = String((op as { type: unknown }).type);
  successes.set(type, (successes.get(type) ?? 0) + 1);
}

/** Runs the steps on a fresh world; returns the final snapshot. Throws on any invariant violation. */
function run(steps: Step[]): string {
  const w = world();
  for (const s of steps) {
    if (s.kind === 'time') {
      w.time += s.seconds;
      continue;
    }
    if (s.kind === 'close') {
      checkExpiredOffers(w.store, w.time, w.seq);
    } else {
      const ops = s.ops.map((o) => resolve(w, o));
      const source = resolveSource(w, s.source, ops[0]);
      if (ops.length === 1) {
        record(ops[0], applyOperation(w.store, ops[0], w.ctx(source, s.extraSigners)));
        w.seq++;
      } else {
        const t = w.tx(source, ops, s.extraSigners);
        for (let i = 0; i < t.results.length; i++) {
          const r = t.results[i]!;
          // Successes of a failed transaction took no effect: only count a committed one's.
          if (t.ok || !r.ok) record(ops[i], r);
        }
      }
    }
    const problems = checkInvariants(w.store);
    if (problems.length > 0) throw new Error(`invariants broken: ${problems.join('; ')}`);
  }
  return snapshot(w);
}

const item = (serial: string, nsnOf: string) => ({
  type: 'registerItem',
  uii: `D0CVA5${serial}`,
  nsn: nsnOf,
  serial,
  cage: '0CVA5',
  condition: 'A',
  location: { site: 'DEPOT-A' },
});

/** A scripted prefix that makes success paths reachable: items, an assembly, stock. */
const prefix: Step[] = [
  {
    kind: 'op',
    source: M.supplyA,
    extraSigners: [],
    ops: [item('S1', '2840015234567'), item('E1', '2840015234567')],
  },
  { kind: 'op', source: M.supplyA, extraSigners: [], ops: [item('D1', '2840015230001')] },
  {
    kind: 'op',
    source: M.maintA,
    extraSigners: [],
    ops: [{ type: 'installItem', uii: 'D0CVA5D1', parent: 'D0CVA5E1' }],
  },
  {
    kind: 'op',
    source: M.supplyA,
    extraSigners: [],
    ops: [
      { type: 'receiveStock', nsn: '5330001234567', site: 'DEPOT-A', lot: '', condition: 'A', quantity: 50 },
    ],
  },
];

describe('property: random operation sequences', () => {
  it('never throw, keep the invariants, and are deterministic', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 5, maxLength: 60, size: 'max' }), (steps) => {
        const all = [...prefix, ...steps];
        expect(run(all)).toBe(run(all));
      }),
      { numRuns: 300, seed: 20261125 },
    );
    // The generator must reach the success path of the operations that change items and custody.
    for (const type of [
      'offerCustody',
      'acceptCustody',
      'moveItem',
      'recordUsage',
      'installItem',
      'issueStock',
    ]) {
      expect(successes.get(type) ?? 0, type).toBeGreaterThan(0);
    }
  });

  it('arbitrary values as operations or transactions only ever get coded rejections', () => {
    const w = world();
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (a, b) => {
        const r = applyOperation(w.store, a, w.ctx(M.admin));
        expect(r.ok).toBe(false);
        const t = w.tx(M.admin, [b]);
        expect(t.ok).toBe(false);
      }),
      { numRuns: 500, seed: 7 },
    );
    expect(checkInvariants(w.store)).toEqual([]);
  });
});
