/**
 * Identifiers of the logistics domain: NSN, UII (IUID), CAGE, DoDAAC, DUNS and supply condition codes.
 *
 * Validators return a result value instead of throwing: they run on untrusted operation fields, and a
 * bad identifier is an ordinary, coded rejection (see DESIGN.md, principle 7).
 */

export type IdResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

const ok = <T>(value: T): IdResult<T> => ({ ok: true, value });
const bad = <T>(code: string, message: string): IdResult<T> => ({ ok: false, code, message });

// ---------------------------------------------------------------------------------------------------
// NSN: National Stock Number = FSC (4 digits) + NIIN (9 characters), written 1234-56-789-0123.
// The NIIN opens with a 2-digit NATO Codification Bureau (NCB) code. There is no check digit and NIINs
// are never reused; some positions after the NCB may be letters (locally assigned and NATO-allocated
// numbers), so we validate structure rather than "13 digits".
// ---------------------------------------------------------------------------------------------------

export interface Nsn {
  /** Canonical form stored in the ledger: 13 characters without separators. */
  nsn: string;
  fsc: string;
  niin: string;
  /** NATO Codification Bureau code: the NIIN's first two characters. */
  ncb: string;
}

const FSC_RE = /^[0-9]{4}$/;
const NIIN_RE = /^[0-9]{2}[0-9A-Z]{7}$/;
const NSN_DASHED_RE = /^([0-9A-Z]{4})-([0-9A-Z]{2})-([0-9A-Z]{3})-([0-9A-Z]{4})$/;

/** Parses an NSN given as 13 characters or in the dashed form 1234-56-789-0123. */
export function parseNsn(input: unknown): IdResult<Nsn> {
  if (typeof input !== 'string') return bad('NSN_MALFORMED', 'NSN must be a string');
  let compact = input;
  const dashed = NSN_DASHED_RE.exec(input);
  if (dashed) compact = dashed.slice(1).join('');
  if (compact.length !== 13) {
    return bad('NSN_MALFORMED', `NSN must be 13 characters (FSC 4 + NIIN 9), got ${JSON.stringify(input)}`);
  }
  const fsc = compact.slice(0, 4);
  const niin = compact.slice(4);
  if (!FSC_RE.test(fsc)) return bad('NSN_MALFORMED', `FSC ${JSON.stringify(fsc)} must be 4 digits`);
  if (!NIIN_RE.test(niin)) {
    return bad(
      'NSN_MALFORMED',
      `NIIN ${JSON.stringify(niin)} must be a 2-digit country bureau code and 7 upper-case letters or digits`,
    );
  }
  return ok({ nsn: compact, fsc, niin, ncb: niin.slice(0, 2) });
}

/** Formats a canonical (or dashed) NSN as 1234-56-789-0123. */
export function formatNsn(input: string): string {
  const r = parseNsn(input);
  if (!r.ok) throw new TypeError(r.message);
  const n = r.value.nsn;
  return `${n.slice(0, 4)}-${n.slice(4, 6)}-${n.slice(6, 9)}-${n.slice(9)}`;
}

/** A few NATO Codification Bureau codes, for display only (not used for validation). */
const NCB_NAMES: Readonly<Record<string, string>> = {
  '00': 'United States',
  '01': 'United States',
  '11': 'NATO',
  '12': 'Germany',
  '13': 'Belgium',
  '14': 'France',
  '15': 'Italy',
  '17': 'Netherlands',
  '21': 'Canada',
  '22': 'Denmark',
  '66': 'Australia',
  '98': 'New Zealand',
  '99': 'United Kingdom',
};

/** The country (or NATO) of an NCB code, where known. */
export function countryBureau(ncb: string): string | undefined {
  if (/^0[0-9]$/.test(ncb)) return 'United States';
  return NCB_NAMES[ncb];
}

// ---------------------------------------------------------------------------------------------------
// CAGE, DoDAAC, DUNS: enterprise identifiers.
// ---------------------------------------------------------------------------------------------------

const CAGE_RE = /^[A-Z0-9]{5}$/;
const DODAAC_RE = /^[A-Z0-9]{6}$/;
const DUNS_RE = /^[0-9]{9}$/;
const GS1_PREFIX_RE = /^[0-9]{6,12}$/;

/** CAGE code: 5 upper-case letters or digits, no check digit. */
export const isCage = (s: unknown): s is string => typeof s === 'string' && CAGE_RE.test(s);
/** DoD Activity Address Code: 6 upper-case letters or digits. */
export const isDodaac = (s: unknown): s is string => typeof s === 'string' && DODAAC_RE.test(s);
/** DUNS number: 9 digits. */
export const isDuns = (s: unknown): s is string => typeof s === 'string' && DUNS_RE.test(s);

// ---------------------------------------------------------------------------------------------------
// UII per MIL-STD-130 (IUID). Construct 1 = issuing agency code + enterprise id + serial; construct 2
// adds the original part number (or lot) before the serial. The issuing agency code is not marked on
// the item but implied by the enterprise id qualifier: D (CAGE), UN (DUNS), LD (DoDAAC), none (GS1).
// ---------------------------------------------------------------------------------------------------

export const UII_MAX_LENGTH = 50;
const UII_RE = /^[A-Z0-9/-]+$/;
/** Data elements (serial, part/lot number) use the same character set as the UII itself. */
const ELEMENT_RE = /^[A-Z0-9/-]+$/;

