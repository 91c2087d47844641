/** The logistics domain: identifiers, state model, operations and their application. */
export { applyOperation, applyOperations, type TxResult } from './apply.js';
export { isResultCode, RESULT_CODES, type ResultCode } from './codes.js';
export type { ApplyContext, DomainEvent, OpResult } from './exec.js';
export { type GenesisState, initGenesis } from './genesis.js';
export { distanceMeters, EARTH_RADIUS_M, type LatLon, type Position, toLatLon, toPosition } from './geo.js';
export * from './identifiers.js';
export { checkInvariants, isPlainData } from './invariants.js';
export { type LifeStatus, lifeStatus, type RemainingLife } from './life.js';
export { checkExpiredOffers } from './operations/custody.js';
export type * from './operations/index.js';
export { isOperationType, OPERATION_TYPES, type Operation, type OperationType } from './operations/index.js';
export { defaultParams, type NetworkParams, PARAM_NAMES, PARAM_SPECS, type ParamSpec } from './params.js';
export * from './state.js';
export { compareKeys, type ListableStore, MemoryStore, OverlayStore, type StateStore } from './store.js';
