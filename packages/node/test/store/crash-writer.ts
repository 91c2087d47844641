/**
 * Child process of the crash test: opens the SQLite store at argv[2] (creating the genesis ledger if it
 * is empty) and closes workload ledgers as fast as it can until it is killed, printing each sequence.
 */
import { SqliteLedgerStore } from '../../src/store/index.js';
import { closeNext, workloadGenesis } from './workload.js';

const path = process.argv[2];
const max = Number(process.argv[3] ?? '1000000');
if (path === undefined) throw new Error('usage: crash-writer.ts DB_PATH [MAX_LEDGER]');
const store = new SqliteLedgerStore(path, { synchronous: 'NORMAL' });
const genesis = workloadGenesis();
if (store.lastClosed() === null) store.putClosedLedger(genesis, []);
while (store.lastClosed()!.sequence < max) {
  const r = closeNext(store, genesis.networkId);
  process.stdout.write(`closed ${r.header.sequence}\n`);
}
store.close();
