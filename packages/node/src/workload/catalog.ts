/**
 * The demo's reference data: real places for depots and flight lines, and item classes with realistic
 * NSNs, nomenclatures, manufacturers (CAGE) and life limits. NSNs here are structurally valid and
 * plausible for their Federal Supply Class; they are demo data, not catalogue look-ups.
 */
import type { LifeLimits } from '@qm/ledger';

export interface SiteTemplate {
  suffix: string;
  name: string;
  latE6: number;
  lonE6: number;
}

/** Two sites per organization: its depot and the flight line it supports, by service. */
const SITE_PAIRS: readonly (readonly [SiteTemplate, SiteTemplate])[] = [
  [
    { suffix: 'DEPOT', name: 'Corpus Christi Army Depot', latE6: 27_693_600, lonE6: -97_291_100 },
    { suffix: 'LINE', name: 'Robert Gray Army Airfield', latE6: 31_067_200, lonE6: -97_828_900 },
  ],
  [
    { suffix: 'DEPOT', name: 'Fleet Logistics Center Norfolk', latE6: 36_946_600, lonE6: -76_313_300 },
    { suffix: 'LINE', name: 'Naval Air Station Oceana', latE6: 36_820_700, lonE6: -76_033_500 },
  ],
  [
    { suffix: 'DEPOT', name: 'Ogden Air Logistics Complex', latE6: 41_123_900, lonE6: -111_973_100 },
    { suffix: 'LINE', name: 'Mountain Home Air Force Base', latE6: 43_043_600, lonE6: -115_872_200 },
  ],
  [
    { suffix: 'DEPOT', name: 'Marine Corps Logistics Base Albany', latE6: 31_546_800, lonE6: -84_056_900 },
    { suffix: 'LINE', name: 'Marine Corps Air Station Cherry Point', latE6: 34_900_800, lonE6: -76_880_700 },
  ],
  [
    { suffix: 'DEPOT', name: 'DLA Distribution Susquehanna', latE6: 40_222_700, lonE6: -76_850_500 },
    { suffix: 'LINE', name: 'DLA Distribution Oklahoma City', latE6: 35_414_700, lonE6: -97_386_600 },
  ],
];

/** Sites of the i-th organization; past the fifth, the templates repeat about 11 km further north. */
export function sitesForOrg(
  orgCode: string,
  i: number,
): { id: string; name: string; latE6: number; lonE6: number }[] {
  const pair = SITE_PAIRS[i % SITE_PAIRS.length]!;
  const shift = Math.floor(i / SITE_PAIRS.length) * 100_000;
  return pair.map((t) => ({
    id: `${orgCode}-${t.suffix}`,
    name: shift === 0 ? t.name : `${t.name} annex ${Math.floor(i / SITE_PAIRS.length)}`,
    latE6: t.latE6 + shift,
    lonE6: t.lonE6,
  }));
}

export type SerializedKind = 'engine' | 'disk' | 'blade';
export type BulkKind = 'oring-kit' | 'hydraulic-fluid' | 'filter';

export interface ClassTemplate<K extends string> {
  kind: K;
  nsn: string;
  nomenclature: string;
  unitOfIssue: string;
  lifeLimits?: LifeLimits;
}

export interface SerializedTemplate extends ClassTemplate<SerializedKind> {
  /** Manufacturer CAGE: the UII's enterprise id (construct 1). */
  cage: string;
  /** How many each organization holds at the start. */
  perOrg: number;
  serial: (org: number, n: number) => string;
}

export const SERIALIZED: readonly SerializedTemplate[] = [
  {
    kind: 'engine',
    nsn: '2840-01-379-0822',
    nomenclature: 'ENGINE, AIRCRAFT, TURBOFAN (F110-GE-129)',
    unitOfIssue: 'EA',
    lifeLimits: { hours: 6000, cycles: 8000 },
    cage: '07482', // GE Aviation, Evendale
    perOrg: 2,
    serial: (org, n) => `GE${538201 + org * 10 + n}`,
  },
  {
    kind: 'disk',
    nsn: '2840-01-462-3157',
    nomenclature: 'DISK, COMPRESSOR, AIRCRAFT GAS TURBINE ENGINE (FAN STAGE 1)',
    unitOfIssue: 'EA',
    // Fan disks are life-limited parts: low-cycle fatigue, counted in engine cycles.
    lifeLimits: { cycles: 4000 },
    cage: '07482',
    perOrg: 3,
    serial: (org, n) => `FD${24101 + org * 10 + n}`,
  },
  {
    kind: 'blade',
    nsn: '1615-01-516-6700',
    nomenclature: 'BLADE, ROTARY WING (MAIN ROTOR, UH-60M)',
    unitOfIssue: 'EA',
    lifeLimits: { hours: 10000 },
    cage: '78286', // Sikorsky Aircraft, Stratford
    perOrg: 4,
    serial: (org, n) => `A15-${2201 + org * 10 + n}`,
  },
];

export interface BulkTemplate extends ClassTemplate<BulkKind> {
  lot: (org: number) => string;
  /** Opening quantity at each depot. */
  initial: number;
}

export const BULK: readonly BulkTemplate[] = [
  {
    kind: 'oring-kit',
    // A UK-codified NIIN (bureau 99): NIINs are validated by structure, not by country.
    nsn: '5330-99-736-1582',
    nomenclature: 'O-RING KIT, PREFORMED PACKING (HYDRAULIC)',
    unitOfIssue: 'KT',
    lot: (org) => `L24-${117 + org}`,
    initial: 200,
  },
  {
    kind: 'hydraulic-fluid',
    nsn: '9150-00-149-7432',
    nomenclature: 'HYDRAULIC FLUID, FIRE RESISTANT (MIL-PRF-83282), 1 QT',
    unitOfIssue: 'QT',
    lot: (org) => `B5${310 + org}`,
    initial: 480,
  },
  {
    kind: 'filter',
    nsn: '4330-01-286-6781',
    nomenclature: 'FILTER ELEMENT, FLUID (HYDRAULIC RETURN)',
    unitOfIssue: 'EA',
    lot: () => '',
    initial: 60,
  },
];

export const MAINTENANCE_ACTIONS: Record<SerializedKind, readonly string[]> = {
  engine: [
    'Borescope inspection, HPT stage 1',
    'Oil filter change and spectrometric oil analysis sample',
    'Phase inspection, 200 h',
    'Replaced main fuel pump',
    'Compressor water wash',
  ],
  disk: ['Eddy current inspection of bolt holes', 'Fluorescent penetrant inspection'],
  blade: ['Tip cap inspection', 'Erosion strip replaced', 'Balance check, main rotor'],
};

export const DEFECTS: readonly string[] = [
  'Foreign object damage found on inspection',
  'Corrosion beyond limits',
  'Crack indication, awaiting engineering disposition',
];
