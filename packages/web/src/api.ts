// The node's HTTP API as the dashboard sees it: every response shape, and the one place that turns
// untrusted JSON into those shapes. Field names may drift while the node evolves, so each normalizer
// accepts the documented name and a few likely alternatives, and fills in null when a field is absent.
// Nothing else in src/ reads raw API JSON.
import type { QuorumSet } from './fbas-lite';

export type NodeState = 'synced' | 'stuck' | 'catching-up' | 'unknown';
export type MemberStatus = 'agree' | 'delayed' | 'disagree' | 'missing';

export interface NodeStatus {
  readonly nodeId: string;
  readonly networkName: string | null;
  readonly networkId: string | null;
  readonly suite: string | null;
  readonly state: NodeState;
  readonly ledgerSeq: number | null;
  readonly ledgerHash: string | null;
  /** Unix seconds. */
  readonly closeTime: number | null;
  readonly sinceLastCloseMs: number | null;
  readonly txQueue: number | null;
  readonly peers: number | null;
  readonly summary: string;
}

export interface QuorumMember {
  readonly node: string;
  readonly status: MemberStatus;
  readonly lastHeardAgoMs: number | null;
  readonly possiblyDead: boolean;
  readonly lag: number | null;
}

export interface UnsatisfiedSlice {
  readonly path: string;
  readonly threshold: number;
  readonly satisfied: number;
  readonly unavailable: string[];
}

export interface QuorumHealth {
  readonly nodeId: string;
  readonly stuck: boolean;
  readonly stuckForMs: number;
  readonly members: QuorumMember[];
  readonly failAt: number | null;
  readonly failWith: string[];
  readonly unsatisfied: UnsatisfiedSlice[];
  readonly restoreSets: string[][];
  readonly restoreSearchTruncated: boolean;
  readonly summary: string;
}

export interface Validator {
  readonly nodeId: string;
  readonly name: string;
  readonly org: string;
  /** Base URL of its own HTTP API (no trailing slash), or null when not published. */
  readonly http: string | null;
  readonly quorumSet: QuorumSet | null;
}

export interface NetworkAnalysis {
  readonly intersects: boolean | 'unknown';
  /** Two quorums without a common node, when intersection fails. */
  readonly disjointQuorums?: readonly [string[], string[]] | null;
  readonly topTier: string[];
  /** Minimal blocking sets, smallest first (packages/fbas may list only the smallest ones). */
  readonly minimalBlockingSets: string[][];
  readonly criticalOrganizations: string[];
  readonly minimalSplittingSets: string[][];
}

export interface NetworkInfo {
  /** The serving node's id, when stated. */
  readonly self: string | null;
  readonly validators: Validator[];
  readonly analysis: NetworkAnalysis | null;
}

export interface PeerStat {
  readonly peer: string;
  readonly connected: boolean;
  /** Milliseconds since the peer was last heard from (the node reports a clock time, lastHeardMs). */
  readonly lastHeardAgoMs: number | null;
  readonly framesIn: number | null;
  readonly framesOut: number | null;
}

export interface PeersInfo {
  readonly localNodeId: string;
  readonly peers: PeerStat[];
}

export interface LedgerSummary {
  readonly sequence: number;
  readonly hash: string;
  readonly closeTime: number | null;
  readonly txSetHash: string | null;
  readonly logRoot: string | null;
  readonly logSize: number | null;
  readonly txCount: number | null;
}

export interface HistoryEntry {
  readonly ledgerSeq: number | null;
  readonly txIndex: number | null;
  readonly opIndex: number | null;
  readonly txHash: string | null;
  readonly type: string;
  readonly subject: string | null;
  /** The event's other fields, shown as they come. */
  readonly details: Record<string, unknown>;
}

export interface ItemRecord {
  readonly fields: Record<string, unknown>;
  readonly uii: string;
  readonly history: HistoryEntry[];
}

export interface StockRow {
  readonly nsn: string;
  readonly site: string;
  readonly lot: string | null;
  readonly condition: string | null;
  readonly quantity: number;
}

export interface Alert {
  readonly id: string;
  readonly kind: string;
  readonly subject: string | null;
  readonly ledgerSeq: number | null;
  readonly details: Record<string, unknown>;
}