export type EnterpriseQualifier = 'D' | 'UN' | 'LD' | '';

export interface UiiParts {
  /** D = CAGE, UN = DUNS, LD = DoDAAC, '' = GS1 company prefix. */
  qualifier: EnterpriseQualifier;
  enterpriseId: string;
  /** Construct 2 only: the original part number or lot number. */
  partNumber?: string;
  serial: string;
}

/** Checks the UII's character set and length (the structure left on the marked item). */
export function validateUii(uii: unknown): IdResult<string> {
  if (typeof uii !== 'string' || uii.length === 0)
    return bad('UII_MALFORMED', 'UII must be a non-empty string');
  if (uii.length > UII_MAX_LENGTH) {
    return bad('UII_MALFORMED', `UII is ${uii.length} characters; at most ${UII_MAX_LENGTH} are allowed`);
  }
  if (!UII_RE.test(uii))
    return bad('UII_MALFORMED', `UII ${JSON.stringify(uii)} may hold only A-Z, 0-9, '-', '/'`);
  return ok(uii);
}

/** Builds a UII from its data elements (construct 1, or construct 2 when a part/lot number is given). */
export function deriveUii(parts: UiiParts): IdResult<string> {
  const { qualifier, enterpriseId, partNumber, serial } = parts;
  const idOk =
    qualifier === 'D'
      ? isCage(enterpriseId)
      : qualifier === 'UN'
        ? isDuns(enterpriseId)
        : qualifier === 'LD'
          ? isDodaac(enterpriseId)
          : qualifier === ''
            ? typeof enterpriseId === 'string' && GS1_PREFIX_RE.test(enterpriseId)
            : false;
  if (!idOk) {
    return bad(
      'UII_MALFORMED',
      `enterprise id ${JSON.stringify(enterpriseId)} does not fit qualifier '${qualifier}'`,
    );
  }
  if (typeof serial !== 'string' || !ELEMENT_RE.test(serial)) {
    return bad('UII_MALFORMED', `serial ${JSON.stringify(serial)} may hold only A-Z, 0-9, '-', '/'`);
  }
  if (partNumber !== undefined && (typeof partNumber !== 'string' || !ELEMENT_RE.test(partNumber))) {
    return bad(
      'UII_MALFORMED',
      `part/lot number ${JSON.stringify(partNumber)} may hold only A-Z, 0-9, '-', '/'`,
    );
  }
  return validateUii(qualifier + enterpriseId + (partNumber ?? '') + serial);
}

/** Serial numbers as marked: 1..30 characters of A-Z, 0-9, '-', '/'. */
export const isSerial = (s: unknown): s is string =>
  typeof s === 'string' && s.length >= 1 && s.length <= 30 && ELEMENT_RE.test(s);

// ---------------------------------------------------------------------------------------------------
// Supply condition codes, per DLM 4000.25 (formerly DoD 4000.25-2-M, MILSTRAP), Volume 2, Appendix
// "Supply Condition Codes". Grouped as the manual groups them; the group decides what an item may do
// (only serviceable items are installed).
// ---------------------------------------------------------------------------------------------------

export type ConditionGroup = 'serviceable' | 'unserviceable' | 'suspended';

export const CONDITION_CODES: Readonly<Record<string, { group: ConditionGroup; meaning: string }>> = {
  A: { group: 'serviceable', meaning: 'Serviceable (issuable without qualification)' },
  B: { group: 'serviceable', meaning: 'Serviceable (issuable with qualification)' },
  C: { group: 'serviceable', meaning: 'Serviceable (priority issue)' },
  D: { group: 'serviceable', meaning: 'Serviceable (test/modification)' },
  E: { group: 'unserviceable', meaning: 'Unserviceable (limited restoration)' },
  F: { group: 'unserviceable', meaning: 'Unserviceable (reparable)' },
  G: { group: 'unserviceable', meaning: 'Unserviceable (incomplete)' },
  H: { group: 'unserviceable', meaning: 'Unserviceable (condemned)' },
  J: { group: 'suspended', meaning: 'Suspended (in stock)' },
  K: { group: 'suspended', meaning: 'Suspended (returns)' },
  L: { group: 'suspended', meaning: 'Suspended (litigation)' },
  M: { group: 'suspended', meaning: 'Suspended (in work)' },
  N: { group: 'suspended', meaning: 'Suspended (ammunition suitable for emergency combat use only)' },
  P: { group: 'unserviceable', meaning: 'Unserviceable (reclamation)' },
  Q: { group: 'suspended', meaning: 'Suspended (product quality deficiency)' },
  R: { group: 'suspended', meaning: 'Suspended (reclaimed items, awaiting condition determination)' },
  S: { group: 'unserviceable', meaning: 'Unserviceable (scrap)' },
  T: { group: 'serviceable', meaning: 'Serviceable (ammunition suitable for training use only)' },
  V: { group: 'unserviceable', meaning: 'Unserviceable (waste military munitions)' },
  X: { group: 'suspended', meaning: 'Suspended (repair decision delayed)' },
};

export const isConditionCode = (c: unknown): c is string =>
  typeof c === 'string' && c.length === 1 && Object.hasOwn(CONDITION_CODES, c);

export const isServiceable = (c: string): boolean => CONDITION_CODES[c]?.group === 'serviceable';

/** Condition H: the item is condemned; the ledger moves its status to 'condemned'. */
export const CONDEMNED_CONDITION = 'H';
