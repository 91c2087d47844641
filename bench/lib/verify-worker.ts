/**
 * Worker thread of the ledger-pipeline benchmark: verifies transaction signatures off the main thread,
 * as a node's herder would when transactions arrive. Gets a chunk of envelope bytes, answers one flag per
 * envelope: true when it decodes and every signature verifies (verifyEnvelope). The main thread only
 * skips verification for envelopes flagged true; anything else it checks itself, so a worker can never
 * change an outcome.
 *
 * Work sharing: each chunk has a claim slot in a SharedArrayBuffer (0 = free, 1 = a worker took it,
 * 2 = the main thread took it). A worker claims the chunk before verifying it; a chunk the main thread
 * claimed first (because it reached that ledger before any worker reached the chunk) is answered
 * `skipped`, and the main thread's close verifies it instead, so no thread idles on another's queue.
 */
import { parentPort } from 'node:worker_threads';
import { decodeEnvelope, getSuite, verifyEnvelope } from '@qm/ledger';

export const CLAIM_FREE = 0;
export const CLAIM_WORKER = 1;
export const CLAIM_MAIN = 2;

export interface VerifyRequest {
  id: number;
  envelopes: Uint8Array[];
  /** Claim slots of this chunk's ledger (Int32Array on a SharedArrayBuffer), and this chunk's slot. */
  claims: Int32Array;
  slot: number;
}
export interface VerifyResponse {
  id: number;
  /** One flag per envelope, or null when the main thread had claimed the chunk. */
  ok: boolean[] | null;
}

const suite = getSuite('ed25519');

function check(bytes: Uint8Array): boolean {
  try {
    return verifyEnvelope(decodeEnvelope(bytes), suite).ok;
  } catch {
    return false; // malformed: the main thread's close gives it TX_MALFORMED
  }
}

parentPort?.on('message', (req: VerifyRequest) => {
  const mine = Atomics.compareExchange(req.claims, req.slot, CLAIM_FREE, CLAIM_WORKER) === CLAIM_FREE;
  const res: VerifyResponse = { id: req.id, ok: mine ? req.envelopes.map(check) : null };
  parentPort?.postMessage(res);
});
