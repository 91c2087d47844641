// Joins what the dashboard knows about each validator (the network listing, its own /v1/status, this
// node's view of it in /v1/quorum) into the rows of the network view.
import type { MemberStatus, NodeState, NodeStatus, QuorumHealth, Validator } from './api';
import type { QuorumMap } from './fbas-lite';

export interface ValidatorRow {
  readonly nodeId: string;
  readonly name: string;
  readonly org: string;
  readonly http: string | null;
  /** 'unreachable' when its API did not answer. */
  readonly state: NodeState | 'unreachable';
  readonly height: number | null;
  readonly closeTime: number | null;
  readonly sinceLastCloseMs: number | null;
  /** Ledgers behind the highest validator. */
  readonly lag: number | null;
  readonly peers: number | null;
  /** How this node sees it in the current slot (null: not in its quorum set, or itself). */
  readonly consensus: MemberStatus | null;
  readonly isLocal: boolean;
}

export type StatusResult = { ok: true; status: NodeStatus } | { ok: false; error: string };

export function validatorRows(
  validators: readonly Validator[],
  statuses: ReadonlyMap<string, StatusResult>,
  quorum: QuorumHealth | null,
  localNodeId: string | null,
): ValidatorRow[] {
  const heights = [...statuses.values()].flatMap((s) =>
    s.ok && s.status.ledgerSeq !== null ? [s.status.ledgerSeq] : [],
  );
  const top = heights.length > 0 ? Math.max(...heights) : null;
  const members = new Map(quorum?.members.map((m) => [m.node, m]) ?? []);
  return validators.map((v) => {
    const s = statuses.get(v.nodeId);
    const status = s?.ok ? s.status : null;
    const member = members.get(v.nodeId);
    const height = status?.ledgerSeq ?? null;
    return {
      nodeId: v.nodeId,
      name: v.name,
      org: v.org,
      http: v.http,
      state: s === undefined ? 'unknown' : status ? status.state : 'unreachable',
      height,
      closeTime: status?.closeTime ?? null,
      sinceLastCloseMs: status?.sinceLastCloseMs ?? null,
      lag: member?.lag ?? (height !== null && top !== null ? top - height : null),
      peers: status?.peers ?? null,
      consensus: member?.status ?? null,
      isLocal: v.nodeId === localNodeId,
    };
  });
}

/** The quorum map of the validators whose quorum sets are known. */
export function quorumMapOf(validators: readonly Validator[]): QuorumMap {
  return new Map(validators.flatMap((v) => (v.quorumSet ? [[v.nodeId, v.quorumSet] as const] : [])));
}

/** Display names by node id, falling back to a shortened id. */
export function namer(validators: readonly Validator[]): (id: string) => string {
  const names = new Map(validators.map((v) => [v.nodeId, v.name]));
  return (id) => names.get(id) ?? (id.length > 12 ? `${id.slice(0, 6)}…${id.slice(-4)}` : id);
}