/** A closed ledger, as sent on the event stream. */
export interface LedgerEvent {
  readonly seq: number;
  readonly hash: string;
  readonly closeTime: number | null;
  readonly txCount: number;
  readonly intervalMs: number | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// ---- small readers for untrusted JSON -------------------------------------------------------------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
const num = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
};
const bool = (v: unknown): boolean => v === true;
const strs = (v: unknown): string[] => arr(v).flatMap((x) => (str(x) === null ? [] : [str(x)!]));
const strSets = (v: unknown): string[][] => arr(v).map(strs);
/** The first present value among the given keys. */
const pick = (o: Obj, ...keys: string[]): unknown => {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
};
const rest = (o: Obj, known: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !known.includes(k)));

const STATES: readonly NodeState[] = ['synced', 'stuck', 'catching-up', 'unknown'];
const MEMBER_STATUSES: readonly MemberStatus[] = ['agree', 'delayed', 'disagree', 'missing'];

function toState(v: unknown): NodeState {
  const s = str(v)?.toLowerCase().replace(/[_ ]/g, '-') ?? 'unknown';
  if (s === 'catchingup' || s === 'catching') return 'catching-up';
  return (STATES as readonly string[]).includes(s) ? (s as NodeState) : 'unknown';
}

// ---- normalizers ----------------------------------------------------------------------------------

export function toStatus(json: unknown): NodeStatus {
  const o = obj(json);
  const network = obj(o.network);
  const ledger = obj(o.ledger);
  return {
    nodeId: str(pick(o, 'nodeId', 'node', 'id')) ?? '?',
    networkName: str(pick(network, 'name')),
    networkId: str(pick(network, 'id')),
    suite: str(pick(network, 'suite')),
    state: toState(o.state),
    ledgerSeq: num(pick(ledger, 'seq', 'sequence')),
    ledgerHash: str(ledger.hash),
    closeTime: num(ledger.closeTime),
    sinceLastCloseMs: num(ledger.sinceLastCloseMs),
    txQueue: num(pick(o, 'txQueue', 'queue')),
    peers: Array.isArray(o.peers) ? o.peers.length : num(o.peers),
    summary: str(o.summary) ?? '',
  };
}

export function toQuorumHealth(json: unknown): QuorumHealth {
  const o = obj(json);
  return {
    nodeId: str(pick(o, 'nodeId', 'node')) ?? '?',
    stuck: bool(o.stuck),
    stuckForMs: num(o.stuckForMs) ?? 0,
    members: arr(o.members).map((m) => {
      const x = obj(m);
      const status = str(x.status) ?? 'missing';
      return {
        node: str(pick(x, 'node', 'nodeId')) ?? '?',
        status: (MEMBER_STATUSES as readonly string[]).includes(status)
          ? (status as MemberStatus)
          : 'missing',
        lastHeardAgoMs: num(x.lastHeardAgoMs),
        possiblyDead: bool(x.possiblyDead),
        lag: num(x.lag),
      };
    }),
    failAt: num(o.failAt),
    failWith: strs(o.failWith),
    unsatisfied: arr(o.unsatisfied).map((u) => {
      const x = obj(u);
      return {
        path: str(x.path) ?? 'top',
        threshold: num(x.threshold) ?? 0,
        satisfied: num(x.satisfied) ?? 0,
        unavailable: strs(x.unavailable),
      };
    }),
    restoreSets: strSets(o.restoreSets),
    restoreSearchTruncated: bool(o.restoreSearchTruncated),
    summary: str(o.summary) ?? '',
  };
}

export function toQuorumSet(json: unknown, depth = 0): QuorumSet | null {
  if (!isObj(json) || depth > 4) return null;
  const threshold = num(json.threshold);
  if (threshold === null) return null;
  return {
    threshold,
    validators: strs(json.validators),
    innerSets: arr(pick(json, 'innerSets', 'inner_sets')).flatMap((i) => {
      const q = toQuorumSet(i, depth + 1);
      return q ? [q] : [];
    }),
  };
}

