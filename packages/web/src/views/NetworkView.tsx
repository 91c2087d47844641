// Network: every validator's state, height, last close, lag and peers; live close-interval and tx/s
// charts from the event stream; the latest ledgers and this node's peer links.
import { useMemo } from 'react';
import { LineChart } from '../components/LineChart';
import { api, type DashboardData } from '../dashboard-data';
import { formatCloseTime, formatDuration, shortId } from '../format';
import { usePolling } from '../hooks';
import { validatorRows } from '../network-model';
import { ledgerSeries } from '../series';

export function NetworkView({ data }: { data: DashboardData }) {
  const rows = validatorRows(
    data.validators,
    data.statuses.data ?? new Map(),
    data.quorum.data,
    data.status.data?.nodeId ?? null,
  );
  const series = useMemo(() => ledgerSeries(data.stream.events), [data.stream.events]);
  const lastSeq = data.stream.last?.seq ?? 0;
  const ledgers = usePolling((signal) => api.ledgers(10, { signal }), 5000, String(lastSeq));
  const peers = usePolling((signal) => api.peers({ signal }), 5000);
  const synced = rows.filter((r) => r.state === 'synced').length;
  return (
    <section data-testid="network-view" className="view">
      <h2>
        Validators{' '}
        <span className="muted" data-testid="synced-count">
          {synced} of {rows.length} synced
        </span>
      </h2>
      {data.networkFromFallback && (
        <p className="note">
          The node does not list the network yet (/v1/network): showing this node and its quorum-set members.
        </p>
      )}
      <table className="grid">
        <thead>
          <tr>
            <th>Validator</th>
            <th>Organization</th>
            <th>State</th>
            <th>Consensus</th>
            <th className="num">Height</th>
            <th>Last close</th>
            <th className="num">Lag</th>
            <th className="num">Peers</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.nodeId} data-testid="validator-row" data-node={r.nodeId} data-state={r.state}>
              <td title={r.nodeId}>
                {r.name} {r.isLocal && <span className="pill small">this node</span>}
                <div className="muted mono">{shortId(r.nodeId)}</div>
              </td>
              <td>{r.org}</td>
              <td>
                <span className={`pill state-${r.state}`} data-testid="validator-state">
                  {r.state}
                </span>
              </td>
              <td>
                {r.consensus ? <span className={`pill status-${r.consensus}`}>{r.consensus}</span> : '—'}
              </td>
              <td className="num" data-testid="validator-height">
                {r.height ?? '—'}
              </td>
              <td>
                {formatCloseTime(r.closeTime)}
                {r.sinceLastCloseMs !== null && (
                  <div className="muted">{formatDuration(r.sinceLastCloseMs)} ago</div>
                )}
              </td>
              <td className="num">{r.lag ?? '—'}</td>
              <td className="num">{r.peers ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="charts">
        <LineChart title="Ledger close interval" unit="s" points={series.intervalS} testId="chart-interval" />
        <LineChart title="Committed transactions" unit="tx/s" points={series.txPerS} testId="chart-txps" />
      </div>
      <div className="columns">
        <div>
          <h3>Latest ledgers</h3>
          <table className="grid compact" data-testid="ledger-list">
            <thead>
              <tr>
                <th className="num">Seq</th>
                <th>Hash</th>
                <th>Closed</th>
                <th className="num">Txs</th>
                <th className="num">Log size</th>
              </tr>
            </thead>
            <tbody>
              {(ledgers.data ?? []).map((l) => (
                <tr key={l.sequence}>
                  <td className="num">{l.sequence}</td>
                  <td className="mono" title={l.hash}>
                    {shortId(l.hash, 8)}
                  </td>
                  <td>{formatCloseTime(l.closeTime)}</td>
                  <td className="num">{l.txCount ?? '—'}</td>
                  <td className="num">{l.logSize ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {ledgers.error && <p className="error">ledgers: {ledgers.error}</p>}
        </div>
        <div>
          <h3>Peer links of this node</h3>
          <table className="grid compact" data-testid="peer-list">
            <thead>
              <tr>
                <th>Peer</th>
                <th>Link</th>
                <th>Last heard</th>
                <th className="num">Frames in/out</th>
              </tr>
            </thead>
            <tbody>
              {(peers.data?.peers ?? []).map((p) => (
                <tr key={p.peer}>
                  <td className="mono" title={p.peer}>
                    {shortId(p.peer)}
                  </td>
                  <td>{p.connected ? 'connected' : 'down'}</td>
                  <td>{p.lastHeardAgoMs === null ? '—' : `${formatDuration(p.lastHeardAgoMs)} ago`}</td>
                  <td className="num">
                    {p.framesIn ?? '—'} / {p.framesOut ?? '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {peers.error && <p className="error">peers: {peers.error}</p>}
        </div>
      </div>
    </section>
  );
}
