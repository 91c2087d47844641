// Builds a chain of ledger headers (genesis first) for receipt fixtures, hashed as packages/ledger does.
import { createHash } from 'node:crypto';
import { bytesToHex, cborEncode, type LedgerHeader } from '../src/verify';

export const sha256Sync = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());
export const EMPTY_ROOT = sha256Sync(new Uint8Array());

export function headerHashSync(h: LedgerHeader): Uint8Array {
  return sha256Sync(cborEncode({ ...h }));
}

export interface Log {
  readonly logRoot: Uint8Array;
  readonly logSize: number;
}

/** Headers 0..count-1; `logAt(seq)` gives each ledger's log (default: empty). */
export function buildChain(
  count: number,
  logAt: (seq: number) => Log | undefined,
  networkId: Uint8Array = sha256Sync(new TextEncoder().encode('qm test network')),
): LedgerHeader[] {
  const out: LedgerHeader[] = [];
  let previousHash = new Uint8Array(32);
  for (let seq = 0; seq < count; seq++) {
    const log = logAt(seq) ?? out.at(-1) ?? { logRoot: EMPTY_ROOT, logSize: 0 };
    const seed = (k: number) => sha256Sync(Uint8Array.of(seq, k));
    const h: LedgerHeader = {
      protocolVersion: 1,
      networkId,
      sequence: seq,
      previousHash,
      closeTime: 1_795_000_000 + seq * 5,
      txSetHash: seed(1),
      resultsHash: seed(2),
      stateCommitment: seed(3),
      logRoot: log.logRoot,
      logSize: log.logSize,
    };
    out.push(h);
    previousHash = new Uint8Array(headerHashSync(h));
  }
  return out;
}

/** A header as the API sends it: bytes as lowercase hex. */
export function headerJson(h: LedgerHeader): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(h).map(([k, v]) => [k, v instanceof Uint8Array ? bytesToHex(v) : (v as number)]),
  );
}
