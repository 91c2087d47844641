// Quorum map: validators grouped by organization with trust edges, colored by status; the top tier, the
// smallest blocking sets and critical organizations highlighted; the verdict on quorum intersection.
import { useMemo, useState } from 'react';
import { analysisToShow, nodeColorer, smallestOf } from '../analysis';
import { QuorumMap } from '../components/QuorumMap';
import type { DashboardData } from '../dashboard-data';
import { namer, quorumMapOf } from '../network-model';

export function QuorumView({ data }: { data: DashboardData }) {
  const qmap = useMemo(() => quorumMapOf(data.validators), [data.validators]);
  const analysis = useMemo(
    () => analysisToShow(data.network.data?.analysis ?? null, qmap),
    [data.network.data, qmap],
  );
  const [selected, setSelected] = useState<number | null>(null);
  const blocking = smallestOf(analysis.minimalBlockingSets);
  const name = namer(data.validators);
  const color = nodeColorer(data.status.data?.nodeId ?? null, data.quorum.data, data.statuses.data);
  const highlighted = new Set(selected === null ? [] : (blocking[selected] ?? []));
  const verdict =
    analysis.intersects === true ? 'holds' : analysis.intersects === false ? 'FAILS' : 'unknown';
  return (
    <section data-testid="quorum-view" className="view">
      <div className="columns wide-left">
        <div>
          <QuorumMap
            validators={data.validators}
            statusOf={color}
            topTier={new Set(analysis.topTier)}
            highlighted={highlighted}
            criticalOrgs={new Set(analysis.criticalOrganizations)}
          />
          <Legend />
        </div>
        <div className="analysis">
          <h3>Quorum intersection</h3>
          <p
            className={`verdict verdict-${verdict}`}
            data-testid="intersection-verdict"
            data-verdict={String(analysis.intersects)}
          >
            {verdict === 'holds' && 'Every two quorums intersect: the network cannot fork.'}
            {verdict === 'FAILS' && 'Two disjoint quorums exist: the network could fork.'}
            {verdict === 'FAILS' && analysis.disjointQuorums && (
              <span className="split" data-testid="disjoint-quorums">
                {' '}
                {'{'}
                {analysis.disjointQuorums[0].map(name).join(', ')}
                {'}'} and {'{'}
                {analysis.disjointQuorums[1].map(name).join(', ')}
                {'}'}
              </span>
            )}
            {verdict === 'unknown' && 'Not known (no analysis available for this network).'}
          </p>
          <p className="muted">
            source:{' '}
            {analysis.source === 'node'
              ? 'the node’s analyzer (/v1/network)'
              : analysis.source === 'browser'
                ? 'computed in the browser'
                : 'none'}
          </p>
          <h3>Top tier</h3>
          <p data-testid="top-tier">
            {analysis.topTier.length ? analysis.topTier.map(name).join(', ') : '—'}
          </p>
          <h3>Smallest blocking sets</h3>
          <p className="muted">
            If all the nodes of one set fail, no quorum is left: the network halts.
            {analysis.minimalBlockingSets.length > blocking.length &&
              ` (${analysis.minimalBlockingSets.length} minimal sets in all; the smallest shown.)`}
          </p>
          <ul className="pick-list" data-testid="blocking-sets">
            {blocking.map((set, i) => (
              <li key={set.join(',')}>
                <button
                  type="button"
                  className={selected === i ? 'selected' : ''}
                  onClick={() => setSelected(selected === i ? null : i)}
                >
                  {set.map(name).join(' + ')}
                </button>
              </li>
            ))}
          </ul>
          <h3>Critical organizations</h3>
          <p data-testid="critical-orgs">
            {analysis.criticalOrganizations.length
              ? analysis.criticalOrganizations.join(', ')
              : 'none reported'}
          </p>
          {analysis.minimalSplittingSets.length > 0 && (
            <>
              <h3>Smallest splitting sets</h3>
              <ul>
                {smallestOf(analysis.minimalSplittingSets).map((set) => (
                  <li key={set.join(',')}>{set.map(name).join(' + ')}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      </div>
    </section>
  );
}

const LEGEND: readonly [string, string][] = [
  ['status-local', 'this node'],
  ['status-agree', 'agree'],
  ['status-delayed', 'delayed'],
  ['status-disagree', 'disagree'],
  ['status-missing', 'missing'],
  ['status-unknown', 'unknown'],
];

function Legend() {
  return (
    <p className="legend">
      {LEGEND.map(([cls, label]) => (
        <span key={cls}>
          <svg width="14" height="14" aria-hidden="true">
            <circle cx="7" cy="7" r="5" className={`node ${cls}`} />
          </svg>{' '}
          {label}
        </span>
      ))}
      <span>
        <svg width="16" height="16" aria-hidden="true">
          <circle cx="8" cy="8" r="6" className="top-tier-ring" />
        </svg>{' '}
        top tier
      </span>
      <span>
        <svg width="16" height="16" aria-hidden="true">
          <circle cx="8" cy="8" r="6" className="highlight-ring" />
        </svg>{' '}
        selected blocking set
      </span>
    </p>
  );
}
