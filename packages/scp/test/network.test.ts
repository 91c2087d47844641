import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Envelope, EnvelopeState, type QuorumSet, SCP, TimerId } from '../src/index.js';
import { flat, TestDriver, text, value } from './test-driver.js';

/**
 * A handful of SCP nodes wired by an in-order message queue: every emitted envelope reaches every live
 * peer. When the queue runs dry, the pending timers fire (nomination first), as time would pass.
 */
function network(ids: string[], qset: QuorumSet, down: string[] = []) {
  const queue: { to: string; env: Envelope }[] = [];
  const nodes = new Map<string, { scp: SCP; driver: TestDriver }>();
  for (const id of ids) {
    const driver = new TestDriver();
    driver.addQuorumSet(qset);
    driver.emitEnvelope = (env) => {
      for (const peer of ids) if (peer !== id && !down.includes(peer)) queue.push({ to: peer, env });
    };
    nodes.set(id, { scp: new SCP(driver, id, true, qset), driver });
  }
  const live = ids.filter((id) => !down.includes(id));
  const run = (slot: number, maxSteps = 10_000) => {
    for (const id of live) nodes.get(id)!.scp.nominate(slot, value(`value-of-${id}`), value('prev'));
    for (let step = 0; step < maxSteps; step++) {
      const m = queue.shift();
      if (m) {
        nodes.get(m.to)!.scp.receiveEnvelope(m.env);
        continue;
      }
      if (live.every((id) => nodes.get(id)!.driver.externalized.has(slot))) return step;
      const timer = live
        .flatMap((id) => [TimerId.Nomination, TimerId.Ballot].map((t) => ({ id, t })))
        .find(({ id, t }) => nodes.get(id)!.driver.timers.has(`${slot}/${t}`));
      if (!timer) return step;
      nodes.get(timer.id)!.driver.fireTimer(slot, timer.t);
    }
    return maxSteps;
  };
  return { nodes, live, run };
}

const IDS = ['v0', 'v1', 'v2', 'v3', 'v4'];

describe('SCP nodes together', () => {
  it('five nodes agree on one proposed value', () => {
    const net = network(IDS, flat(4, IDS));
    net.run(1);
    const values = IDS.map((id) => net.nodes.get(id)!.driver.externalized.get(1));
    expect(values.every((v) => v !== undefined)).toBe(true);
    expect(new Set(values.map((v) => text(v!))).size).toBe(1);
    expect(IDS.map((id) => `value-of-${id}`)).toContain(text(values[0]!));
  });

  it('four of five agree while one is down', () => {
    const net = network(IDS, flat(4, IDS), ['v2']);
    net.run(1);
    const values = net.live.map((id) => net.nodes.get(id)!.driver.externalized.get(1));
    expect(values.every((v) => v !== undefined)).toBe(true);
    expect(new Set(values.map((v) => text(v!))).size).toBe(1);
  });

  it('halts when no quorum is left, and says who is missing', () => {
    const net = network(IDS, flat(4, IDS), ['v2', 'v4']);
    net.run(1, 2000);
    for (const id of net.live) {
      const n = net.nodes.get(id)!;
      expect(n.driver.externalized.size).toBe(0);
      expect(n.scp.getMissingNodes(1)).toEqual(expect.arrayContaining(['v2', 'v4']));
    }
  });
});

describe('hostile input', () => {
  it('never throws on arbitrary or mutated envelopes', () => {
    const driver = new TestDriver();
    const qset = flat(2, ['v0', 'v1', 'v2']);
    const hash = driver.addQuorumSet(qset);
    const scp = new SCP(driver, 'v0', true, qset);
    const valid: Envelope = {
      statement: {
        nodeId: 'v1',
        slotIndex: 1,
        pledges: {
          type: 'prepare',
          quorumSetHash: hash,
          ballot: { counter: 1, value: value('x') },
          prepared: null,
          preparedPrime: null,
          nC: 0,
          nH: 0,
        },
      },
      signature: new Uint8Array(32),
    };
    const mutate = fc.record({
      path: fc.constantFrom('nodeId', 'slotIndex', 'type', 'counter', 'nC', 'nH', 'prepared', 'ballot'),
      junk: fc.anything(),
    });
    fc.assert(
      fc.property(fc.oneof(fc.anything(), mutate), (x) => {
        let input: unknown = x;
        if (typeof x === 'object' && x !== null && 'path' in x && 'junk' in x) {
          const env = structuredClone(valid) as unknown as { statement: Record<string, unknown> };
          const p = env.statement.pledges as Record<string, unknown>;
          const { path, junk } = x as { path: string; junk: unknown };
          if (path === 'nodeId' || path === 'slotIndex') env.statement[path] = junk;
          else if (path === 'counter') (p.ballot as Record<string, unknown>).counter = junk;
          else p[path] = junk;
          input = env;
        }
        const state = scp.receiveEnvelope(input as Envelope);
        expect([EnvelopeState.Valid, EnvelopeState.Invalid]).toContain(state);
      }),
      { numRuns: 2000 },
    );
  });
});
