// The quorum map as SVG: organizations as circles, validators colored by how this node sees them,
// trust edges from quorum sets, top tier and one highlighted set outlined.
import type { MemberStatus, Validator } from '../api';
import { layoutQuorumGraph } from '../quorum-graph';

export interface QuorumMapProps {
  readonly validators: Validator[];
  readonly statusOf: (node: string) => MemberStatus | 'local' | 'unknown';
  readonly topTier: ReadonlySet<string>;
  readonly highlighted: ReadonlySet<string>;
  readonly criticalOrgs: ReadonlySet<string>;
}

export function QuorumMap({ validators, statusOf, topTier, highlighted, criticalOrgs }: QuorumMapProps) {
  const g = layoutQuorumGraph(validators);
  const pos = new Map(g.nodes.map((n) => [n.id, n]));
  return (
    <svg
      className="quorum-map"
      data-testid="quorum-map"
      viewBox={`0 0 ${g.width} ${g.height}`}
      width="100%"
      style={{ maxWidth: g.width }}
      role="img"
      aria-label="quorum map"
    >
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="18"
          refY="5"
          markerWidth="6"
          markerHeight="6"
          orient="auto"
        >
          <path d="M0,0 L10,5 L0,10 z" className="edge-arrow" />
        </marker>
      </defs>
      {g.groups.map((grp) => (
        <g key={grp.org} data-testid="org-group" data-org={grp.org}>
          <circle
            cx={grp.x}
            cy={grp.y}
            r={grp.r}
            className={`org ${criticalOrgs.has(grp.org) ? 'critical' : ''}`}
          />
          <text x={grp.x} y={grp.y - grp.r - 6} textAnchor="middle" className="org-label">
            {grp.org}
            {criticalOrgs.has(grp.org) ? ' (critical)' : ''}
          </text>
        </g>
      ))}
      {g.edges.map((e) => {
        const a = pos.get(e.from);
        const b = pos.get(e.to);
        if (!a || !b) return null;
        return (
          <line
            key={`${e.from}-${e.to}`}
            x1={a.x}
            y1={a.y}
            x2={b.x}
            y2={b.y}
            className={`edge ${e.mutual ? 'mutual' : ''}`}
            markerEnd={e.mutual ? undefined : 'url(#arrow)'}
          />
        );
      })}
      {g.nodes.map((n) => {
        const status = statusOf(n.id);
        return (
          <g key={n.id} data-testid="quorum-node" data-node={n.id} data-status={status}>
            {topTier.has(n.id) && <circle cx={n.x} cy={n.y} r={17} className="top-tier-ring" />}
            {highlighted.has(n.id) && <circle cx={n.x} cy={n.y} r={21} className="highlight-ring" />}
            <circle cx={n.x} cy={n.y} r={12} className={`node status-${status}`}>
              <title>
                {n.label} ({n.org}): {status}
              </title>
            </circle>
            <text x={n.x} y={n.y + 34} textAnchor="middle" className="node-label">
              {n.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
