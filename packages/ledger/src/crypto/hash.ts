import * as crypto from 'node:crypto';
import { toBytes } from './bytes.js';

/** crypto.hash (Node >= 20.12): one call into OpenSSL, about 3x cheaper than a Hash object for small data. */
const oneShot = (crypto as { hash?: (alg: string, data: Uint8Array, enc: 'buffer') => Buffer }).hash;

/** SHA-256 (FIPS 180-4) of the concatenation of `parts`. */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  if (oneShot !== undefined) {
    // Small inputs (the common case) are cheaper joined and hashed in one call than streamed.
    const data = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    return toBytes(oneShot('sha256', data, 'buffer'));
  }
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return toBytes(h.digest());
}
