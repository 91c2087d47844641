// Everything the operator views share, fetched in one place: this node's status and quorum health, the
// network listing (with a fallback built from /v1/quorum while /v1/network is missing), and each
// validator's own /v1/status fetched from its API address.
import { useMemo } from 'react';
import { apiClient, type NetworkInfo, type NodeStatus, type QuorumHealth, type Validator } from './api';
import { type LedgerStream, type Polled, useLedgerEvents, usePolling } from './hooks';
import type { StatusResult } from './network-model';

export interface DashboardData {
  readonly status: Polled<NodeStatus>;
  readonly quorum: Polled<QuorumHealth>;
  readonly network: Polled<NetworkInfo>;
  /** Validators from /v1/network, or (fallback) this node and its quorum-set members. */
  readonly validators: Validator[];
  readonly networkFromFallback: boolean;
  readonly statuses: Polled<Map<string, StatusResult>>;
  readonly stream: LedgerStream;
}

export const api = apiClient('');

export function fallbackValidators(status: NodeStatus | null, quorum: QuorumHealth | null): Validator[] {
  const ids = new Set<string>();
  if (status) ids.add(status.nodeId);
  for (const m of quorum?.members ?? []) ids.add(m.node);
  return [...ids].map((nodeId) => ({
    nodeId,
    name: nodeId.length > 12 ? `${nodeId.slice(0, 6)}…${nodeId.slice(-4)}` : nodeId,
    org: '(unknown organization)',
    http: nodeId === status?.nodeId ? '' : null,
    quorumSet: null,
  }));
}

export function useDashboardData(): DashboardData {
  const status = usePolling((signal) => api.status({ signal }), 2000);
  const quorum = usePolling((signal) => api.quorum({ signal }), 2000);
  const network = usePolling((signal) => api.network({ signal }), 10_000);
  const stream = useLedgerEvents(api.eventsUrl());
  const networkFromFallback = network.data === null || network.data.validators.length === 0;
  const validators = useMemo(
    () => (networkFromFallback ? fallbackValidators(status.data, quorum.data) : network.data!.validators),
    [networkFromFallback, network.data, status.data, quorum.data],
  );
  const key = validators.map((v) => `${v.nodeId}@${v.http}`).join(',');
  const statuses = usePolling(
    async (signal) => {
      const results = await Promise.all(
        validators.map(async (v): Promise<[string, StatusResult]> => {
          if (v.http === null) return [v.nodeId, { ok: false, error: 'no API address published' }];
          try {
            return [
              v.nodeId,
              { ok: true, status: await apiClient(v.http).status({ signal, timeoutMs: 1500 }) },
            ];
          } catch (e) {
            return [v.nodeId, { ok: false, error: e instanceof Error ? e.message : String(e) }];
          }
        }),
      );
      return new Map(results);
    },
    2500,
    key,
  );
  return { status, quorum, network, validators, networkFromFallback, statuses, stream };
}
