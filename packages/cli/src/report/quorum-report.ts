import type { Analysis, CoreAnalysis, GroupBy, NodeSet, Outcome, SetFamily } from '@qm/fbas';

/**
 * The readable report: a verdict and the weakest points in plain words first, details after. Lists are cut
 * at LIST_MAX entries; `--json` has everything.
 */
const LIST_MAX = 8;

export interface ReportContext {
  file: string;
  format: string;
  focus?: GroupBy;
}

const GROUP_WORD: Record<GroupBy, [string, string]> = {
  organization: ['organization', 'organizations'],
  country: ['country', 'countries'],
  isp: ['ISP', 'ISPs'],
};

export function renderQuorumReport(a: Analysis, ctx: ReportContext): string {
  const name = (id: string) => a.names[id] ?? shortKey(id);
  const set = (s: NodeSet, label = name) =>
    s.length === 0
      ? '(none)'
      : s
          .map(label)
          .sort((a, b) => a.localeCompare(b))
          .join(', ');
  const lines: string[] = [];
  const say = (s = '') => lines.push(s);

  say(`Quorum analysis of ${ctx.file} (${ctx.format}, ${a.nodes.total} nodes, ${a.elapsedMs} ms)`);
  say();
  say(`Verdict: ${verdict(a.intersection, set)}`);
  for (const w of weakestPoints(a, 'the network', set, ['node', 'nodes'])) say(`  - ${w}`);
  if (a.halting) {
    const who = name(a.halting.status === 'done' ? a.halting.node : '');
    say(`  - ${haltingSentence(a.halting, who, set)}`);
  }
  if (a.whatIf) {
    const w = a.whatIf;
    const failed = [
      ...w.down.map((d) => `${name(d)} down`),
      ...w.byzantine.map((b) => `${name(b)} Byzantine`),
    ];
    say(`  - What if ${failed.join(', ')}:`);
    if (w.node) say(`      ${name(w.node.node)} ${w.node.halts ? 'HALTS' : 'keeps closing ledgers'}.`);
    say(`      ${w.live.length} nodes keep closing ledgers, ${w.halted.length} halt.`);
    say(
      w.intersects
        ? '      Correct nodes still agree: no two quorums meet only in failed nodes.'
        : `      Correct nodes CAN DIVERGE: quorums {${set(w.split![0])}} and {${set(w.split![1])}} share only Byzantine nodes.`,
    );
  }
  if (ctx.focus !== undefined && a.byGroup[ctx.focus] === undefined) {
    say();
    say(
      `By ${GROUP_WORD[ctx.focus][0]}: the input names no ${GROUP_WORD[ctx.focus][1]}, so there is nothing to merge.`,
    );
  }
  for (const [by, g] of Object.entries(a.byGroup) as [GroupBy, CoreAnalysis][]) {
    if (ctx.focus !== undefined && ctx.focus !== by) continue;
    const [one, many] = GROUP_WORD[by];
    say();
    say(`By ${one} (each ${one} acting as one unit): ${verdict(g.intersection, (s) => set(s, String))}`);
    for (const w of weakestPoints(g, 'the network', (s) => set(s, String), [one, many])) say(`  - ${w}`);
  }
  if (a.criticality?.status === 'done' && a.criticality.critical.length > 0) {
    say();
    say(
      `Critical: a too-permissive quorum set at ${a.criticality.critical.map((c) => c.group).join(', ')} alone ` +
        'would let the network fork.',
    );
  }
  const problems = problemLines(a, name);
  if (problems.length > 0) {
    say();
    say('Input problems (these nodes can never be part of a quorum):');
    for (const p of problems) say(`  - ${p}`);
  }

  say();
  say('Details');
  say(
    `  Nodes: ${a.nodes.total}, ${a.nodes.inSomeQuorum} can be in a quorum, quorum components: ${a.nodes.quorumComponents}`,
  );
  detailFamily('Minimal quorums', a.minimalQuorums, set, say);
  if (a.topTier.status === 'done') {
    say(
      `  Top tier (${a.topTier.nodes.length} nodes, ${a.topTier.symmetric ? 'symmetric' : 'not symmetric'}): ${set(a.topTier.nodes)}`,
    );
  } else say(`  Top tier: unknown within the ${a.topTier.budgetMs} ms budget`);
  detailFamily('Minimal blocking sets (failure halts everyone)', a.minimalBlockingSets, set, say);
  detailFamily('Minimal splitting sets (Byzantine, can fork)', a.minimalSplittingSets, set, say);
  if (a.criticality) {
    if (a.criticality.status === 'done') {
      say(
        `  Criticality: ${a.criticality.critical.length} critical of ${a.criticality.considered.length} groups tested`,
      );
    } else say(`  Criticality: unknown within the ${a.criticality.budgetMs} ms budget`);
  }
  return `${lines.join('\n')}\n`;
}

