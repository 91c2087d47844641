import { checkInvariants, type LedgerTxResult } from '@qm/ledger';
import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_KINDS,
  type ActivityKind,
  DemoWorkload,
  type GeneratedTx,
  MAX_IN_FLIGHT_PER_SOURCE,
} from '../../src/workload/index.js';
import { closeAndNote, demoNetwork, LedgerHarness } from './fixture.js';

const PER_LEDGER = 20;
const ACTIVITY = 300;

function run(seed: number) {
  const { actors, genesis } = demoNetwork();
  const ledger = new LedgerHarness(genesis);
  const workload = new DemoWorkload({ actors, seed, now: () => ledger.now });
  // The whole seed fits in one ledger: its order within the tx set respects its phases.
  const seedResults = closeAndNote(ledger, workload, workload.seedDetails());
  const seededEngine = ledger.store.get('item/D07482GE538201') as {
    children: string[];
    usage: { cycles: number };
  };
  const results: { kind: ActivityKind; bytes: Uint8Array; result: LedgerTxResult }[] = [];
  while (results.length < ACTIVITY) {
    const batch = Array.from({ length: Math.min(PER_LEDGER, ACTIVITY - results.length) }, () =>
      workload.nextTx(),
    );
    for (const [i, r] of closeAndNote(ledger, workload, batch).entries()) {
      results.push({ kind: batch[i]!.kind as ActivityKind, bytes: batch[i]!.bytes, result: r });
    }
  }
  return { workload, ledger, seedResults, seededEngine, results };
}

