// Fetches a transaction's receipt and verifies it in the browser, showing every step of the proof.
import { useEffect, useState } from 'react';
import { api } from '../dashboard-data';
import { shortId } from '../format';
import { type ParsedReceipt, parseReceipt, type ReceiptVerification, verifyReceipt } from '../receipt';

type State =
  | { phase: 'idle' }
  | { phase: 'working' }
  | { phase: 'done'; receipt: ParsedReceipt; verification: ReceiptVerification }
  | { phase: 'error'; message: string };

export interface ReceiptVerifierProps {
  readonly txHash: string;
  /** A genesis header hash the user trusts (hex), or ''. */
  readonly genesisHash: string;
  /** The network id computed from a loaded genesis file. */
  readonly genesisNetworkId: string | null;
}

export function ReceiptVerifier({ txHash, genesisHash, genesisNetworkId }: ReceiptVerifierProps) {
  const [state, setState] = useState<State>({ phase: 'idle' });
  useEffect(() => {
    if (!/^[0-9a-fA-F]{64}$/.test(txHash)) {
      setState({ phase: 'idle' });
      return;
    }
    let cancelled = false;
    setState({ phase: 'working' });
    (async () => {
      try {
        const receipt = parseReceipt(await api.receipt(txHash.toLowerCase()));
        const [ledger, genesis] = await Promise.all([
          api.ledger(receipt.ledgerSeq).catch(() => null),
          api.ledger(0).catch(() => null),
        ]);
        const verification = await verifyReceipt(receipt, {
          ledgerFromNode: ledger,
          trustedGenesisHash: /^[0-9a-fA-F]{64}$/.test(genesisHash) ? genesisHash : null,
          genesisFromNode: genesis?.hash || null,
          genesisNetworkId,
        });
        if (!cancelled) setState({ phase: 'done', receipt, verification });
      } catch (e) {
        if (!cancelled) setState({ phase: 'error', message: e instanceof Error ? e.message : String(e) });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [txHash, genesisHash, genesisNetworkId]);

  if (state.phase === 'idle') return <p className="muted">Enter a 64-hex-digit transaction hash.</p>;
  if (state.phase === 'working') return <p className="muted">verifying…</p>;
  if (state.phase === 'error') {
    return (
      <p className="error" data-testid="receipt-error">
        {state.message}
      </p>
    );
  }
  const { receipt, verification: v } = state;
  return (
    <div className="receipt" data-testid={v.ok ? 'receipt-verified' : 'receipt-failed'}>
      <p className={`verdict ${v.ok ? 'verdict-holds' : 'verdict-FAILS'}`}>
        {v.ok
          ? `Verified: the transaction is leaf ${receipt.leafIndex} of the log of ledger ${receipt.ledgerSeq}.`
          : 'Verification FAILED.'}
      </p>
      {receipt.nodeVerdict && (
        <p className="muted" data-testid="receipt-node-verdict">
          The node’s own verifier says: {receipt.nodeVerdict.detail}. The checks below are the browser’s own.
        </p>
      )}
      <ul className="checks">
        {v.checks.map((c) => (
          <li key={c.name} className={`check-${c.status}`} data-testid="receipt-check" data-status={c.status}>
            <strong>{c.status === 'pass' ? '✔' : c.status === 'fail' ? '✘' : '–'}</strong> {c.name}:{' '}
            <span className="muted mono-wrap">{c.detail}</span>
          </li>
        ))}
      </ul>
      {v.inclusion && (
        <table className="grid compact proof-steps" data-testid="proof-steps">
          <thead>
            <tr>
              <th>#</th>
              <th>fn / sn</th>
              <th>Sibling</th>
              <th>Computes</th>
              <th>Result</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>leaf</td>
              <td>
                {receipt.leafIndex} / {receipt.logSize - 1}
              </td>
              <td />
              <td>leaf hash</td>
              <td className="mono" title={v.leafHash ?? ''}>
                {shortId(v.leafHash, 10)}
              </td>
            </tr>
            {v.inclusion.steps.map((s) => (
              <tr key={s.index} data-testid="proof-step">
                <td>{s.index + 1}</td>
                <td>
                  {s.fnBefore} / {s.snBefore}
                </td>
                <td className="mono" title={s.sibling}>
                  {shortId(s.sibling, 10)}
                </td>
                <td>{s.siblingSide === 'left' ? 'H(01 ‖ sibling ‖ r)' : 'H(01 ‖ r ‖ sibling)'}</td>
                <td className="mono" title={s.after}>
                  {shortId(s.after, 10)}
                </td>
              </tr>
            ))}
            <tr>
              <td>root</td>
              <td />
              <td />
              <td>header log root</td>
              <td className="mono" title={v.inclusion.expectedRoot}>
                {shortId(v.inclusion.expectedRoot, 10)} {v.inclusion.ok ? '✔' : '✘'}
              </td>
            </tr>
          </tbody>
        </table>
      )}
    </div>
  );
}
