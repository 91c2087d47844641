/**
 * Checkers over a recorded history. Each returns its violations (empty: the property held); they read
 * only the History, never the live cluster, so a saved history can be re-judged and synthetic ones
 * (a fork, a lost acknowledged transaction) prove that each checker can fail.
 */
import { acknowledged, type History } from './history.js';

export type CheckerName = 'agreement' | 'durability' | 'recovery' | 'halting' | 'progress' | 'corruption';
export const CHECKERS: readonly CheckerName[] = [
  'agreement',
  'durability',
  'recovery',
  'halting',
  'progress',
  'corruption',
];

export interface Violation {
  checker: CheckerName;
  message: string;
}

/** (a) No fork: at every sequence up to the lowest final height, all validators hold the same hash. */
export function checkAgreement(h: History): Violation[] {
  // A run that never got to read back (it aborted) is a recovery failure, not a fork.
  if (!h.final)
    return [{ checker: 'recovery', message: 'no final views were collected: the run did not finish' }];
  const views = h.final.ledgers;
  const heights = views.map((v) => Math.max(0, ...Object.keys(v).map(Number)));
  const min = Math.min(...heights);
  const out: Violation[] = [];
  for (let seq = 1; seq <= min; seq++) {
    const hashes = views.map((v) => v[seq]);
    if (hashes.some((x) => x === undefined)) {
      out.push({ checker: 'agreement', message: `ledger ${seq}: missing on some validator (${hashes})` });
    } else if (new Set(hashes).size > 1) {
      out.push({ checker: 'agreement', message: `fork at ledger ${seq}: ${hashes.join(' / ')}` });
    }
  }
  return out;
}

/**
 * (b) Durability: every transaction the client saw in a ledger is, on every validator, in a ledger with
 * the same status, and in the same ledger everywhere.
 */
export function checkDurability(h: History): Violation[] {
  if (!h.final) return []; // reported once, by checkAgreement, as a recovery failure
  // One violation per validator and answer, so a validator that is down at the end reads as one finding.
  const groups = new Map<string, string[]>();
  const out: Violation[] = [];
  for (const tx of acknowledged(h)) {
    const want = tx.outcome === 'success' ? 'committed' : 'failed';
    const seen = h.final.txs.map((v) => v[tx.hash]);
    let bad = false;
    seen.forEach((s, i) => {
      if (s?.status === want) return;
      bad = true;
      const key = `v${i}: acknowledged ${want}, now ${s ? s.status : 'unknown'}`;
      groups.set(key, [...(groups.get(key) ?? []), tx.hash]);
    });
    if (bad) continue;
    const ledgers = new Set(seen.map((s) => s?.ledger));
    if (ledgers.size > 1) {
      out.push({ checker: 'durability', message: `tx ${tx.hash} in different ledgers: ${[...ledgers]}` });
    }
  }
  for (const [key, hashes] of groups) {
    out.unshift({ checker: 'durability', message: `${key}: ${hashes.length} tx(s), e.g. ${hashes[0]}` });
  }
  return out;
}

/** (c) Recovery: after the last fault every validator is synced and closing again within the bound. */
export function checkRecovery(h: History): Violation[] {
  const r = h.recovery;
  if (!r) return [{ checker: 'recovery', message: 'no recovery observation' }];
  if (r.recoveryMs === null || r.recoveryMs > r.boundMs) {
    return [{ checker: 'recovery', message: `not recovered within ${r.boundMs} ms of the last fault` }];
  }
  return [];
}

/**
 * (d) Halting: with 2 of 4 stopped, the survivors report stuck, close no ledger from then on, say
 * 'stuck' in /v1/status and name exactly the stopped validators as missing in /v1/quorum. Under a
 * partition, every validator the quorum analyzer predicts halted (no quorum inside what it can still
 * reach) does the same, naming exactly the validators it cannot reach.
 */
