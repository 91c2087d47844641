// A small SVG line chart: enough for a live series, no chart library.
import { extent, polylinePoints, type SeriesPoint } from '../series';

export interface LineChartProps {
  readonly title: string;
  readonly unit: string;
  readonly points: readonly SeriesPoint[];
  readonly width?: number;
  readonly height?: number;
  readonly testId?: string;
}

export function LineChart({ title, unit, points, width = 360, height = 120, testId }: LineChartProps) {
  const ys = extent(points, 'y', true);
  const last = points.at(-1);
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>
        {title}{' '}
        <span className="muted">
          {last ? `now ${last.y.toFixed(2)} ${unit}` : 'waiting for ledgers…'} · max {ys.max.toFixed(2)}
        </span>
      </figcaption>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        <rect x={0} y={0} width={width} height={height} className="chart-bg" />
        {points.length > 1 && (
          <polyline points={polylinePoints(points, width, height)} className="chart-line" />
        )}
        {points.length === 1 && <circle cx={width / 2} cy={height / 2} r={3} className="chart-dot" />}
      </svg>
    </figure>
  );
}
