import type { NodeId, SlotIndex } from '@qm/scp';
import type { RunRecord } from './history.js';

export type CheckerName = 'agreement' | 'validity' | 'consistency' | 'halting' | 'liveness' | 'robustness';
export const ALL_CHECKERS: readonly CheckerName[] = [
  'agreement',
  'validity',
  'consistency',
  'halting',
  'liveness',
  'robustness',
];

export interface Violation {
  readonly checker: CheckerName;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * Agreement (SCP paper, Mazieres 2015, section 3 "safety"): no two honest nodes externalize different
 * values for one slot, and no honest node externalizes two values for one slot (which would also break
 * "never contradict what you signed", across restarts). Byzantine nodes are excluded: they may say
 * anything. The guarantee only holds for intact nodes of a configuration with quorum intersection, which
 * is exactly why a configuration without it must fail this check.
 */
export function checkAgreement(record: RunRecord): Violation[] {
  const honest = new Set(record.honest);
  const firstBySlot = new Map<SlotIndex, { node: NodeId; value: string }>();
  const out: Violation[] = [];
  const reported = new Set<SlotIndex>();
  for (const e of record.externalizations) {
    if (!honest.has(e.node)) continue;
    const first = firstBySlot.get(e.slot);
    if (!first) {
      firstBySlot.set(e.slot, { node: e.node, value: e.value });
      continue;
    }
    if (first.value !== e.value && !reported.has(e.slot)) {
      reported.add(e.slot);
      out.push({
        checker: 'agreement',
        message: `slot ${e.slot}: ${first.node} externalized ${first.value} but ${e.node} externalized ${e.value}`,
        details: { slot: e.slot, a: first, b: { node: e.node, value: e.value, atMs: e.atMs } },
      });
    }
  }
  return out;
}

/** Validity (non-triviality): every externalized value is one some node actually proposed. */
export function checkValidity(record: RunRecord): Violation[] {
  const proposed = new Set(record.proposed);
  const honest = new Set(record.honest);
  return record.externalizations
    .filter((e) => honest.has(e.node) && !proposed.has(e.value))
    .map((e) => ({
      checker: 'validity' as const,
      message: `${e.node} externalized slot ${e.slot} with a value nobody proposed: ${e.value}`,
      details: { ...e },
    }));
}

/**
 * Halting: while too many nodes are down for any quorum to form, no slot beyond the last one closed
 * before the outage may be externalized, and every live node that was probed must say it is stuck:
 * the slot is not externalized and its missing-node report is non-empty and names only nodes that are
 * actually down (principle 1: halt, and explain the halt).
 */
export function checkHalting(record: RunRecord): Violation[] {
  const halt = record.halt;
  if (!halt) return [];
  const out: Violation[] = [];
  for (const e of record.externalizations) {
    if (e.atMs > halt.fromMs && e.atMs < halt.toMs && e.slot > halt.lastSlotBefore) {
      out.push({
        checker: 'halting',
        message: `${e.node} externalized slot ${e.slot} at ${e.atMs} ms while ${halt.down.join(',')} were down`,
        details: { ...e, halt },
      });
    }
  }
  const down = new Set(halt.down);
  const honestLive = record.honest.filter((n) => !down.has(n));
  for (const node of honestLive) {
    const probe = record.probes.find((p) => p.node === node);
    if (!probe) {
      out.push({
        checker: 'halting',
        message: `${node} was never probed during the halt`,
        details: { node },
      });
      continue;
    }
    const wrong = probe.missing.filter((m) => !down.has(m));
    if (probe.externalized || probe.missing.length === 0 || wrong.length > 0) {
      out.push({
        checker: 'halting',
        message: `${node} did not report the halt of slot ${probe.slot} correctly (missing: [${probe.missing.join(',')}], down: [${halt.down.join(',')}])`,
        details: { probe, down: halt.down },
      });
    }
  }
  return out;
}

/**
 * Liveness after healing: once every fault has stopped (healedAtMs), each honest node externalizes the
 * run's last target slot within livenessBoundMs. Byzantine nodes keep misbehaving; with a configuration
 * that tolerates them this must not matter.
 */
export function checkLiveness(record: RunRecord): Violation[] {
  const deadline = record.healedAtMs + record.livenessBoundMs;
  const out: Violation[] = [];
  for (const node of record.honest) {
    const done = record.externalizations.find((e) => e.node === node && e.slot === record.targetSlots);
    if (!done || done.atMs > deadline) {
      const reached = record.externalizations
        .filter((e) => e.node === node)
        .reduce((m, e) => Math.max(m, e.slot), 0);
      out.push({
        checker: 'liveness',
        message: `${node} did not externalize slot ${record.targetSlots} by ${deadline} ms (healed at ${record.healedAtMs} ms; highest slot ${reached})`,
        details: {
          node,
          deadline,
          healedAtMs: record.healedAtMs,
          highestSlot: reached,
          at: done?.atMs ?? null,
        },
      });
    }
  }
  return out;
}

/**
 * Consistency: an honest node never goes back on a statement it signed for a slot, also across a crash
 * and restore (DESIGN principle 1). The node layer records each emitted statement against the previous
 * one; see SimNode.checkConsistent for the rules.
 */
export function checkConsistency(record: RunRecord): Violation[] {
  return record.contradictions.map((c) => ({
    checker: 'consistency' as const,
    message: `${c.node} slot ${c.slot} at ${c.atMs} ms: ${c.message}`,
    details: { ...c },
  }));
}

/** Robustness: SCP never threw on any input, including Byzantine garbage (it must answer Invalid). */
export function checkRobustness(record: RunRecord): Violation[] {
  return record.exceptions.map((e) => ({
    checker: 'robustness' as const,
    message: `${e.node} threw in ${e.where} at ${e.atMs} ms: ${e.message.split('\n')[0]}`,
    details: { ...e },
  }));
}

const CHECKERS: Record<CheckerName, (r: RunRecord) => Violation[]> = {
  agreement: checkAgreement,
  validity: checkValidity,
  consistency: checkConsistency,
  halting: checkHalting,
  liveness: checkLiveness,
  robustness: checkRobustness,
};

export function runCheckers(record: RunRecord, which: readonly CheckerName[] = ALL_CHECKERS): Violation[] {
  return which.flatMap((name) => CHECKERS[name](record));
}