export function checkHalting(h: History): Violation[] {
  const out: Violation[] = [];
  for (const o of h.progress ?? []) {
    if (o.predictedHalted.length === 0) continue;
    const at = `${o.kind} at ${o.t} ms (${o.detail})`;
    if (o.stuckAfterMs === null) {
      out.push({ checker: 'halting', message: `${at}: predicted halted, never all reported stuck` });
      continue;
    }
    o.predictedHalted.forEach((v, k) => {
      const before = o.heightsAtStuck[v];
      const after = o.heightsAfter[v];
      if (before == null || after == null || after !== before) {
        out.push({ checker: 'halting', message: `${at}: v${v} went ${before} -> ${after} while stuck` });
      }
      const q = o.quorum[v];
      if (q?.stuck !== true || q.state !== 'stuck') {
        out.push({ checker: 'halting', message: `${at}: v${v} says stuck=${q?.stuck} state=${q?.state}` });
      }
      const named = [...(q?.missing ?? [])].sort().join();
      if (named !== [...(o.expectMissing[k] ?? [])].sort().join()) {
        out.push({ checker: 'halting', message: `${at}: v${v} names missing [${named}]` });
      }
    });
  }
  for (const o of h.halts) {
    const at = `halt at ${o.t} ms (stopped ${o.stopped})`;
    if (o.stuckAfterMs === null) {
      out.push({ checker: 'halting', message: `${at}: survivors never reported stuck` });
      continue;
    }
    o.survivors.forEach((s, k) => {
      const before = o.heightsAtStuck[k];
      const after = o.heightsAfter[k];
      if (before == null || after == null || after !== before) {
        out.push({ checker: 'halting', message: `${at}: v${s} went ${before} -> ${after} while stuck` });
      }
      const q = o.quorum[k];
      if (q?.stuck !== true || q.state !== 'stuck') {
        out.push({ checker: 'halting', message: `${at}: v${s} says stuck=${q?.stuck} state=${q?.state}` });
      }
      const named = [...(q?.missing ?? [])].sort().join();
      if (named !== [...o.stoppedIds].sort().join()) {
        out.push({ checker: 'halting', message: `${at}: v${s} names missing [${named}]` });
      }
    });
  }
  return out;
}

/**
 * (e) Progress: under a fault the network must ride out (the live side of a partition, a bridge, a
 * ring, a slow link, a skewed clock), every validator the quorum analyzer predicts live closes at least
 * `minLedgers` ledgers from the injection to the end of the watch window, and none of them goes longer
 * than `stallBoundMs` without a close. (A moment of "stuck" in /v1/status is allowed: a nomination
 * leader whose values its peers refuse, such as a validator with a clock far ahead, costs its peers a
 * nomination round or two, and /v1/status says stuck after 5 s without a close.)
 */
export function checkProgress(h: History): Violation[] {
  const out: Violation[] = [];
  for (const o of h.progress ?? []) {
    const at = `${o.kind} at ${o.t} ms (${o.detail})`;
    for (const v of o.predictedLive) {
      const before = o.heightsAtInject[v];
      const after = o.heightsAfter[v];
      if (before == null || after == null || after - before < o.minLedgers) {
        out.push({
          checker: 'progress',
          message: `${at}: v${v} predicted live went ${before} -> ${after} (fewer than ${o.minLedgers} ledgers)`,
        });
      }
    }
    if (o.longestStallMs !== undefined && o.stallBoundMs !== undefined && o.longestStallMs > o.stallBoundMs) {
      out.push({
        checker: 'progress',
        message: `${at}: a validator predicted live closed nothing for ${o.longestStallMs} ms (bound ${o.stallBoundMs} ms)`,
      });
    }
  }
  return out;
}

/**
 * (f) Corruption: a validator restarted on a damaged store either starts on a store SQLite finds sound,
 * and keeps running, or refuses at boot with an error code naming the damaged file; never runs on a
 * store SQLite finds corrupt, never hangs. (Forks and lost transactions are agreement's and durability's.)
 */
export function checkCorruption(h: History): Violation[] {
  const out: Violation[] = [];
  for (const o of h.corruptions ?? []) {
    const at = `corrupt at ${o.t} ms (v${o.node} ${o.file} ${o.mode} ${o.bytes} B at ${o.offset})`;
    if (o.outcome === 'hung') {
      out.push({ checker: 'corruption', message: `${at}: neither started nor exited` });
      continue;
    }
    if (o.outcome === 'started' && o.integrity !== 'ok') {
      out.push({ checker: 'corruption', message: `${at}: runs on a store SQLite finds ${o.integrity}` });
    }
    if (o.exitedAfterStart) {
      out.push({
        checker: 'corruption',
        message: `${at}: started, then exited by itself (${o.errorLine ?? `exit ${o.exitCode}`})`,
      });
    } else if (o.outcome === 'refused' && o.errorLine === undefined) {
      out.push({
        checker: 'corruption',
        message: `${at}: refused to start without an error code (exit ${o.exitCode})`,
      });
    } else if (o.outcome === 'refused' && !o.namesFile) {
      out.push({
        checker: 'corruption',
        message: `${at}: refused, but the error does not name ${o.file}: ${o.errorLine}`,
      });
    }
  }
  return out;
}

export function checkAll(h: History): Violation[] {
  return [
    ...checkAgreement(h),
    ...checkDurability(h),
    ...checkRecovery(h),
    ...checkHalting(h),
    ...checkProgress(h),
    ...checkCorruption(h),
  ];
}
