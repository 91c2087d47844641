/**
 * Readers for the fields of untrusted operations: each returns the typed value or rejects with a code.
 * Operations arrive decoded from the network, so nothing about their shape is taken on trust.
 */
import { fail } from './exec.js';
import type { Position } from './geo.js';
import { isLatLon, isPosition, toPosition } from './geo.js';
import type { Location } from './state.js';

/** Operations are interfaces (no index signature), read here by field name. */
type Fields = object;
const field_ = (op: Fields, field: string): unknown => (op as Record<string, unknown>)[field];

export function text(op: Fields, field: string, maxLength = 256): string {
  const v = field_(op, field);
  if (typeof v !== 'string') fail('OP_MALFORMED', `${field} must be a string`);
  if (v.length === 0 || v.length > maxLength)
    fail('TEXT_INVALID', `${field} must be 1..${maxLength} characters`);
  return v;
}

export function optionalText(op: Fields, field: string, maxLength = 256): string | undefined {
  return field_(op, field) === undefined ? undefined : text(op, field, maxLength);
}

export function str(op: Fields, field: string): string {
  const v = field_(op, field);
  if (typeof v !== 'string') fail('OP_MALFORMED', `${field} must be a string`);
  return v;
}

export function safeInt(op: Fields, field: string): number {
  const v = field_(op, field);
  if (!Number.isSafeInteger(v)) fail('OP_MALFORMED', `${field} must be a safe integer`);
  return v as number;
}

export function bool(op: Fields, field: string, dflt: boolean): boolean {
  const v = field_(op, field);
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') fail('OP_MALFORMED', `${field} must be a boolean`);
  return v;
}

const SITE_RE = /^[A-Z0-9-]{1,32}$/;
export const isSiteId = (s: unknown): s is string => typeof s === 'string' && SITE_RE.test(s);

/** Member and device key ids: printable ASCII without '/' (keys must not collide in the key space). */
const KEY_ID_RE = /^[\x21-\x2e\x30-\x7e]{1,128}$/;
export const isKeyId = (s: unknown): s is string => typeof s === 'string' && KEY_ID_RE.test(s);

export function location(op: Fields, field: string): Location {
  const v = field_(op, field);
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    fail('LOCATION_INVALID', `${field} must be an object`);
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  if (keys.length === 1 && keys[0] === 'site') {
    if (!isSiteId(o.site)) fail('LOCATION_INVALID', `${field}.site must be a site id`);
    return { site: o.site };
  }
  const pos = coordinates(o, keys);
  if (pos) return pos;
  return fail(
    'LOCATION_INVALID',
    `${field} must be {site}, {lat, lon} in degrees or {latE6, lonE6} in range`,
  );
}

/**
 * Coordinates given as {lat, lon} in degrees (any finite number: handy in process and in JSON) or as
 * {latE6, lonE6} integer micro-degrees (what a CBOR client sends, the profile has no floats); both
 * become the stored Position.
 */
export function coordinates(o: Record<string, unknown>, keys: readonly string[]): Position | undefined {
  if (keys.length === 2 && keys[0] === 'lat' && keys[1] === 'lon' && isLatLon(o)) return toPosition(o);
  if (keys.length === 2 && keys[0] === 'latE6' && keys[1] === 'lonE6' && isPosition(o)) {
    return { latE6: o.latE6, lonE6: o.lonE6 };
  }
  return undefined;
}
