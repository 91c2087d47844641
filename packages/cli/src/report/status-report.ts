/**
 * Plain-words reports of a running validator's state, quorum health and network, from the JSON of
 * /v1/status, /v1/quorum and /v1/network. Pure: text in, text out, so tests need no node.
 */

export interface StatusView {
  nodeId: string;
  network?: { name?: string; id: string; suite: string };
  state: 'synced' | 'stuck' | string;
  ledger: { seq: number; hash?: string; closeTime?: number; sinceLastCloseMs: number };
  txQueue?: number;
  peers: number;
  summary?: string;
}

export interface MemberView {
  node: string;
  status: 'agree' | 'delayed' | 'disagree' | 'missing' | string;
  lastHeardAgoMs: number | null;
  possiblyDead: boolean;
  lag?: number | null;
}

export interface QuorumView {
  nodeId?: string;
  stuck: boolean;
  stuckForMs: number;
  members: MemberView[];
  failAt: number;
  failWith: string[];
  unsatisfied: { path: string; threshold: number; satisfied: number; unavailable: string[] }[];
  restoreSets: string[][];
  restoreSearchTruncated?: boolean;
  summary?: string;
}

interface FamilyView {
  status?: string;
  count?: number;
  smallest?: number | null;
  sets?: string[][];
}

export interface NetworkView {
  self?: string;
  validators: { nodeId: string; name: string; org?: string; http?: string | null; quorumSet?: unknown }[];
  analysis?: {
    intersects: boolean | 'unknown';
    disjointQuorums?: [string[], string[]];
    minimalBlockingSets?: FamilyView | 'unknown';
    minimalSplittingSets?: FamilyView | 'unknown';
    byOrganization?: { minimalBlockingSets?: FamilyView | 'unknown' } | null;
    criticalOrganizations?: { critical?: { group: string }[] } | 'unknown';
  };
}

const LABEL = 10;
const line = (label: string, value: string) => `${`${label}`.padEnd(LABEL)}${value}\n`;

/** 850 ms, 4.2 s, 3 min 5 s, 2 h 10 min: how long ago, readable at a glance. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.floor(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "node-3 (NABCDEFG…)" when the name is known, else the shortened id. */
export function nodeLabel(id: string, names: ReadonlyMap<string, string>): string {
  const short = id.length > 12 ? `${id.slice(0, 8)}…` : id;
  const name = names.get(id);
  return name === undefined ? short : `${name} (${short})`;
}

const heard = (ms: number | null) => (ms === null ? 'never heard' : `last heard ${formatDuration(ms)} ago`);

/** The halt diagnosis in plain words: since when, who is missing, what would restore progress. */
export function renderDiagnosis(q: QuorumView, names: ReadonlyMap<string, string>, now: number): string {
  const label = (id: string) => nodeLabel(id, names);
  let out = '';
  if (q.stuck) {
    const since = new Date(now - q.stuckForMs).toISOString().replace(/\.\d+Z$/, 'Z');
    out += `HALTED: no ledger has closed since ${since} (${formatDuration(q.stuckForMs)}); no quorum is available.\n`;
  }
  const missing = q.members.filter((m) => m.status === 'missing');
  if (missing.length > 0) {
    out += 'missing members of its quorum set:\n';
    for (const m of missing) {
      out += `  - ${label(m.node)}: ${heard(m.lastHeardAgoMs)}${m.possiblyDead ? ', possibly dead' : ''}\n`;
    }
  }
  const others = q.members.filter((m) => m.status === 'disagree' || m.status === 'delayed');
  for (const m of others) out += `  - ${label(m.node)}: ${m.status}\n`;
  if (q.stuck) {
    if (q.restoreSets.length > 0) {
      out += 'progress resumes when any one of these sets of nodes is back:\n';
      for (const set of q.restoreSets.slice(0, 5)) {
        out += `  - ${set.length === 0 ? '(none: a quorum is available again)' : set.map(label).join(' + ')}\n`;
      }
      if (q.restoreSets.length > 5) out += `  ... and ${q.restoreSets.length - 5} more (see --json)\n`;
      if (q.restoreSearchTruncated) out += '  (search stopped at its budget; larger sets may also work)\n';
    } else {
      out += 'no set of known nodes would restore a quorum: check the quorum configuration.\n';
    }
  }
  for (const s of q.unsatisfied) {
    const where = s.path === 'top' ? 'the top-level quorum set' : `inner set ${s.path}`;
    const who = s.unavailable.length > 0 ? ` (unavailable: ${s.unavailable.map(label).join(', ')})` : '';
    out += `unsatisfied slice: ${where} has ${s.satisfied} of the ${s.threshold} it needs${who}\n`;
  }
  return out;
}

export interface StatusReportInput {
  url: string;
  status: StatusView;
  /** The /v1/quorum diagnosis, fetched when the node is not synced. */
  quorum: QuorumView | null;
  names: ReadonlyMap<string, string>;
  now: number;
}