export function toNetwork(json: unknown): NetworkInfo {
  const o = obj(json);
  const validators = arr(pick(o, 'validators', 'nodes')).map((v): Validator => {
    const x = obj(v);
    const nodeId = str(pick(x, 'nodeId', 'node', 'id', 'publicKey')) ?? '?';
    const http = str(pick(x, 'http', 'httpUrl', 'api'));
    return {
      nodeId,
      name: str(x.name) ?? nodeId.slice(0, 8),
      org: str(pick(x, 'org', 'organization', 'orgName')) ?? '(no organization)',
      http: http ? http.replace(/\/+$/, '') : null,
      quorumSet: toQuorumSet(pick(x, 'quorumSet', 'qset')),
    };
  });
  const a = o.analysis;
  let analysis: NetworkAnalysis | null = null;
  if (isObj(a)) {
    const inter = pick(a, 'intersects', 'intersection', 'hasQuorumIntersection');
    const disjoint = setFamily(pick(a, 'disjointQuorums', 'split'));
    analysis = {
      intersects:
        typeof inter === 'boolean'
          ? inter
          : isObj(inter) && typeof inter.intersects === 'boolean'
            ? inter.intersects
            : 'unknown',
      disjointQuorums: disjoint.length === 2 ? [disjoint[0]!, disjoint[1]!] : null,
      topTier: nodeList(a.topTier),
      minimalBlockingSets: setFamily(pick(a, 'minimalBlockingSets', 'blockingSets')),
      criticalOrganizations: groupList(pick(a, 'criticalOrganizations', 'criticalOrgs')),
      minimalSplittingSets: setFamily(pick(a, 'minimalSplittingSets', 'splittingSets')),
    };
  }
  return { self: str(pick(o, 'self', 'nodeId', 'localNodeId')) ?? null, validators, analysis };
}

// packages/fbas answers with Outcome objects: {status: 'done', ...} or 'unknown' when over budget.

/** A node list: ['N..'], or {nodes: [...]}; [] when unknown. */
function nodeList(v: unknown): string[] {
  if (Array.isArray(v)) return strs(v);
  if (isObj(v)) return strs(pick(v, 'nodes', 'set'));
  return [];
}

/** A family of node sets: [[...]], or {sets: [[...]]}; sorted smallest first. */
function setFamily(v: unknown): string[][] {
  const sets = Array.isArray(v) ? strSets(v) : isObj(v) ? strSets(v.sets) : [];
  return sets.sort((x, y) => x.length - y.length);
}

/** Group names: ['org'], or {critical: [{group, ...}]}. */
function groupList(v: unknown): string[] {
  if (Array.isArray(v)) return arr(v).flatMap((x) => (isObj(x) ? strs([x.group]) : strs([x])));
  if (isObj(v))
    return arr(v.critical).flatMap((x) => (isObj(x) ? strs([pick(x, 'group', 'org')]) : strs([x])));
  return [];
}

/** An "ago" as stated, or from a wall-clock time in ms (a monotonic clock's value cannot be used). */
function agoFrom(ago: number | null, atMs: number | null, now = Date.now()): number | null {
  if (ago !== null) return ago;
  return atMs !== null && atMs > 1e12 ? Math.max(0, now - atMs) : null;
}

export function toPeers(json: unknown): PeersInfo {
  const o = obj(json);
  return {
    localNodeId: str(pick(o, 'localNodeId', 'nodeId')) ?? '?',
    peers: arr(o.peers).map((p) => {
      const x = obj(p);
      return {
        peer: str(pick(x, 'peer', 'nodeId', 'id')) ?? '?',
        connected: bool(x.connected),
        lastHeardAgoMs: agoFrom(num(x.lastHeardAgoMs), num(x.lastHeardMs)),
        framesIn: num(x.framesIn),
        framesOut: num(x.framesOut),
      };
    }),
  };
}

export function toLedger(json: unknown): LedgerSummary {
  const o = obj(json);
  const header = obj(o.header);
  const get = (...keys: string[]) => pick(o, ...keys) ?? pick(header, ...keys);
  return {
    sequence: num(get('sequence', 'seq', 'ledgerSeq')) ?? -1,
    hash: str(get('hash', 'headerHash')) ?? '',
    closeTime: num(get('closeTime')),
    txSetHash: str(get('txSetHash')),
    logRoot: str(get('logRoot')),
    logSize: num(get('logSize')),
    txCount: num(pick(o, 'txCount')) ?? (Array.isArray(o.transactions) ? o.transactions.length : null),
  };
}

export function toLedgers(json: unknown): LedgerSummary[] {
  const list = Array.isArray(json) ? json : arr(obj(json).ledgers);
  return list.map(toLedger);
}

const HISTORY_KNOWN = ['type', 'subject'];

export function toItem(json: unknown): ItemRecord {
  const o = obj(json);
  const item = isObj(o.item) ? o.item : o;
  return {
    fields: rest(item, ['history']),
    uii: str(pick(item, 'uii', 'UII')) ?? '?',
    history: arr(pick(o, 'history', 'events')).map((h) => {
      const x = obj(h);
      const event = isObj(x.event) ? x.event : x;
      return {
        ledgerSeq: num(pick(x, 'ledgerSeq', 'seq', 'ledger')),
        txIndex: num(x.txIndex),
        opIndex: num(x.opIndex),
        txHash: str(x.txHash),
        type: str(pick(event, 'type', 'kind')) ?? 'event',
        subject: str(event.subject),
        details: rest(event, [...HISTORY_KNOWN, 'ledgerSeq', 'txIndex', 'opIndex', 'txHash', 'event']),
      };
    }),
  };
}