describe('DemoWorkload through the real ledger close', () => {
  const { workload, ledger, seedResults, seededEngine, results } = run(7);

  it('seeds sites, classes, devices, items and stock that all apply', () => {
    expect(seedResults.map((r) => r.code)).toEqual(seedResults.map(() => 'TX_SUCCESS'));
    expect(ledger.store.keys('site/').length).toBe(6);
    expect(ledger.store.keys('class/').length).toBe(6);
    expect(ledger.store.keys('device/').length).toBe(6);
    expect(ledger.store.keys('item/').length).toBe(27);
    expect(ledger.store.keys('stock/').length).toBeGreaterThanOrEqual(9);
    // The first engine of each organization carries a fan disk close to its 4,000-cycle limit.
    expect(seededEngine.children).toEqual(['D07482FD24101']);
    expect(seededEngine.usage.cycles).toBe(3985);
  });

  it('at least 95% of activity transactions succeed', () => {
    const ok = results.filter((r) => r.result.code === 'TX_SUCCESS').length;
    const failures = results
      .filter((r) => r.result.code !== 'TX_SUCCESS')
      .map(
        (r) =>
          `${r.kind}: ${r.result.code} ${JSON.stringify(r.result.operations?.find((o) => !o.ok) ?? r.result.message)}`,
      );
    console.log(`workload success ${ok}/${results.length}`);
    expect(ok / results.length, failures.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('exercises every kind of activity', () => {
    const seen = new Set(results.filter((r) => r.result.code === 'TX_SUCCESS').map((r) => r.kind));
    expect(ACTIVITY_KINDS.filter((k) => !seen.has(k))).toEqual([]);
    console.log('activity mix', JSON.stringify(workload.counts));
  });

  it('leaves a consistent state; scan alerts come only from the rare far scans', () => {
    expect(checkInvariants(ledger.store as never)).toEqual([]);
    const scanAlerts = ledger.store.alerts().filter((a) => a.kind.startsWith('scan-'));
    expect(scanAlerts.some((a) => a.kind === 'scan-location-mismatch')).toBe(true);
    // A far scan raises a mismatch and at most one impossible-travel alert; ordinary scans none.
    expect(scanAlerts.length).toBeLessThanOrEqual(2 * workload.counts['scan-far']);
    expect(workload.inFlight).toBe(0);
  });

  it('is deterministic: same seed, same bytes; another seed, another stream', () => {
    const hex = (rs: typeof results) => rs.map((r) => Buffer.from(r.bytes).toString('hex'));
    const again = run(7);
    expect(hex(again.results)).toEqual(hex(results));
    expect(again.workload.seedTransactions()).toEqual(workload.seedTransactions());
    expect(hex(run(8).results)).not.toEqual(hex(results));
  });
});

describe('DemoWorkload after a lost transaction', () => {
  it('rewinds the source sequence and carries on', () => {
    const { actors, genesis } = demoNetwork();
    const ledger = new LedgerHarness(genesis);
    const workload = new DemoWorkload({ actors, seed: 11, now: () => ledger.now });
    const seeds = workload.seedDetails();
    closeAndNote(ledger, workload, seeds);

    // A submit fails before the transaction reaches any node: it is rejected and never applied. The
    // source's later transactions then fail TX_BAD_SEQ in the ledger.
    const batch = Array.from({ length: 20 }, () => workload.nextTx());
    const lost = batch.find((t, i) => batch.slice(i + 1).some((u) => u.source === t.source))!;
    const later = batch.filter((t) => t.source === lost.source && t.seq > lost.seq);
    expect(later.length).toBeGreaterThan(0);
    workload.noteResult(lost.hash, 'rejected');
    expect(workload.nextSeqOf(lost.source)).toBe(lost.seq);
    const sent = batch.filter((t) => t !== lost);
    const rs = closeAndNote(ledger, workload, sent);
    expect(rs.filter((r) => r.code === 'TX_BAD_SEQ')).toHaveLength(later.length);

    let ok = 0;
    for (let n = 0; n < 5; n++) {
      const next = Array.from({ length: 20 }, () => workload.nextTx());
      ok += closeAndNote(ledger, workload, next).filter((r) => r.code === 'TX_SUCCESS').length;
    }
    expect(ok).toBe(100);
    expect(workload.inFlight).toBe(0);
  });
});

describe('DemoWorkload over a longer run', () => {
  it('stays healthy for a day of activity, with offers expiring over a pause', () => {
    const { actors, genesis } = demoNetwork();
    const ledger = new LedgerHarness(genesis);
    const workload = new DemoWorkload({ actors, seed: 5, now: () => ledger.now });
    closeAndNote(ledger, workload, workload.seedDetails());
    const codes: string[] = [];
    const runLedgers = (n: number) => {
      for (let k = 0; k < n; k++) {
        const batch = Array.from({ length: 20 }, () => workload.nextTx());
        for (const r of closeAndNote(ledger, workload, batch)) codes.push(r.code);
        ledger.now += 600; // ten minutes between busy ledgers: trips between sites complete
      }
    };
    runLedgers(30);
    // The network pauses for eight days: pending custody offers expire at the next close.
    ledger.now += 8 * 86_400;
    const expired = ledger.close([]);
    expect(expired).toEqual([]);
    runLedgers(20);
    const ok = codes.filter((c) => c === 'TX_SUCCESS').length;
    expect(ok / codes.length).toBeGreaterThanOrEqual(0.98);
    const kinds = new Set(ledger.store.alerts().map((a) => a.kind));
    expect(kinds).toContain('life-limit-exceeded');
    expect(kinds).toContain('custody-offer-expired');
    expect(workload.inFlight).toBe(0);
  });
});

describe('DemoWorkload sequence resync', () => {
  const fresh = () => {
    const w = new DemoWorkload({ actors: demoNetwork().actors, seed: 2, now: () => 1_800_000_100 });
    for (const t of w.seedDetails()) w.noteResult(t.hash, 'success');
    return w;
  };

  it('jumps ahead when the node says the sequence is already used', () => {
    const w = fresh();
    const t = w.nextTx();
    const message = `sequence ${t.seq} already used (next is ${t.seq + 5n})`;
    w.noteResult(t.hash, 'rejected', { code: 'TX_BAD_SEQ', message });
    expect(w.nextSeqOf(t.source)).toBe(t.seq + 5n);
  });

  it('leaves the sequence alone when another queued transaction holds the number', () => {
    const w = fresh();
    const t = w.nextTx();
    w.noteResult(t.hash, 'rejected', { code: 'TX_SEQ_TAKEN', message: 'queued' });
    expect(w.nextSeqOf(t.source)).toBe(t.seq + 1n);
  });

  it('rewinds to the gap the ledger names', () => {
    const w = fresh();
    const txs = Array.from({ length: 60 }, () => w.nextTx());
    const counts = new Map<string, number>();
    for (const t of txs) counts.set(t.source, (counts.get(t.source) ?? 0) + 1);
    const busiest = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    const bySource = txs.filter((t) => t.source === busiest);
    expect(bySource.length).toBeGreaterThanOrEqual(3);
    const [first, , third] = bySource;
    const inFlight = w.inFlight;
    w.noteResult(third!.hash, 'rejected', {
      code: 'TX_BAD_SEQ',
      message: `sequence ${third!.seq}, expected ${first!.seq}`,
    });
    expect(w.nextSeqOf(first!.source)).toBe(first!.seq);
    // The first and everything after it from that source can no longer apply: all forgotten.
    expect(w.inFlight).toBe(inFlight - bySource.length);
  });

  it('keeps at most MAX_IN_FLIGHT_PER_SOURCE unsettled per source', () => {
    // Results arrive 150 transactions late, as at a high rate with slow ledgers.
    const w = fresh();
    const unsettled: GeneratedTx[] = [];
    const perSource = new Map<string, number>();
    let most = 0;
    for (let i = 0; i < 600; i++) {
      const t = w.nextTx();
      unsettled.push(t);
      perSource.set(t.source, (perSource.get(t.source) ?? 0) + 1);
      most = Math.max(most, perSource.get(t.source)!);
      if (unsettled.length > 150) {
        const done = unsettled.shift()!;
        perSource.set(done.source, perSource.get(done.source)! - 1);
        const offerId = `${i}.0.0`;
        w.noteResult(done.hash, 'success', {
          operations: [{ ok: true, events: [{ type: 'custodyOffered', data: { offerId } }] }],
        });
      }
    }
    expect(most).toBeLessThanOrEqual(MAX_IN_FLIGHT_PER_SOURCE);
  });
});

describe('DemoWorkload back-pressure', () => {
  it('tryNextTx holds back once every source has its fill of unsettled transactions', () => {
    const w = new DemoWorkload({
      actors: demoNetwork().actors,
      seed: 6,
      now: () => 1_800_000_100,
      settleAfter: Number.POSITIVE_INFINITY,
    });
    for (const t of w.seedDetails()) w.noteResult(t.hash, 'success');
    const made: GeneratedTx[] = [];
    for (let t = w.tryNextTx(); t !== null && made.length < 100_000; t = w.tryNextTx()) made.push(t);
    expect(made.length).toBeLessThan(100_000);
    const perSource = new Map<string, number>();
    for (const t of made) perSource.set(t.source, (perSource.get(t.source) ?? 0) + 1);
    expect(Math.max(...perSource.values())).toBeLessThanOrEqual(MAX_IN_FLIGHT_PER_SOURCE);
    // One settles: its source has room again.
    w.noteResult(made[0]!.hash, 'success');
    expect(w.tryNextTx()).not.toBeNull();
  });
});