function verdict(i: Outcome<{ intersects: boolean } & object>, set: (s: NodeSet) => string): string {
  if (i.status !== 'done') return `UNKNOWN: quorum intersection not decided within ${i.budgetMs} ms.`;
  if (i.intersects) return 'SAFE: every two quorums intersect (quorum intersection holds).';
  const q = (i as unknown as { quorums: [NodeSet, NodeSet] }).quorums;
  return `UNSAFE: two disjoint quorums exist and could each close different ledgers: {${set(q[0])}} and {${set(q[1])}}.`;
}

function sample(f: SetFamily, set: (s: NodeSet) => string, max = 3): string {
  const shown = f.sets.filter((s) => s.length === f.smallest).slice(0, max);
  const rest = f.sets.filter((s) => s.length === f.smallest).length - shown.length;
  return shown.map((s) => `{${set(s)}}`).join(' or ') + (rest > 0 ? ` (or ${rest} more such sets)` : '');
}

function weakestPoints(
  g: CoreAnalysis,
  subject: string,
  set: (s: NodeSet) => string,
  [one, many]: [string, string],
): string[] {
  const out: string[] = [];
  const b = g.minimalBlockingSets;
  if (b.status === 'done') {
    if (b.smallest === null) out.push(`No failure can halt ${subject}.`);
    else if (b.smallest === 0) out.push(`${cap(subject)} is halted already: it has no quorum.`);
    else {
      const n = b.smallest === 1 ? `this ${one} fails` : `these ${b.smallest} ${many} fail`;
      out.push(`If ${n}, ${subject} halts: ${sample(b, set)}.`);
    }
  } else out.push(`Liveness: unknown within ${b.budgetMs} ms.`);
  const s = g.minimalSplittingSets;
  if (s.status === 'done') {
    if (s.smallest === null) out.push('No set of Byzantine nodes can split it.');
    else if (s.smallest > 0) {
      const n = s.smallest === 1 ? `this ${one} turns` : `these ${s.smallest} ${many} turn`;
      out.push(`If ${n} Byzantine, ${subject} can fork: ${sample(s, set)}.`);
    }
  } else out.push(`Safety margin: unknown within ${s.budgetMs} ms.`);
  return out;
}

function haltingSentence(
  h: NonNullable<Analysis['halting']>,
  who: string,
  set: (s: NodeSet) => string,
): string {
  if (h.status !== 'done') return `Halting analysis: unknown within ${h.budgetMs} ms.`;
  if (!h.canProgress) return `${who} is halted already: no quorum contains it.`;
  const f = h.haltingSets;
  if (f.smallest === null) return `No failure of other nodes can halt ${who}.`;
  const n = f.smallest === 1 ? 'this node fails' : `these ${f.smallest} nodes fail`;
  return `If ${n}, ${who} halts: ${sample(f, set)}.`;
}

function problemLines(a: Analysis, name: (id: string) => string): string[] {
  const out: string[] = [];
  const list = (ids: string[]) =>
    ids.slice(0, LIST_MAX).map(name).join(', ') +
    (ids.length > LIST_MAX ? `, ... (${ids.length - LIST_MAX} more)` : '');
  if (a.nodes.unknownQuorumSet.length > 0)
    out.push(
      `${a.nodes.unknownQuorumSet.length} with unknown quorum sets: ${list(a.nodes.unknownQuorumSet)}`,
    );
  if (a.nodes.missing.length > 0)
    out.push(`${a.nodes.missing.length} referenced but not described: ${list(a.nodes.missing)}`);
  for (const i of a.nodes.invalid.slice(0, LIST_MAX))
    out.push(`${name(i.id)}: invalid quorum set (${i.reason})`);
  if (a.nodes.neverInQuorum.length > 0) {
    out.push(
      `${a.nodes.neverInQuorum.length} whose quorum sets can never be satisfied: ${list(a.nodes.neverInQuorum)}`,
    );
  }
  return out;
}

function detailFamily(
  title: string,
  f: Outcome<SetFamily>,
  set: (s: NodeSet) => string,
  say: (s: string) => void,
) {
  if (f.status !== 'done') {
    say(`  ${title}: unknown within the ${f.budgetMs} ms budget`);
    return;
  }
  const scope = f.complete ? '' : ` (only the smallest, up to ${f.completeUpTo} members)`;
  say(`  ${title}: ${f.count}${scope}, smallest ${f.smallest ?? '-'}`);
  for (const s of f.sets.slice(0, LIST_MAX)) say(`    {${set(s)}}`);
  if (f.count > LIST_MAX) say(`    ... ${f.count - LIST_MAX} more (--json lists all)`);
}

function shortKey(id: string): string {
  return id.length > 12 ? `${id.slice(0, 5)}..${id.slice(-4)}` : id;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
