/** Receipts: offline proof that a transaction was applied in a ledger of a network. */
export {
  type BuildReceiptOptions,
  buildReceipt,
  decodeReceipt,
  encodeReceipt,
  MAX_RECEIPT_CHAIN,
  MAX_RECEIPT_SCP_ENVELOPES,
  RECEIPT_DECODE_LIMITS,
  RECEIPT_VERSION,
  type Receipt,
  receiptSchema,
} from './receipt.js';
export {
  type Anchor,
  RECEIPT_ERROR_CODES,
  type ReceiptErrorCode,
  type ReceiptTrust,
  type ScpVerifier,
  trustFromGenesis,
  type VerifyReceiptOptions,
  type VerifyReceiptResult,
  verifyReceipt,
} from './verify.js';
