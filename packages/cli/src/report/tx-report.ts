/** Plain-words report of a submitted transaction and, with --wait, of its outcome in the ledger. */

export interface OpResultView {
  ok: boolean;
  code?: string;
  message?: string;
}

/** GET /v1/transactions/:hash */
export interface TxStatusView {
  hash: string;
  status: 'pending' | 'committed' | 'failed' | string;
  ledger?: number;
  result?: { code: string; message?: string; operations?: OpResultView[] };
}

export interface TxReport {
  hash: string;
  source: string;
  seq: string;
  operations: string[];
  /** 'pending' after submission; the final status with --wait. */
  status: string;
  ledger?: number;
  resultCode?: string;
  /** Failed operations: index, code and message. */
  failures?: { index: number; code: string; message: string }[];
}

export function failuresOf(view: TxStatusView): { index: number; code: string; message: string }[] {
  return (view.result?.operations ?? []).flatMap((o, index) =>
    o.ok ? [] : [{ index, code: o.code ?? '?', message: o.message ?? '' }],
  );
}

export function renderTxReport(r: TxReport): string {
  let out = `transaction ${r.hash}\n`;
  out += `  source ${r.source}, seq ${r.seq}: ${r.operations.join(', ')}\n`;
  if (r.status === 'pending') {
    out += '  accepted by the node (pending); poll with --wait or GET /v1/transactions/:hash\n';
    return out;
  }
  const where = r.ledger === undefined ? '' : ` in ledger #${r.ledger}`;
  out += `  ${r.status}${where}: ${r.resultCode ?? 'no result code'}\n`;
  // Ledger results keep codes only (messages are not part of consensus), so the message may be empty.
  for (const f of r.failures ?? []) {
    out += `  operation ${f.index} failed: ${f.code}${f.message ? `: ${f.message}` : ''}\n`;
  }
  return out;
}
