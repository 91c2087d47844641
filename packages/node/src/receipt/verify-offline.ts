// What an auditor runs with nothing but the network's genesis file: the receipt's own proof (tx, result,
// Merkle inclusion, header) and the quorum of SCP statements that externalized its ledger.
import {
  type GenesisDescription,
  trustFromGenesis,
  type VerifyReceiptResult,
  verifyReceipt,
} from '@qm/ledger';
import { scpVerifierFor } from './scp-verifier.js';

export function verifyReceiptOffline(receipt: Uint8Array, genesis: GenesisDescription): VerifyReceiptResult {
  return verifyReceipt(receipt, trustFromGenesis(genesis), { verifyScp: scpVerifierFor(genesis) });
}
