/** Ledger stores of a node: SQLite (embedded default). */
export { SCHEMA_VERSION } from './schema.js';
export { SqliteLedgerStore, type SqliteLedgerStoreOptions } from './sqlite-store.js';
