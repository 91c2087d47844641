/** Byte helpers shared by the crypto suites. */

/** Copies a Buffer (possibly a view into Node's shared pool) into a standalone Uint8Array. */
export function toBytes(b: Uint8Array): Uint8Array {
  return new Uint8Array(b);
}

export function bytesToBigInt(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex')}`);
}

export function bigIntToBytes(n: bigint, length: number): Uint8Array {
  const hex = n.toString(16).padStart(length * 2, '0');
  if (hex.length > length * 2) throw new RangeError(`integer does not fit in ${length} bytes`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** Cache key for a byte string: base64 is compact and unambiguous. */
export function cacheKey(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64');
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
