// What a logistics search string is: a UII (MIL-STD-130), an NSN (FSC + NIIN), a location or an
// organization code (DoDAAC, 6 characters; CAGE, 5).

export type SearchKind = 'uii' | 'nsn' | 'location' | 'org';

const NSN = /^[0-9]{4}-?[0-9A-Z]{2}-?[0-9A-Z]{3}-?[0-9A-Z]{4}$/;
const UII = /^[A-Z0-9/-]{1,50}$/;

/** Normalizes an NSN to 1234-56-789-0123 (structure only: no check digit exists). */
export function normalizeNsn(s: string): string | null {
  const t = s.trim().toUpperCase();
  if (!NSN.test(t)) return null;
  const d = t.replace(/-/g, '');
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 9)}-${d.slice(9)}`;
}

/** Guesses the kind of a query when the user left it on "auto". */
export function classifyQuery(q: string): SearchKind | null {
  const t = q.trim().toUpperCase();
  if (t === '') return null;
  if (normalizeNsn(t)) return 'nsn';
  if (/^[A-Z0-9]{5,6}$/.test(t) && /[0-9]/.test(t) && /[A-Z]/.test(t) && t.length === 6) return 'location';
  if (UII.test(t)) return 'uii';
  return 'location';
}
