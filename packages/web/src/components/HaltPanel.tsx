// The halt diagnosis: when this node is stuck, say so prominently and in plain words — since when,
// which slices are unsatisfied, who is missing, and which smallest sets of nodes would restore progress.
import type { QuorumHealth, Validator } from '../api';
import { formatDuration } from '../format';
import { namer } from '../network-model';

export function HaltPanel({ quorum, validators }: { quorum: QuorumHealth | null; validators: Validator[] }) {
  if (!quorum?.stuck) return null;
  const name = namer(validators);
  const since = new Date(Date.now() - quorum.stuckForMs).toISOString().slice(11, 19);
  const missing = quorum.members.filter((m) => m.status === 'missing');
  return (
    <section className="halt-panel" data-testid="halt-panel" role="alert">
      <h2>
        This node is stuck: no ledger closed for {formatDuration(quorum.stuckForMs)} (since {since} UTC)
      </h2>
      {quorum.summary && <p className="summary">{quorum.summary}</p>}
      <div className="halt-grid">
        <div>
          <h3>Missing</h3>
          {missing.length === 0 ? (
            <p className="muted">no member of its quorum set is missing</p>
          ) : (
            <ul data-testid="halt-missing">
              {missing.map((m) => (
                <li key={m.node} data-testid="halt-missing-node" data-node={m.node}>
                  <strong>{name(m.node)}</strong>{' '}
                  <span className="muted">
                    {m.lastHeardAgoMs === null
                      ? 'never heard'
                      : `last heard ${formatDuration(m.lastHeardAgoMs)} ago`}
                    {m.possiblyDead ? ' · possibly down' : ''}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3>Unsatisfied slices</h3>
          {quorum.unsatisfied.length === 0 ? (
            <p className="muted">none reported</p>
          ) : (
            <ul data-testid="halt-unsatisfied">
              {quorum.unsatisfied.map((u) => (
                <li key={u.path}>
                  <code>{u.path}</code>: {u.satisfied} of the {u.threshold} needed
                  {u.unavailable.length > 0 && <> — unavailable: {u.unavailable.map(name).join(', ')}</>}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3>Progress resumes when any of these return</h3>
          {quorum.restoreSets.length === 0 ? (
            <p className="muted">
              no set of known nodes would restore a quorum: check the quorum configuration
            </p>
          ) : (
            <ol data-testid="halt-restore-sets">
              {quorum.restoreSets.map((set) => (
                <li key={set.join(',')}>
                  {set.length === 0 ? 'nothing (waiting on timing)' : set.map(name).join(' + ')}
                </li>
              ))}
            </ol>
          )}
          {quorum.restoreSearchTruncated && (
            <p className="muted">search stopped early; larger sets may exist</p>
          )}
        </div>
      </div>
    </section>
  );
}
