/** The ledger format vectors printed in docs/ledger.md (checked by vectors.test.ts). */
import {
  canonicalJson,
  encodeHeader,
  encodeLeaf,
  encodeResult,
  headerHash,
  type LedgerHeader,
  resultsHash,
  stateCommitment,
  txSetHash,
  ZERO_HASH,
} from '../../src/ledger/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const fill = (n: number) => new Uint8Array(32).fill(n);

export function ledgerVectors(): Record<string, string> {
  const header: LedgerHeader = {
    protocolVersion: 1,
    networkId: fill(1),
    sequence: 7,
    previousHash: fill(2),
    closeTime: 1_800_000_000,
    txSetHash: fill(3),
    resultsHash: fill(4),
    stateCommitment: fill(5),
    logRoot: fill(6),
    logSize: 12,
  };
  const result = encodeResult({ code: 'TX_SUCCESS', txHash: hex(fill(9)), operations: [{ ok: true }] });
  return {
    'ledger-header': hex(encodeHeader(header)),
    'ledger-header-hash': hex(headerHash(header)),
    'tx-set-hash': hex(txSetHash(fill(2), [new Uint8Array([0xa0]), new Uint8Array([0x01, 0x02])])),
    'results-hash': hex(resultsHash([result])),
    'result-jcs': canonicalJson({ code: 'TX_SUCCESS', txHash: hex(fill(9)), operations: [{ ok: true }] }),
    'log-leaf': hex(encodeLeaf(3, 1, new Uint8Array([0xa0]), result)),
    'state-commitment': hex(
      stateCommitment(ZERO_HASH, 1, [
        { key: 'item/D0CVA5SN1', value: { lat: 41.18, quantity: 3 } },
        { key: 'stock/x', value: null },
      ]),
    ),
  };
}
