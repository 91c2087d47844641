export { base32Decode, base32Encode } from './base32.js';
export { crc16xmodem } from './crc16.js';
export { type DecodedId, decodeId, encodeId, ID_KINDS, type IdKind, isId } from './strkey.js';
