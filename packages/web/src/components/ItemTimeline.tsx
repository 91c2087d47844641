// An item's record and its history: registration, custody chain, maintenance, scans, alerts.
import type { ItemRecord } from '../api';
import { formatValue, shortId } from '../format';

const ITEM_FIELDS = [
  'uii',
  'nsn',
  'serial',
  'cage',
  'condition',
  'status',
  'location',
  'owner',
  'custodian',
  'parent',
  'usage',
];

export function ItemTimeline({ item, onReceipt }: { item: ItemRecord; onReceipt: (txHash: string) => void }) {
  const known = ITEM_FIELDS.filter((f) => item.fields[f] !== undefined);
  const others = Object.keys(item.fields).filter((f) => !ITEM_FIELDS.includes(f));
  const seen = new Map<string, number>();
  const entries = item.history.map((h) => {
    const base = `${h.ledgerSeq}-${h.txIndex}-${h.opIndex}-${h.type}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { h, key: n === 0 ? base : `${base}#${n}` };
  });
  return (
    <div className="item" data-testid="item-detail">
      <h3>
        Item <span className="mono">{item.uii}</span>
      </h3>
      <dl className="fields">
        {[...known, ...others].map((f) => (
          <div key={f}>
            <dt>{f}</dt>
            <dd className={f === 'uii' || f === 'nsn' ? 'mono' : ''}>{formatValue(item.fields[f])}</dd>
          </div>
        ))}
      </dl>
      <h3>Timeline</h3>
      <ol className="timeline" data-testid="item-timeline">
        {entries.map(({ h, key }) => (
          <li key={key} data-testid="timeline-entry" data-type={h.type}>
            <div className="when">
              ledger {h.ledgerSeq ?? '—'}
              {h.txIndex !== null && <span className="muted"> · tx {h.txIndex}</span>}
            </div>
            <div className="what">
              <strong className={`event-${h.type}`}>{h.type}</strong>
              {Object.entries(h.details).length > 0 && (
                <span className="muted">
                  {' '}
                  {Object.entries(h.details)
                    .map(([k, v]) => `${k}: ${formatValue(v)}`)
                    .join(' · ')}
                </span>
              )}
            </div>
            {h.txHash && (
              <button
                type="button"
                className="link"
                onClick={() => onReceipt(h.txHash!)}
                data-testid="verify-tx"
              >
                verify receipt {shortId(h.txHash, 6)}
              </button>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