export function renderStatus({ url, status: s, quorum, names, now }: StatusReportInput): string {
  let out = line('node', `${s.nodeId} at ${url}`);
  if (s.network) {
    const name = s.network.name === undefined ? '' : `"${s.network.name}" `;
    out += line('network', `${name}${s.network.id.slice(0, 16)}…, suite ${s.network.suite}`);
  }
  out += line('state', s.state === 'synced' ? 'synced (closing ledgers)' : s.state.toUpperCase());
  out += line('ledger', `#${s.ledger.seq}, closed ${formatDuration(s.ledger.sinceLastCloseMs)} ago`);
  out += line('peers', `${s.peers} connected${s.txQueue === undefined ? '' : `; ${s.txQueue} tx queued`}`);
  if (quorum !== null) {
    out += '\n';
    out += renderDiagnosis(quorum, names, now);
  } else if (s.summary) {
    out += line('quorum', s.summary);
  }
  return out;
}

export function renderQuorumHealth(input: {
  url: string;
  quorum: QuorumView;
  names: ReadonlyMap<string, string>;
}): string {
  const { quorum: q, names } = input;
  const label = (id: string) => nodeLabel(id, names);
  let out = line('node', `${q.nodeId ?? '?'} at ${input.url}`);
  out += line('state', q.stuck ? `STUCK for ${formatDuration(q.stuckForMs)}` : 'synced');
  out += line(
    'fail_at',
    q.stuck
      ? `${q.failAt}: already halted`
      : `${q.failAt}: ${q.failAt} more member failure(s) would halt this node` +
          (q.failWith.length > 0 ? `, e.g. ${q.failWith.map(label).join(' + ')}` : ''),
  );
  out += '\nmembers:\n';
  const rows = q.members.map((m) => [
    label(m.node),
    m.status,
    m.lag === undefined || m.lag === null ? '-' : `${m.lag}`,
    m.lastHeardAgoMs === null ? 'never' : `${formatDuration(m.lastHeardAgoMs)} ago`,
    m.possiblyDead ? 'possibly dead' : '',
  ]);
  const header = ['member', 'status', 'lag', 'last heard', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [header, ...rows]) {
    out += `  ${r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()}\n`;
  }
  if (q.stuck || q.unsatisfied.length > 0) out += `\n${renderDiagnosis(q, names, Date.now())}`;
  return out;
}

function family(
  f: FamilyView | 'unknown' | undefined,
  what: string,
  unit: string,
  label: (id: string) => string,
): string | null {
  if (f === undefined) return null;
  if (f === 'unknown' || f.status === 'unknown') return `${what}: unknown (analysis budget exceeded)`;
  if (f.smallest === null || f.smallest === undefined) return `${what}: none`;
  const example = f.sets?.[0] ? `, e.g. ${f.sets[0].map(label).join(' + ')}` : '';
  return `${what}: smallest has ${f.smallest} ${unit}${example}`;
}

export function renderNetwork(input: { url: string; network: NetworkView }): string {
  const n = input.network;
  let out = `validators (as seen by ${input.url}):\n`;
  const rows = n.validators.map((v) => [
    `${v.name}${v.nodeId === n.self ? ' *' : ''}`,
    v.org ?? '',
    v.nodeId.length > 12 ? `${v.nodeId.slice(0, 12)}…` : v.nodeId,
    v.http ?? '',
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(0, ...rows.map((r) => r[i]!.length)));
  for (const r of rows) {
    out += `  ${r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()}\n`;
  }
  const a = n.analysis;
  if (!a) return out;
  const names = new Map(n.validators.map((v) => [v.nodeId, v.name]));
  const label = (id: string) => names.get(id) ?? id;
  out += '\nquorum analysis:\n';
  if (a.intersects === true) out += '  intersection: holds (no two quorums can decide differently)\n';
  else if (a.intersects === false) {
    out += '  intersection: BROKEN: the network can split (fork)\n';
    if (a.disjointQuorums) {
      const [x, y] = a.disjointQuorums;
      out += `    disjoint quorums: {${x.map(label).join(', ')}} and {${y.map(label).join(', ')}}\n`;
    }
  } else out += '  intersection: unknown (analysis budget exceeded)\n';
  for (const l of [
    family(a.minimalBlockingSets, 'blocking sets (can halt the network)', 'node(s)', label),
    family(a.byOrganization?.minimalBlockingSets, 'blocking sets of organizations', 'organization(s)', label),
    family(a.minimalSplittingSets, 'splitting sets (can fork it if Byzantine)', 'node(s)', label),
  ]) {
    if (l !== null) out += `  ${l}\n`;
  }
  const crit = a.criticalOrganizations;
  if (crit !== undefined && crit !== 'unknown' && crit.critical) {
    out +=
      crit.critical.length === 0
        ? '  critical organizations: none\n'
        : `  critical organizations: ${crit.critical.map((c) => c.group).join(', ')}\n`;
  }
  return out;
}
