import { createHash } from 'node:crypto';
import { toBytes } from './bytes.js';

/** SHA-256 (FIPS 180-4) of the concatenation of `parts`, without materializing the concatenation. */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return toBytes(h.digest());
}
