import type { Statement } from '@qm/scp';
import { describe, expect, it } from 'vitest';
import { encodeConsensusValue } from '../../src/consensus/consensus-value.js';
import { quorumSetHash } from '../../src/consensus/quorum-sets.js';
import { encodeScpEnvelope, scpSigningPayload } from '../../src/consensus/scp-codec.js';
import { cluster } from './harness.js';

const IDS = ['n0', 'n1', 'n2', 'n3'];
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('herders closing ledgers together', () => {
  it('four validators close the same ledgers about once per second', () => {
    const c = cluster(IDS, 3);
    for (const id of IDS) c.start(id);
    c.clock.advance(10_000);
    const heights = IDS.map((id) => c.ledgers.get(id)!.lastClosed().seq);
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(8);
    const common = Math.min(...heights);
    for (let seq = 1; seq <= common; seq++) {
      const hashes = new Set(IDS.map((id) => hex(c.ledgers.get(id)!.ledgers[seq]!.hash)));
      expect(hashes.size).toBe(1);
    }
  });

  it('keeps the target interval when consensus takes a while: the next ledger is due a target after the agreed close time', () => {
    // 60 ms per message: a slot takes ~6 message delays (~360 ms) to externalize after nomination.
    const c = cluster(IDS, 3, 60);
    for (const id of IDS) c.start(id);
    c.clock.advance(30_000);
    // Timed from the last close, the interval would be ~1.36 s (~22 ledgers in 30 s).
    expect(c.ledgers.get('n0')!.lastClosed().seq).toBeGreaterThanOrEqual(27);
  });

  it('sends a tx set to peers only when a statement of its builder names it (nomination leaders)', () => {
    const c = cluster(IDS, 3);
    // Every node builds a different tx set, as under load.
    for (const id of IDS) c.ledgers.get(id)!.marker = new TextEncoder().encode(id);
    for (const id of IDS) c.start(id);
    c.clock.advance(20_000);
    const closed = c.ledgers.get('n0')!.lastClosed().seq;
    expect(closed).toBeGreaterThanOrEqual(15);
    const pushes = [...c.txSetPushes.values()].reduce((a, b) => a + b, 0);
    // One leader per slot in the usual case (every node pushing would be 4 per slot).
    expect(pushes).toBeGreaterThanOrEqual(closed);
    expect(pushes).toBeLessThan(2 * closed);
    expect(c.txSetRequests()).toBe(0);
  });

  it('a signed statement for a slot ahead does not silence a validator in that slot (it waits its turn)', () => {
    // n3's key is stolen: a rogue signs a PREPARE for the slot after next, naming a tx set every node
    // holds. The three honest nodes need all of their voices (threshold 3): if taking the statement
    // early made a slot "not fully validated", they would go silent there and halt for good.
    const c = cluster(IDS, 3);
    for (const id of IDS) c.start(id);
    c.clock.advance(3000);
    c.stop('n3');
    const rogue = c.suite.generateKeyPair(new Uint8Array(32).fill(4));
    const lcl = c.herders.get('n0')!.lastClosed;
    const statement: Statement = {
      nodeId: 'n3',
      slotIndex: lcl.seq + 2,
      pledges: {
        type: 'prepare',
        quorumSetHash: quorumSetHash({ threshold: 3, validators: IDS, innerSets: [] }),
        ballot: {
          counter: 1,
          value: encodeConsensusValue({ txSetHash: lcl.txSetHash, closeTime: lcl.closeTime + 5 }),
        },
        prepared: null,
        preparedPrime: null,
        nC: 0,
        nH: 0,
      },
    };
    const env = encodeScpEnvelope({
      statement,
      signature: c.suite.sign(rogue.privateKey, scpSigningPayload(c.networkId, statement)),
    });
    for (const id of ['n0', 'n1', 'n2']) expect(c.herders.get(id)!.receiveScp(env, 'n3').ok).toBe(true);
    c.clock.advance(10_000);
    for (const id of ['n0', 'n1', 'n2'])
      expect(c.ledgers.get(id)!.lastClosed().seq).toBeGreaterThan(lcl.seq + 5);
  });

  it('notices when its clock disagrees with the close times the network agrees on', () => {
    const c = cluster(IDS, 3);
    for (const id of ['n0', 'n1', 'n2']) c.start(id);
    c.start('n3', -20_000); // 20 s behind
    c.clock.advance(10_000);
    expect(c.ledgers.get('n3')!.lastClosed().seq).toBeGreaterThanOrEqual(5);
    const n0 = c.herders.get('n0')!;
    const n3 = c.herders.get('n3')!;
    expect(n0.clockOffsetMs).not.toBeNull();
    expect(Math.abs(n0.clockOffsetMs!)).toBeLessThan(2000);
    expect(n0.clockSuspect).toBe(false);
    expect(n3.clockOffsetMs).toBeLessThan(-15_000);
    expect(n3.clockSuspect).toBe(true);
  });

  it('halts with 2 of 4 down (threshold 3) and resumes when one returns', () => {
    const c = cluster(IDS, 3);
    for (const id of IDS) c.start(id);
    c.clock.advance(4000);
    c.stop('n2');
    c.stop('n3');
    c.clock.advance(1500);
    const halted = c.ledgers.get('n0')!.lastClosed().seq;
    c.clock.advance(20_000);
    expect(c.ledgers.get('n0')!.lastClosed().seq).toBe(halted);
    expect(c.ledgers.get('n1')!.lastClosed().seq).toBe(halted);
    // n2 restarts from what it had persisted and catches up; the network resumes.
    c.start('n2');
    c.clock.advance(15_000);
    for (const id of ['n0', 'n1', 'n2'])
      expect(c.ledgers.get(id)!.lastClosed().seq).toBeGreaterThan(halted + 2);
  });

  it('a validator that was down catches up on the ledgers it missed, with the same hashes', () => {
    const c = cluster(IDS, 3);
    for (const id of IDS) c.start(id);
    c.clock.advance(3000);
    c.stop('n3');
    c.clock.advance(6000);
    const missed = c.ledgers.get('n0')!.lastClosed().seq - c.ledgers.get('n3')!.lastClosed().seq;
    expect(missed).toBeGreaterThanOrEqual(2);
    c.start('n3');
    c.clock.advance(6000);
    const top = c.ledgers.get('n0')!.lastClosed().seq;
    const n3 = c.ledgers.get('n3')!;
    expect(n3.lastClosed().seq).toBeGreaterThanOrEqual(top - 1);
    for (let s = 1; s <= n3.lastClosed().seq; s++) {
      expect(hex(n3.ledgers[s]!.hash)).toBe(hex(c.ledgers.get('n0')!.ledgers[s]!.hash));
    }
  });
});
