// Logistics: search by UII, NSN, organization or location; an item's timeline; stock by location; the
// alerts the ledger can prove; a receipt verified in the browser with its proof steps.
import { type FormEvent, useState } from 'react';
import type { Alert, ItemRecord, StockRow } from '../api';
import { ItemTimeline } from '../components/ItemTimeline';
import { ReceiptVerifier } from '../components/ReceiptVerifier';
import { api } from '../dashboard-data';
import { formatValue } from '../format';
import { networkIdFromGenesis } from '../genesis';
import { usePolling } from '../hooks';
import { classifyQuery, normalizeNsn, type SearchKind } from '../search';

type Result =
  | { kind: 'item'; item: ItemRecord }
  | { kind: 'stock'; title: string; rows: StockRow[]; alerts: Alert[] }
  | { kind: 'error'; message: string };

const mentions = (a: Alert, q: string) =>
  [a.subject, ...Object.values(a.details)].some((v) => formatValue(v).toUpperCase().includes(q));

export function LogisticsView() {
  const [query, setQuery] = useState('');
  const [kind, setKind] = useState<SearchKind | 'auto'>('auto');
  const [result, setResult] = useState<Result | null>(null);
  const [busy, setBusy] = useState(false);
  const [txHash, setTxHash] = useState('');
  const [genesisHash, setGenesisHash] = useState('');
  const [genesis, setGenesis] = useState<{
    file: string;
    networkId: string | null;
    error: string | null;
  } | null>(null);

  async function loadGenesis(file: File | undefined) {
    if (!file) return;
    try {
      const networkId = await networkIdFromGenesis(JSON.parse(await file.text()));
      setGenesis({ file: file.name, networkId, error: null });
    } catch (err) {
      setGenesis({
        file: file.name,
        networkId: null,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  const alerts = usePolling((signal) => api.alerts(100, { signal }), 10_000);

  async function search(e?: FormEvent) {
    e?.preventDefault();
    const q = query.trim().toUpperCase();
    const k = kind === 'auto' ? classifyQuery(q) : kind;
    if (!k) return;
    setBusy(true);
    try {
      if (k === 'uii') setResult({ kind: 'item', item: await api.item(q) });
      else {
        const nsn = k === 'nsn' ? (normalizeNsn(q) ?? q) : undefined;
        const rows = await api.stock(nsn ? { nsn } : { location: q });
        const related = (alerts.data ?? []).filter((a) => mentions(a, nsn ?? q));
        const label = k === 'nsn' ? `NSN ${nsn}` : k === 'org' ? `organization ${q}` : `location ${q}`;
        setResult({ kind: 'stock', title: label, rows, alerts: related });
      }
    } catch (err) {
      setResult({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section data-testid="logistics-view" className="view">
      <form className="search" onSubmit={search} data-testid="logistics-search">
        <select
          value={kind}
          onChange={(e) => setKind(e.target.value as SearchKind | 'auto')}
          aria-label="search by"
        >
          <option value="auto">auto</option>
          <option value="uii">UII</option>
          <option value="nsn">NSN</option>
          <option value="org">organization</option>
          <option value="location">location</option>
        </select>
        <input
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="UII (D0CVA5674A36458), NSN (1234-56-789-0123), DoDAAC or location"
          aria-label="search"
          data-testid="search-input"
        />
        <button type="submit" disabled={busy} data-testid="search-button">
          {busy ? 'searching…' : 'Search'}
        </button>
      </form>
      <div className="columns wide-left">
        <div>
          {result?.kind === 'error' && (
            <p className="error" data-testid="search-error">
              {result.message}
            </p>
          )}
          {result?.kind === 'item' && <ItemTimeline item={result.item} onReceipt={setTxHash} />}
          {result?.kind === 'stock' && (
            <div data-testid="stock-result">
              <h3>Stock for {result.title}</h3>
              <StockTable rows={result.rows} />
              {result.alerts.length > 0 && (
                <>
                  <h3>Related alerts</h3>
                  <AlertList alerts={result.alerts} />
                </>
              )}
            </div>
          )}
          <h3>Verify a receipt</h3>
          <input
            className="wide mono"
            value={txHash}
            onChange={(e) => setTxHash(e.target.value.trim())}
            placeholder="transaction hash (64 hex digits)"
            aria-label="transaction hash"
            data-testid="receipt-input"
          />
          <input
            className="wide mono"
            value={genesisHash}
            onChange={(e) => setGenesisHash(e.target.value.trim())}
            placeholder="trusted genesis header hash (optional; from the genesis file)"
            aria-label="trusted genesis header hash"
            data-testid="genesis-input"
          />
          <label className="file">
            Genesis file (optional):{' '}
            <input
              type="file"
              accept=".json,application/json"
              onChange={(e) => void loadGenesis(e.target.files?.[0])}
              data-testid="genesis-file"
            />
          </label>
          {genesis && (
            <p className={genesis.error ? 'error' : 'muted'} data-testid="genesis-network-id">
              {genesis.error
                ? `${genesis.file}: ${genesis.error}`
                : `${genesis.file}: network ${genesis.networkId}`}
            </p>
          )}
          <ReceiptVerifier
            txHash={txHash}
            genesisHash={genesisHash}
            genesisNetworkId={genesis?.networkId ?? null}
          />
        </div>
        <div>
          <h3>Alerts</h3>
          {alerts.error && <p className="error">alerts: {alerts.error}</p>}
          <AlertList alerts={alerts.data ?? []} testId="alert-list" />
        </div>
      </div>
    </section>
  );
}

function StockTable({ rows }: { rows: StockRow[] }) {
  if (rows.length === 0) return <p className="muted">no stock found</p>;
  return (
    <table className="grid compact" data-testid="stock-table">
      <thead>
        <tr>
          <th>NSN</th>
          <th>Site</th>
          <th>Lot</th>
          <th>Condition</th>
          <th className="num">Quantity</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.nsn}|${r.site}|${r.lot}|${r.condition}`} data-testid="stock-row">
            <td className="mono">{r.nsn}</td>
            <td>{r.site}</td>
            <td>{r.lot ?? '—'}</td>
            <td>{r.condition ?? '—'}</td>
            <td className="num">{r.quantity}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AlertList({ alerts, testId }: { alerts: Alert[]; testId?: string }) {
  if (alerts.length === 0) return <p className="muted">no alerts</p>;
  return (
    <ul className="alerts" data-testid={testId}>
      {alerts.map((a) => (
        <li key={a.id} data-testid="alert" data-kind={a.kind}>
          <strong>{a.kind}</strong> {a.subject && <span className="mono">{a.subject}</span>}{' '}
          <span className="muted">
            {a.ledgerSeq !== null && `ledger ${a.ledgerSeq}`}
            {Object.entries(a.details)
              .map(([k, v]) => ` · ${k}: ${formatValue(v)}`)
              .join('')}
          </span>
        </li>
      ))}
    </ul>
  );
}
