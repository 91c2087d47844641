/**
 * Worker thread of the ledger-pipeline benchmark: verifies transaction signatures off the main thread,
 * as a node's herder would when transactions arrive. Gets a batch of envelope bytes, answers one flag per
 * envelope: true when it decodes and every signature verifies (verifyEnvelope). The main thread only
 * skips verification for envelopes flagged true; anything else it checks itself, so a worker can never
 * change an outcome.
 */
import { parentPort } from 'node:worker_threads';
import { decodeEnvelope, getSuite, verifyEnvelope } from '@qm/ledger';

export interface VerifyRequest {
  id: number;
  envelopes: Uint8Array[];
}
export interface VerifyResponse {
  id: number;
  ok: boolean[];
}

const suite = getSuite('ed25519');

function check(bytes: Uint8Array): boolean {
  try {
    return verifyEnvelope(decodeEnvelope(bytes), suite).ok;
  } catch {
    return false; // malformed: the main thread's close gives it TX_MALFORMED
  }
}

parentPort!.on('message', (req: VerifyRequest) => {
  const res: VerifyResponse = { id: req.id, ok: req.envelopes.map(check) };
  parentPort!.postMessage(res);
});
