// React hooks for the dashboard's data: polling a request, and the ledger event stream.
import { useCallback, useEffect, useRef, useState } from 'react';
import { type LedgerEvent, toLedgerEvent } from './api';
import { appendEvent } from './series';

export interface Polled<T> {
  readonly data: T | null;
  readonly error: string | null;
  /** Milliseconds since epoch of the last successful answer. */
  readonly updatedAt: number | null;
  readonly refresh: () => void;
}

/** Calls `load` now and every `intervalMs`; keeps the last good answer when a later call fails. */
export function usePolling<T>(
  load: (signal: AbortSignal) => Promise<T>,
  intervalMs: number,
  key = '',
): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const refresh = useCallback(() => setTick((t) => t + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: key and tick restart the polling on purpose
  useEffect(() => {
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const value = await loadRef.current(ctrl.signal);
        if (ctrl.signal.aborted) return;
        setData(value);
        setError(null);
        setUpdatedAt(Date.now());
      } catch (e) {
        if (ctrl.signal.aborted) return;
        setError(e instanceof Error ? e.message : String(e));
      }
      if (!ctrl.signal.aborted) timer = setTimeout(run, intervalMs);
    };
    void run();
    return () => {
      ctrl.abort();
      if (timer) clearTimeout(timer);
    };
  }, [intervalMs, key, tick]);
  return { data, error, updatedAt, refresh };
}

export interface LedgerStream {
  readonly events: LedgerEvent[];
  readonly connected: boolean;
  readonly last: LedgerEvent | null;
}

/** Subscribes to `event: ledger` on the node's server-sent event stream (EventSource reconnects itself). */
export function useLedgerEvents(url: string, max = 120): LedgerStream {
  const [events, setEvents] = useState<LedgerEvent[]>([]);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(url);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener('ledger', (msg) => {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse((msg as MessageEvent<string>).data);
      } catch {
        return;
      }
      const e = toLedgerEvent(parsed);
      if (e) {
        setConnected(true);
        setEvents((prev) => appendEvent(prev, e, max));
      }
    });
    return () => source.close();
  }, [url, max]);
  return { events, connected, last: events.at(-1) ?? null };
}
