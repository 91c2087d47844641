// What the end-to-end tests drive: a network of 4 validators with the dashboard served by the first.
// Today the mock (mock-api.ts); a devnet adapter implementing the same interface can replace it (see
// docs/dashboard.md), selected by QM_E2E_NETWORK.
import { startMockNetwork } from './mock-api';

export interface NetworkUnderTest {
  /** Where the dashboard is served (the first validator's HTTP address). */
  readonly url: string;
  /** Validators by name, with their node ids as the dashboard shows them in data-node. */
  readonly validators: readonly { readonly name: string; readonly nodeId: string }[];
  /** A UII with a history, and the hash of a transaction in a ledger (for a receipt). */
  readonly itemUii: string;
  readonly receiptTxHash: string;
  /** An NSN with stock on hand (dashes allowed). */
  readonly stockNsn: string;
  /** The network's genesis file (JSON text), loaded into the receipt verifier. */
  readonly genesisFile: string;
  stop(names: readonly string[]): Promise<void>;
  start(names: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export async function startNetworkUnderTest(): Promise<NetworkUnderTest> {
  const kind = process.env.QM_E2E_NETWORK ?? 'mock';
  if (kind === 'mock') return startMockNetwork();
  // A devnet adapter: export `startNetworkUnderTest` from the module named by QM_E2E_NETWORK.
  const mod = (await import(kind)) as { startNetworkUnderTest: () => Promise<NetworkUnderTest> };
  return mod.startNetworkUnderTest();
}
