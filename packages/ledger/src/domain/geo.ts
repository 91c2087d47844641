/**
 * Great-circle distance (haversine) computed with IEEE-754 basic operations only.
 *
 * Math.sin/cos/asin are "implementation-approximated" in ECMAScript: two engines (or two versions of
 * one) may differ in the last bit, and an alert that fires on one validator but not another would fork
 * the state. +, -, *, / and sqrt are correctly rounded everywhere, so the series below give the same
 * bits on every node.
 */

export const EARTH_RADIUS_M = 6_371_008.8; // IUGG mean radius

const PI = Math.PI;
const DEG = PI / 180;

/** sin(x) for |x| <= pi by a Taylor series (error < 1e-15 after range folding). */
export function detSin(x: number): number {
  // Fold into [-pi/2, pi/2] where the series converges fast: sin(pi - x) = sin(x).
  let y = x;
  if (y > PI / 2) y = PI - y;
  else if (y < -PI / 2) y = -PI - y;
  const y2 = y * y;
  let term = y;
  let sum = y;
  for (let n = 1; n <= 12; n++) {
    term = (-term * y2) / (2 * n * (2 * n + 1));
    sum += term;
  }
  return sum;
}

export function detCos(x: number): number {
  return detSin(x >= 0 ? PI / 2 - x : PI / 2 + x);
}

/** asin(x) for 0 <= x <= 1 via asin(x) = 2 * atan(x / (1 + sqrt(1 - x^2))) and an atan series. */
export function detAsin(x: number): number {
  const c = Math.min(1, Math.max(0, x));
  const t = c / (1 + Math.sqrt(1 - c * c)); // 0 <= t <= 1
  return 2 * detAtan01(t);
}

/** atan(t) for 0 <= t <= 1, halving the argument twice so the series converges. */
function detAtan01(t: number): number {
  // atan(t) = 2 * atan(t / (1 + sqrt(1 + t^2)))
  const t1 = t / (1 + Math.sqrt(1 + t * t));
  const t2 = t1 / (1 + Math.sqrt(1 + t1 * t1)); // t2 <= tan(pi/16) ~ 0.199
  const s = t2 * t2;
  let term = t2;
  let sum = t2;
  for (let n = 1; n <= 14; n++) {
    term = -term * s;
    sum += term / (2 * n + 1);
  }
  return 4 * sum;
}

/** Degrees, for computation only. */
export interface LatLon {
  lat: number;
  lon: number;
}

/**
 * A stored position: integer micro-degrees (about 0.11 m of latitude per unit). Integers because the
 * canonical CBOR profile carries no floats, and so that a position has one exact representation.
 */
export interface Position {
  latE6: number;
  lonE6: number;
}

export const isPosition = (v: unknown): v is Position => {
  if (typeof v !== 'object' || v === null) return false;
  const { latE6, lonE6 } = v as Record<string, unknown>;
  return (
    Number.isSafeInteger(latE6) &&
    Number.isSafeInteger(lonE6) &&
    Math.abs(latE6 as number) <= 90_000_000 &&
    Math.abs(lonE6 as number) <= 180_000_000
  );
};

/** Degrees to micro-degrees, rounded to nearest (one IEEE multiply and a round: the same everywhere). */
export function toPosition(d: LatLon): Position {
  return { latE6: Math.round(d.lat * 1e6), lonE6: Math.round(d.lon * 1e6) };
}

export function toLatLon(p: Position): LatLon {
  return { lat: p.latE6 / 1e6, lon: p.lonE6 / 1e6 };
}

export function isLatLon(v: unknown): v is LatLon {
  if (typeof v !== 'object' || v === null) return false;
  const { lat, lon } = v as Record<string, unknown>;
  return (
    typeof lat === 'number' &&
    typeof lon === 'number' &&
    Number.isFinite(lat) &&
    Number.isFinite(lon) &&
    lat >= -90 &&
    lat <= 90 &&
    lon >= -180 &&
    lon <= 180
  );
}

/** Haversine distance in whole metres between positions in degrees (rounded down, so the value is an integer in state and events). */
export function distanceMeters(a: LatLon, b: LatLon): number {
  const dLat = (b.lat - a.lat) * DEG;
  let dLonDeg = b.lon - a.lon;
  if (dLonDeg > 180) dLonDeg -= 360;
  else if (dLonDeg < -180) dLonDeg += 360;
  const dLon = dLonDeg * DEG;
  const s1 = detSin(dLat / 2);
  const s2 = detSin(dLon / 2);
  const h = s1 * s1 + detCos(a.lat * DEG) * detCos(b.lat * DEG) * s2 * s2;
  return Math.floor(2 * EARTH_RADIUS_M * detAsin(Math.sqrt(Math.min(1, h))));
}
