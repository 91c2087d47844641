// Shapes the ledger event stream into chart series: close interval and committed transactions per second.
import type { LedgerEvent } from './api';

export interface SeriesPoint {
  /** Ledger sequence (the x axis). */
  readonly x: number;
  readonly y: number;
}

export interface LedgerSeries {
  readonly intervalS: SeriesPoint[];
  readonly txPerS: SeriesPoint[];
}

/** Keeps the newest `max` events, ordered by sequence, without duplicates. */
export function appendEvent(events: readonly LedgerEvent[], e: LedgerEvent, max = 120): LedgerEvent[] {
  const bySeq = new Map(events.map((x) => [x.seq, x]));
  bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq).slice(-max);
}

/**
 * The interval of each ledger is its stated intervalMs, or else the difference of close times with the
 * previous ledger in the list; tx/s is its transactions over that interval.
 */
export function ledgerSeries(events: readonly LedgerEvent[]): LedgerSeries {
  const intervalS: SeriesPoint[] = [];
  const txPerS: SeriesPoint[] = [];
  events.forEach((e, i) => {
    const prev = events[i - 1];
    let ms = e.intervalMs;
    if (ms === null && prev && prev.seq === e.seq - 1 && e.closeTime !== null && prev.closeTime !== null) {
      ms = (e.closeTime - prev.closeTime) * 1000;
    }
    if (ms === null || !(ms > 0)) return;
    intervalS.push({ x: e.seq, y: ms / 1000 });
    txPerS.push({ x: e.seq, y: e.txCount / (ms / 1000) });
  });
  return { intervalS, txPerS };
}

export interface Extent {
  readonly min: number;
  readonly max: number;
}

export function extent(points: readonly SeriesPoint[], key: 'x' | 'y', floorZero = false): Extent {
  if (points.length === 0) return { min: 0, max: 1 };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    min = Math.min(min, p[key]);
    max = Math.max(max, p[key]);
  }
  if (floorZero) min = Math.min(0, min);
  if (max === min) max = min + 1;
  return { min, max };
}

/** An SVG polyline "points" attribute for the series in a width x height box. */
export function polylinePoints(
  points: readonly SeriesPoint[],
  width: number,
  height: number,
  pad = 4,
): string {
  const xs = extent(points, 'x');
  const ys = extent(points, 'y', true);
  const sx = (x: number) => pad + ((x - xs.min) / (xs.max - xs.min)) * (width - 2 * pad);
  const sy = (y: number) => height - pad - ((y - ys.min) / (ys.max - ys.min)) * (height - 2 * pad);
  return points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
}
