export * from './crypto/index.js';
export * from './domain/index.js';
export * from './encoding/index.js';
export * from './errors.js';
export * from './ids/index.js';
export * from './ledger/index.js';
export * from './merkle/index.js';
export * from './tx/index.js';
