// Lays out the quorum map: organizations around a circle, their validators around each organization's
// center, and one edge per trust relation (A's quorum set names B). Pure, so it is unit-tested.
import type { Validator } from './api';
import { type NodeId, nodesOf } from './fbas-lite';

export interface GraphNode {
  readonly id: NodeId;
  readonly label: string;
  readonly org: string;
  readonly x: number;
  readonly y: number;
}

export interface GraphGroup {
  readonly org: string;
  readonly x: number;
  readonly y: number;
  readonly r: number;
  readonly members: NodeId[];
}

export interface GraphEdge {
  readonly from: NodeId;
  readonly to: NodeId;
  /** Both trust each other (drawn once, without an arrow). */
  readonly mutual: boolean;
}

export interface QuorumGraph {
  readonly width: number;
  readonly height: number;
  readonly nodes: GraphNode[];
  readonly groups: GraphGroup[];
  readonly edges: GraphEdge[];
}

export function groupByOrg(validators: readonly Validator[]): Map<string, Validator[]> {
  const groups = new Map<string, Validator[]>();
  for (const v of [...validators].sort(
    (a, b) => a.org.localeCompare(b.org) || a.name.localeCompare(b.name),
  )) {
    const list = groups.get(v.org) ?? [];
    list.push(v);
    groups.set(v.org, list);
  }
  return groups;
}

export function trustEdges(validators: readonly Validator[]): GraphEdge[] {
  const known = new Set(validators.map((v) => v.nodeId));
  const trusts = new Set<string>();
  for (const v of validators) {
    if (!v.quorumSet) continue;
    for (const t of nodesOf(v.quorumSet)) if (t !== v.nodeId && known.has(t)) trusts.add(`${v.nodeId}\n${t}`);
  }
  const edges: GraphEdge[] = [];
  for (const key of trusts) {
    const [from, to] = key.split('\n') as [string, string];
    const mutual = trusts.has(`${to}\n${from}`);
    if (mutual && from > to) continue; // the pair is drawn once
    edges.push({ from, to, mutual });
  }
  return edges.sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

export function layoutQuorumGraph(validators: readonly Validator[], width = 720, height = 460): QuorumGraph {
  const groups = groupByOrg(validators);
  const cx = width / 2;
  const cy = height / 2;
  const orgCount = groups.size;
  const ring = orgCount <= 1 ? 0 : Math.min(width, height) / 2 - 90;
  const nodes: GraphNode[] = [];
  const out: GraphGroup[] = [];
  [...groups.entries()].forEach(([org, members], gi) => {
    const angle = (2 * Math.PI * gi) / Math.max(orgCount, 1) - Math.PI / 2;
    const gx = cx + ring * Math.cos(angle);
    const gy = cy + ring * Math.sin(angle);
    const inner = members.length <= 1 ? 0 : Math.min(55, 14 + 10 * members.length);
    members.forEach((v, i) => {
      const a = (2 * Math.PI * i) / members.length - Math.PI / 2;
      nodes.push({
        id: v.nodeId,
        label: v.name,
        org,
        x: gx + inner * Math.cos(a),
        y: gy + inner * Math.sin(a),
      });
    });
    out.push({ org, x: gx, y: gy, r: inner + 30, members: members.map((m) => m.nodeId) });
  });
  // Center the drawing: with an odd number of organizations the ring leaves one side empty.
  if (out.length > 0) {
    const top = Math.min(...out.map((g) => g.y - g.r - 18));
    const bottom = Math.max(...out.map((g) => g.y + g.r));
    const dy = (height - (bottom - top)) / 2 - top;
    return {
      width,
      height,
      nodes: nodes.map((n) => ({ ...n, y: n.y + dy })),
      groups: out.map((g) => ({ ...g, y: g.y + dy })),
      edges: trustEdges(validators),
    };
  }
  return { width, height, nodes, groups: out, edges: trustEdges(validators) };
}
