/**
 * Network parameters: the domain's tunable limits, changed only by setParameter with admin approvals.
 * Every parameter has bounds, so that no vote can set a value that breaks the ledger (e.g. zero approvals).
 */

export interface NetworkParams {
  /** Distinct active admins whose signatures a governance operation needs. */
  adminApprovals: number;
  /** How long a custody offer may stay pending before checkExpiredOffers expires it and raises an alert. */
  custodyOfferTtlSeconds: number;
  /** A scan farther than this from the item's recorded location raises an alert. */
  scanDistanceMaxMeters: number;
  /** Two scans of one item implying a faster journey than this raise an alert (impossible travel). */
  scanSpeedMaxMetersPerSecond: number;
  /** A scan may be stamped at most this far after the ledger's close time (device clock skew). */
  scanClockSkewSeconds: number;
  /** A scan older than this (relative to close time) is rejected. */
  scanMaxAgeSeconds: number;
  /** Operations per transaction. */
  maxOpsPerTx: number;
  /** Components directly installed in one assembly. */
  maxComponents: number;
  /** Nesting depth of assemblies (aircraft > engine > module > part ...). */
  maxAssemblyDepth: number;
}

export interface ParamSpec {
  default: number;
  min: number;
  max: number;
  meaning: string;
}

const DAY = 86_400;

export const PARAM_SPECS: Readonly<Record<keyof NetworkParams, ParamSpec>> = {
  adminApprovals: { default: 1, min: 1, max: 100, meaning: 'admin signatures a governance operation needs' },
  custodyOfferTtlSeconds: { default: 7 * DAY, min: 60, max: 365 * DAY, meaning: 'custody offer lifetime' },
  scanDistanceMaxMeters: {
    default: 5_000,
    min: 1,
    max: 20_050_000,
    meaning: 'scan distance alert threshold',
  },
  scanSpeedMaxMetersPerSecond: { default: 300, min: 1, max: 10_000, meaning: 'impossible-travel speed' },
  scanClockSkewSeconds: { default: 300, min: 0, max: DAY, meaning: 'scan time allowed after close time' },
  scanMaxAgeSeconds: { default: 7 * DAY, min: 60, max: 365 * DAY, meaning: 'oldest scan accepted' },
  maxOpsPerTx: { default: 100, min: 1, max: 10_000, meaning: 'operations per transaction' },
  maxComponents: { default: 1_000, min: 1, max: 100_000, meaning: 'components per assembly' },
  maxAssemblyDepth: { default: 8, min: 1, max: 64, meaning: 'assembly nesting depth' },
};

export const PARAM_NAMES = Object.keys(PARAM_SPECS).sort() as (keyof NetworkParams)[];

export function defaultParams(): NetworkParams {
  const out = {} as NetworkParams;
  for (const name of PARAM_NAMES) out[name] = PARAM_SPECS[name].default;
  return out;
}

export const isParamName = (name: unknown): name is keyof NetworkParams =>
  typeof name === 'string' && Object.hasOwn(PARAM_SPECS, name);

export function isValidParamValue(name: keyof NetworkParams, value: unknown): value is number {
  const spec = PARAM_SPECS[name];
  return Number.isSafeInteger(value) && (value as number) >= spec.min && (value as number) <= spec.max;
}
