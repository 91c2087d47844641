// What-if: mark validators down or Byzantine and see at once whether a node would halt and whether
// quorum intersection still holds. Computed in the browser (fbas-lite) from the published quorum sets.
import { useMemo, useState } from 'react';
import type { DashboardData } from '../dashboard-data';
import { MAX_EXHAUSTIVE_NODES, smallestVBlockingSets, whatIf } from '../fbas-lite';
import { namer, quorumMapOf } from '../network-model';

type Mark = 'up' | 'down' | 'byzantine';
const MARKS: readonly Mark[] = ['up', 'down', 'byzantine'];

export function WhatIfView({ data }: { data: DashboardData }) {
  const qmap = useMemo(() => quorumMapOf(data.validators), [data.validators]);
  const [marks, setMarks] = useState<Record<string, Mark>>({});
  const localDefault = data.status.data?.nodeId ?? data.validators[0]?.nodeId ?? null;
  const [viewpoint, setViewpoint] = useState<string | null>(null);
  const local = viewpoint ?? localDefault;
  const name = namer(data.validators);
  const down = new Set(Object.entries(marks).flatMap(([n, m]) => (m === 'down' ? [n] : [])));
  const byz = new Set(Object.entries(marks).flatMap(([n, m]) => (m === 'byzantine' ? [n] : [])));
  const key = `${[...down].sort()}|${[...byz].sort()}|${local}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: key captures down, byz and local
  const result = useMemo(() => (qmap.size > 0 ? whatIf(qmap, local, down, byz) : null), [qmap, key]);
  const localQset = local ? qmap.get(local) : undefined;
  const vblocking = useMemo(
    () => (localQset ? smallestVBlockingSets(localQset, local ?? undefined) : []),
    [localQset, local],
  );

  if (qmap.size === 0) {
    return (
      <section data-testid="what-if-view" className="view">
        <p className="note">
          No quorum sets are known yet: the what-if planner needs the network listing (/v1/network) with each
          validator's quorum set.
        </p>
      </section>
    );
  }
  return (
    <section data-testid="what-if-view" className="view">
      <div className="columns">
        <div>
          <h3>Mark validators</h3>
          <table className="grid compact">
            <thead>
              <tr>
                <th>Validator</th>
                <th>Organization</th>
                <th>Mark</th>
              </tr>
            </thead>
            <tbody>
              {data.validators.map((v) => {
                const mark = marks[v.nodeId] ?? 'up';
                return (
                  <tr key={v.nodeId} data-testid="whatif-row" data-node={v.nodeId} data-mark={mark}>
                    <td>{v.name}</td>
                    <td>{v.org}</td>
                    <td>
                      <div className="segmented">
                        {MARKS.map((m) => (
                          <button
                            type="button"
                            key={m}
                            aria-pressed={mark === m}
                            className={mark === m ? `selected mark-${m}` : ''}
                            data-testid={`mark-${m}`}
                            onClick={() => setMarks((prev) => ({ ...prev, [v.nodeId]: m }))}
                          >
                            {m}
                          </button>
                        ))}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p>
            <button type="button" onClick={() => setMarks({})}>
              Reset
            </button>
          </p>
        </div>
        <div className="analysis">
          <h3>
            Seen from{' '}
            <select
              value={local ?? ''}
              onChange={(e) => setViewpoint(e.target.value)}
              data-testid="whatif-viewpoint"
            >
              {data.validators.map((v) => (
                <option key={v.nodeId} value={v.nodeId}>
                  {v.name}
                  {v.nodeId === localDefault ? ' (this node)' : ''}
                </option>
              ))}
            </select>
          </h3>
          {result && (
            <>
              <p
                className={`verdict ${result.localHalts ? 'verdict-FAILS' : 'verdict-holds'}`}
                data-testid="whatif-halts"
                data-halts={String(result.localHalts)}
              >
                {result.localHalts
                  ? `${name(local ?? '')} would halt.`
                  : `${name(local ?? '')} keeps closing ledgers.`}
              </p>
              <p
                className={`verdict verdict-${result.intersection.intersects === true ? 'holds' : result.intersection.intersects === false ? 'FAILS' : 'unknown'}`}
                data-testid="whatif-intersection"
                data-intersects={String(result.intersection.intersects)}
              >
                {result.intersection.intersects === true &&
                  (byz.size > 0
                    ? 'Intersection holds despite the Byzantine nodes: no fork.'
                    : 'Quorum intersection holds.')}
                {result.intersection.intersects === false &&
                  'Intersection FAILS: two quorums can decide differently.'}
                {result.intersection.intersects === 'unknown' &&
                  `Too large to check in the browser (more than ${MAX_EXHAUSTIVE_NODES} honest validators).`}
              </p>
              {result.intersection.split && (
                <p className="muted">
                  e.g. {'{'}
                  {result.intersection.split[0].map(name).join(', ')}
                  {'}'} and {'{'}
                  {result.intersection.split[1].map(name).join(', ')}
                  {'}'}
                  {byz.size > 0 ? ', each with the Byzantine nodes' : ''}
                </p>
              )}
              <p>
                Still closing: {result.live.length ? result.live.map(name).join(', ') : 'nobody'}
                <br />
                Halted: {result.halted.length ? result.halted.map(name).join(', ') : 'nobody'}
              </p>
            </>
          )}
          <h3>Smallest sets that alone stall {name(local ?? '')}</h3>
          <p className="muted">
            v-blocking sets of its quorum set: plan maintenance so they are never all down.
          </p>
          <ul data-testid="vblocking-sets">
            {vblocking.map((s) => (
              <li key={s.join(',')}>{s.map(name).join(' + ')}</li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
