// The validator node: consensus driver and herder, overlay, stores, health, HTTP API.
export * from './api/node-view.js';
export { type ApiOptions, buildApi } from './api/server.js';
export * from './config/index.js';
export { type Cancel, type Clock, ManualClock, systemClock } from './consensus/clock.js';
export * from './consensus/consensus-value.js';
export * from './consensus/scp-codec.js';
export * from './health/halt-diagnosis.js';
export * from './herder/herder.js';
export type * from './herder/ledger-app.js';
export * from './herder/scp-state-store.js';
export * from './herder/tx-queue.js';
export * from './history/index.js';
export { StoreLedgerApp } from './ledger-app/store-ledger-app.js';
export { NodeMetrics } from './metrics.js';
export * from './overlay/index.js';
export * from './receipt/index.js';
export { Validator, ValidatorError, type ValidatorParams } from './validator.js';
