// The dashboard shell: header, the halt panel (shown whenever this node is stuck), and the views,
// addressed by the URL hash (#network, #quorum, #what-if, #logistics) so they can be linked to.
import { useEffect, useState } from 'react';
import { HaltPanel } from './components/HaltPanel';
import { useDashboardData } from './dashboard-data';
import { formatDuration, shortId } from './format';
import { LogisticsView } from './views/LogisticsView';
import { NetworkView } from './views/NetworkView';
import { QuorumView } from './views/QuorumView';
import { WhatIfView } from './views/WhatIfView';

const VIEWS = [
  { id: 'network', label: 'Network' },
  { id: 'quorum', label: 'Quorum map' },
  { id: 'what-if', label: 'What-if' },
  { id: 'logistics', label: 'Logistics' },
] as const;
type ViewId = (typeof VIEWS)[number]['id'];

function viewFromHash(): ViewId {
  const h = typeof location === 'undefined' ? '' : location.hash.replace(/^#\/?/, '').split('?')[0];
  return (VIEWS.find((v) => v.id === h)?.id ?? 'network') as ViewId;
}

export function App() {
  const [view, setView] = useState<ViewId>(viewFromHash);
  useEffect(() => {
    const onHash = () => setView(viewFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const data = useDashboardData();
  const s = data.status.data;
  return (
    <div className="app">
      <header className="top">
        <div className="brand">
          <strong>Quartermaster</strong>
          <span className="muted">{s?.networkName ?? 'network'}</span>
        </div>
        <div className="node-summary" data-testid="node-summary">
          {s ? (
            <>
              <span className={`pill state-${s.state}`} data-testid="node-state">
                {s.state}
              </span>
              <span title={s.nodeId}>node {shortId(s.nodeId)}</span>
              <span>ledger {s.ledgerSeq ?? '—'}</span>
              <span>closed {formatDuration(s.sinceLastCloseMs)} ago</span>
            </>
          ) : (
            <span className="muted">
              {data.status.error ? `API unreachable: ${data.status.error}` : 'connecting…'}
            </span>
          )}
          <span className={`live ${data.stream.connected ? 'on' : 'off'}`} data-testid="live-indicator">
            {data.stream.connected ? '● live' : '○ no event stream'}
          </span>
        </div>
      </header>
      <HaltPanel quorum={data.quorum.data} validators={data.validators} />
      <nav className="tabs">
        {VIEWS.map((v) => (
          <a
            key={v.id}
            href={`#${v.id}`}
            className={v.id === view ? 'active' : ''}
            data-testid={`tab-${v.id}`}
            aria-current={v.id === view ? 'page' : undefined}
          >
            {v.label}
          </a>
        ))}
      </nav>
      <main>
        {view === 'network' && <NetworkView data={data} />}
        {view === 'quorum' && <QuorumView data={data} />}
        {view === 'what-if' && <WhatIfView data={data} />}
        {view === 'logistics' && <LogisticsView />}
      </main>
    </div>
  );
}