export function toStock(json: unknown): StockRow[] {
  const list = Array.isArray(json) ? json : arr(obj(json).stock);
  return list.map((r) => {
    const x = obj(r);
    return {
      nsn: str(x.nsn) ?? '?',
      site: str(pick(x, 'site', 'location')) ?? '?',
      lot: str(x.lot),
      condition: str(x.condition),
      quantity: num(pick(x, 'quantity', 'qty')) ?? 0,
    };
  });
}

export function toAlerts(json: unknown): Alert[] {
  const list = Array.isArray(json) ? json : arr(obj(json).alerts);
  return list.map((r, i) => {
    const x = obj(r);
    return {
      id: str(x.id) ?? String(i),
      kind: str(pick(x, 'kind', 'type')) ?? 'alert',
      subject: str(pick(x, 'subject', 'uii')),
      ledgerSeq: num(pick(x, 'ledgerSeq', 'seq')),
      details: rest(x, ['id', 'kind', 'subject', 'ledgerSeq']),
    };
  });
}

export function toLedgerEvent(json: unknown): LedgerEvent | null {
  const o = obj(json);
  const seq = num(pick(o, 'seq', 'sequence'));
  if (seq === null) return null;
  return {
    seq,
    hash: str(o.hash) ?? '',
    closeTime: num(o.closeTime),
    txCount: num(o.txCount) ?? 0,
    intervalMs: num(o.intervalMs),
  };
}

// ---- transport ------------------------------------------------------------------------------------

export interface FetchOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** `signal` aborted also after `ms` (AbortSignal.any is missing from older browsers). */
function withTimeout(signal: AbortSignal | undefined, ms: number): AbortSignal {
  if (!signal) return AbortSignal.timeout(ms);
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([signal, AbortSignal.timeout(ms)]);
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), ms);
  signal.addEventListener('abort', () => {
    clearTimeout(timer);
    ctrl.abort();
  });
  return ctrl.signal;
}

/** GETs JSON from `base + path` (base '' = the origin that served the dashboard). */
export async function getJson(base: string, path: string, opts: FetchOptions = {}): Promise<unknown> {
  const signal = withTimeout(opts.signal, opts.timeoutMs ?? 5000);
  const res = await fetch(base + path, { signal, headers: { accept: 'application/json' } });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  if (!res.ok) {
    const e = obj(body);
    throw new ApiError(res.status, str(e.code) ?? `HTTP_${res.status}`, str(e.message) ?? res.statusText);
  }
  return body;
}

const enc = encodeURIComponent;

/** The API of one node. `base` is '' for the serving node, or another validator's http address. */
export function apiClient(base = '') {
  return {
    status: async (o?: FetchOptions) => toStatus(await getJson(base, '/v1/status', o)),
    quorum: async (o?: FetchOptions) => toQuorumHealth(await getJson(base, '/v1/quorum', o)),
    network: async (o?: FetchOptions) => toNetwork(await getJson(base, '/v1/network', o)),
    peers: async (o?: FetchOptions) => toPeers(await getJson(base, '/v1/peers', o)),
    ledgers: async (limit = 20, o?: FetchOptions) =>
      toLedgers(await getJson(base, `/v1/ledgers?limit=${limit}`, o)),
    ledger: async (seq: number, o?: FetchOptions) => toLedger(await getJson(base, `/v1/ledgers/${seq}`, o)),
    item: async (uii: string, o?: FetchOptions) => toItem(await getJson(base, `/v1/items/${enc(uii)}`, o)),
    stock: async (q: { nsn?: string; location?: string }, o?: FetchOptions) => {
      const params = new URLSearchParams();
      if (q.nsn) params.set('nsn', q.nsn);
      if (q.location) params.set('location', q.location);
      const qs = params.toString();
      return toStock(await getJson(base, `/v1/stock${qs ? `?${qs}` : ''}`, o));
    },
    alerts: async (limit = 100, o?: FetchOptions) =>
      toAlerts(await getJson(base, `/v1/alerts?limit=${limit}`, o)),
    /** The raw receipt: its format is read by receipt-format.ts. */
    receipt: (txHash: string, o?: FetchOptions) => getJson(base, `/v1/receipts/${enc(txHash)}`, o),
    eventsUrl: () => `${base}/v1/events`,
  };
}

export type ApiClient = ReturnType<typeof apiClient>;
