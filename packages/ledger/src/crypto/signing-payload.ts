/**
 * What a signature covers. Every signature in Quartermaster is over
 *
 *   CBOR ["qm-sig-v1", networkId, domainTag, bytes]
 *
 * (deterministic CBOR, see docs/formats.md), so a signature made for one network never verifies on
 * another (the network id is the hash of its genesis), and a signature made for one kind of message
 * (a transaction, an SCP statement, a device scan, ...) never verifies as another kind (the domain tag),
 * whatever the bytes happen to look like. Length-prefixed CBOR framing keeps the parts unambiguous.
 */
import { encode } from '../encoding/encode.js';
import { LedgerError } from '../errors.js';

export const SIGNING_PAYLOAD_VERSION = 'qm-sig-v1';
export const NETWORK_ID_BYTES = 32;
/** Lower-case ASCII, digits and `.`, `_`, `/`, `-`; starts with a letter or digit; at most 64 characters. */
export const DOMAIN_TAG_PATTERN = /^[a-z0-9][a-z0-9._/-]{0,63}$/;

export function signingPayload(networkId: Uint8Array, domainTag: string, bytes: Uint8Array): Uint8Array {
  if (!(networkId instanceof Uint8Array) || networkId.length !== NETWORK_ID_BYTES) {
    throw new LedgerError('CRYPTO_BAD_NETWORK_ID', `network id must be ${NETWORK_ID_BYTES} bytes`);
  }
  if (typeof domainTag !== 'string' || !DOMAIN_TAG_PATTERN.test(domainTag)) {
    throw new LedgerError('CRYPTO_BAD_DOMAIN_TAG', `invalid domain tag ${JSON.stringify(domainTag)}`);
  }
  return encode([SIGNING_PAYLOAD_VERSION, networkId, domainTag, bytes]);
}
