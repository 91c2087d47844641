import { decodeReceipt, encodeReceipt, headerHash } from '@qm/ledger';
import { describe, expect, it } from 'vitest';
import { verifyReceiptOffline } from '../../src/receipt/index.js';
import { testNetwork } from './fixture.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** Lets promise callbacks (transport start) run between clock steps. */
const settle = () => new Promise((r) => setImmediate(r));
async function advance(net: ReturnType<typeof testNetwork>, ms: number, step = 100) {
  for (let t = 0; t < ms; t += step) {
    net.clock.advance(step);
    await settle();
  }
}

describe('validators on an in-memory network', () => {
  it('close identical ledgers and commit a submitted transaction', async () => {
    const net = testNetwork();
    for (let i = 0; i < 4; i++) await net.boot(i);
    await advance(net, 3000);
    const tx = net.tx([
      {
        type: 'defineItemClass',
        nsn: '2840-01-523-4567',
        nomenclature: 'ENGINE, TURBOFAN',
        unitOfIssue: 'EA',
        tracking: 'serialized',
      },
    ]);
    const submitted = net.validators[1]!.submitTransaction(tx);
    expect(submitted.ok).toBe(true);
    await advance(net, 4000);
    const heights = net.disks.map((d) => d.store.lastClosed()!.sequence);
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(4);
    for (let s = 0; s <= Math.min(...heights); s++) {
      expect(new Set(net.disks.map((d) => hex(headerHash(d.store.getHeader(s)!)))).size).toBe(1);
    }
    // Committed on every node, with the same result.
    for (const v of net.validators) {
      const status = v!.transaction(submitted.hash!) as { status: string };
      expect(status.status).toBe('committed');
    }
    // The closing ledger carries the quorum's SCP statements that externalized it.
    const seq = (net.validators[0]!.transaction(submitted.hash!) as { ledger: number }).ledger;
    expect(net.disks[0]!.store.getScpEnvelopes(seq)!.length).toBeGreaterThanOrEqual(3);
    // The ledger's transaction list names it with its result.
    const listed = net.validators[3]!.ledgerTransactions(seq) as { transactions: { hash: string }[] };
    expect(listed.transactions).toContainEqual(
      expect.objectContaining({ hash: submitted.hash, status: 'committed' }),
    );
    expect(net.validators[3]!.ledgerTransactions(10_000)).toBeNull();
    // Its receipt verifies offline with nothing but the genesis, anchored by the quorum's statements.
    const r = net.validators[2]!.receipt(submitted.hash!) as {
      receipt: string;
      verification: { ok: boolean };
    };
    expect(r.verification.ok).toBe(true);
    const bytes = new Uint8Array(Buffer.from(r.receipt, 'hex'));
    const offline = verifyReceiptOffline(bytes, net.genesis);
    expect(offline).toMatchObject({ ok: true });
    expect(offline.ok && offline.anchoredBy).toContain('scp');
    // A receipt from another network's genesis does not verify.
    const other = verifyReceiptOffline(bytes, { ...net.genesis, name: 'another-net' });
    expect(other.ok).toBe(false);
    // One statement is not a quorum: the SCP anchor fails.
    const decoded = decodeReceipt(bytes);
    const thin = encodeReceipt({ ...decoded, scpEnvelopes: decoded.scpEnvelopes!.slice(0, 1) });
    const weak = verifyReceiptOffline(thin, net.genesis);
    expect(weak.ok).toBe(false);
    expect(weak.ok ? '' : weak.step).toMatch(/quorum/);
  });

  it('halts with 2 of 4 stopped, names them, and resumes after a restart', async () => {
    const net = testNetwork();
    for (let i = 0; i < 4; i++) await net.boot(i);
    await advance(net, 3000);
    await net.halt(2);
    await net.halt(3);
    await advance(net, 8000);
    const stuckAt = net.disks[0]!.store.lastClosed()!.sequence;
    await advance(net, 5000);
    expect(net.disks[0]!.store.lastClosed()!.sequence).toBe(stuckAt);
    const health = net.validators[0]!.health();
    expect(health.stuck).toBe(true);
    expect(
      health.members
        .filter((m) => m.status === 'missing')
        .map((m) => m.node)
        .sort(),
    ).toEqual([net.ids[2], net.ids[3]].sort());
    expect(health.restoreSets.map((s) => s.join())).toEqual(expect.arrayContaining([net.ids[2], net.ids[3]]));
    // n2 comes back from its disk: no manual step, the network resumes.
    await net.boot(2);
    await advance(net, 8000);
    for (const i of [0, 1, 2])
      expect(net.disks[i]!.store.lastClosed()!.sequence).toBeGreaterThan(stuckAt + 2);
    expect(net.validators[0]!.health().stuck).toBe(false);
  });
  it('a validator that missed more ledgers than SCP retains catches up from a peer, proof-checked', async () => {
    const net = testNetwork();
    for (let i = 0; i < 4; i++) await net.boot(i);
    await advance(net, 3000);
    await net.halt(3);
    // More ledgers than the 64 slots peers keep for SCP catch-up.
    await advance(net, 120_000, 250);
    const ahead = net.disks[0]!.store.lastClosed()!.sequence;
    const behind = net.disks[3]!.store.lastClosed()!.sequence;
    expect(ahead - behind).toBeGreaterThan(70);
    const v3 = await net.boot(3);
    await advance(net, 8000);
    const heights = net.disks.map((d) => d.store.lastClosed()!.sequence);
    expect(heights[3]).toBeGreaterThanOrEqual(ahead);
    expect(Math.max(...heights) - heights[3]!).toBeLessThanOrEqual(1);
    expect(v3.peerCatchUp.applied).toBeGreaterThan(60);
    for (let s = 0; s <= Math.min(...heights); s++) {
      expect(new Set(net.disks.map((d) => hex(headerHash(d.store.getHeader(s)!)))).size).toBe(1);
    }
    // Each replayed ledger kept the quorum's statements that prove it.
    expect(net.disks[3]!.store.getScpEnvelopes(behind + 1)!.length).toBeGreaterThanOrEqual(3);
    expect(v3.health().stuck).toBe(false);
  });
});
