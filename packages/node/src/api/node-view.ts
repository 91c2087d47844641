// What the HTTP API reads and does: the validator behind one interface, so the server stays thin and
// can be tested against a stand-in.

/** Every answer is plain JSON; bytes travel as lowercase hex, big integers as decimal strings. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface SubmitOutcome {
  readonly ok: boolean;
  readonly hash?: string;
  readonly code?: string;
  readonly message?: string;
}

export interface NodeView {
  status(): Json;
  quorum(): Json;
  peers(): Json;
  /** Every validator of the network (names, organizations, API addresses) and the quorum analysis. */
  network(): Json;
  submitTransaction(bytes: Uint8Array): SubmitOutcome;
  /** pending (queued), committed or failed (in a ledger, with its result), or unknown. */
  transaction(hashHex: string): Json | null;
  ledger(seq: number): Json | null;
  ledgers(fromSeq: number | null, limit: number): Json;
  /**
   * Every transaction of a closed ledger with its result: committed, failed, or rejected at close (its
   * code says why). One request per ledger lets a client follow many transactions (null: no such ledger).
   */
  ledgerTransactions(seq: number): Json | null;
  item(uii: string): Json | null;
  stock(query: { nsn?: string; location?: string }): Json;
  alerts(query: { kind?: string; limit: number }): Json;
  /** Everything an auditor needs to verify the transaction offline (null: not in a ledger). */
  receipt(hashHex: string): Json | null;
  /** Subscribes to closed ledgers; returns the unsubscribe function. */
  onLedger(listener: (ledger: Json) => void): () => void;
  /** Prometheus exposition text. */
  metrics(): Promise<string>;
}

/** Converts values from the ledger (bytes, bigints, nested objects) into JSON. */
export function toJson(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toJson(v)]));
  if (typeof value === 'object') {
    const out: { [k: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJson(v);
    return out;
  }
  return String(value);
}
