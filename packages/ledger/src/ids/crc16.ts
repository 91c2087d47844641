/**
 * CRC-16/XMODEM (poly 0x1021, init 0, no reflection, no final xor), as in Stellar's strkey.
 * A 16-bit CRC detects every burst error of up to 16 bits, so any single base32 character
 * substitution (a 5-bit burst) or adjacent transposition (a 10-bit burst) is always caught.
 */
export function crc16xmodem(data: Uint8Array): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}
