export { scpVerifierFor } from './scp-verifier.js';
export { verifyReceiptOffline } from './verify-offline.js';
