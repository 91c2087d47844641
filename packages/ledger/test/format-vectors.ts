/**
 * The test vectors published in docs/formats.md, computed by the code. formats.test.ts checks that
 * the document and the code agree; print them with `npx tsx packages/ledger/test/format-vectors.ts`.
 */
import { ed25519, sha256, signingPayload } from '../src/crypto/index.js';
import { encode } from '../src/encoding/index.js';
import { encodeId, ID_KINDS } from '../src/ids/index.js';
import { leafHash, MerkleLog } from '../src/merkle/index.js';
import {
  encodeEnvelope,
  encodeTransaction,
  type Transaction,
  txHash,
  txSigningPayload,
} from '../src/tx/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const fromHex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
const utf8 = (s: string) => new TextEncoder().encode(s);

export function formatVectors(): Record<string, string> {
  const v: Record<string, string> = {};

  v['cbor-example'] = hex(
    encode({
      type: 'registerItem',
      uii: 'D0CVA5674A36458',
      qty: 3,
      big: 18446744073709551615n,
      neg: -500,
      raw: new Uint8Array([1, 2]),
      ok: true,
      none: null,
      tags: [1, 'a'],
    }),
  );

  const pattern = new Uint8Array(32).map((_, i) => i);
  for (const kind of ID_KINDS) v[`id-${kind}`] = encodeId(kind, pattern);

  const networkId = sha256(utf8('qm test network'));
  v['network-id'] = hex(networkId);
  v['signing-payload'] = hex(signingPayload(networkId, 'qm/tx/v1', fromHex('00010203')));

  const ct = new MerkleLog();
  for (const h of [
    '',
    '00',
    '10',
    '2021',
    '3031',
    '40414243',
    '5051525354555657',
    '606162636465666768696a6b6c6d6e6f',
  ]) {
    ct.append(fromHex(h));
  }
  v['merkle-leaf-empty'] = hex(leafHash(new Uint8Array()));
  v['merkle-root-8'] = hex(ct.root(8));
  v['merkle-inclusion-5-8'] = ct.inclusionProof(5, 8).map(hex).join('\n');
  v['merkle-consistency-3-8'] = ct.consistencyProof(3, 8).map(hex).join('\n');

  // Key: RFC 8032 §7.1 TEST 1 secret, so the public key is checkable against the RFC.
  const secret = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
  const publicKey = ed25519.publicKeyFromPrivate(secret);
  const tx: Transaction = {
    networkId,
    source: publicKey,
    seq: 1n,
    timeBounds: { minTime: 0, maxTime: 0 },
    operations: [{ type: 'scan', tag: 'D0CVA5674A36458', lat: 38889484, lon: -77035278 }],
  };
  const payload = txSigningPayload(tx);
  const signature = ed25519.sign(secret, payload);
  v['tx-source-member-id'] = encodeId('member', publicKey);
  v['tx-body'] = hex(encodeTransaction(tx));
  v['tx-hash'] = hex(txHash(tx));
  v['tx-id'] = encodeId('tx', txHash(tx));
  v['tx-signing-payload'] = hex(payload);
  v['tx-signature'] = hex(signature);
  v['tx-envelope'] = hex(encodeEnvelope({ ...tx, signatures: [{ publicKey, signature }] }));
  return v;
}

if (process.argv[1]?.endsWith('format-vectors.ts')) {
  for (const [name, value] of Object.entries(formatVectors())) console.log(`${name}:\n${value}\n`);
}
