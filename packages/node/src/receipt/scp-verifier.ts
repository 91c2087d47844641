// Checks the SCP statements a receipt carries: signed by validators of the network, for the receipt's
// ledger and value, and enough of them to form a quorum (packages/ledger leaves this to the node, which
// knows the statement format and the quorum sets).
import {
  decodeId,
  type GenesisDescription,
  getSuite,
  type LedgerHeader,
  networkIdOf,
  type ScpVerifier,
} from '@qm/ledger';
import type { NodeId, QuorumSet } from '@qm/scp';
import { encodeConsensusValue } from '../consensus/consensus-value.js';
import { decodeScpEnvelope, scpSigningPayload } from '../consensus/scp-codec.js';
import { quorumWithin } from '../health/halt-diagnosis.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * A quorum of EXTERNALIZE or CONFIRM statements (a quorum that accepted the commit has confirmed it) for
 * the header's value proves the network agreed on that ledger.
 */
export function scpVerifierFor(genesis: GenesisDescription): ScpVerifier {
  const suite = getSuite(genesis.suite);
  const networkId = networkIdOf(genesis);
  const keys = new Map<NodeId, Uint8Array>(
    genesis.validators.map((v) => [v.id, decodeId(v.id, 'node').bytes]),
  );
  const quorumSets = new Map<NodeId, QuorumSet>(genesis.validators.map((v) => [v.id, v.quorumSet]));
  return (header: LedgerHeader, _headerHash: Uint8Array, envelopes: readonly Uint8Array[]) => {
    const value = hex(encodeConsensusValue({ txSetHash: header.txSetHash, closeTime: header.closeTime }));
    const signers = new Set<NodeId>();
    const problems: string[] = [];
    for (const bytes of envelopes) {
      let env: ReturnType<typeof decodeScpEnvelope>;
      try {
        env = decodeScpEnvelope(bytes);
      } catch (e) {
        problems.push(`undecodable statement (${(e as { code?: string }).code ?? 'error'})`);
        continue;
      }
      const st = env.statement;
      const key = keys.get(st.nodeId);
      if (!key) {
        problems.push(`statement from ${st.nodeId}, not a validator`);
        continue;
      }
      if (!suite.verify(key, scpSigningPayload(networkId, st), env.signature)) {
        problems.push(`bad signature from ${st.nodeId}`);
        continue;
      }
      const p = st.pledges;
      const committed =
        p.type === 'externalize' ? p.commit.value : p.type === 'confirm' ? p.ballot.value : null;
      if (st.slotIndex !== header.sequence || committed === null || hex(committed) !== value) continue;
      signers.add(st.nodeId);
    }
    const quorum = quorumWithin(quorumSets, signers);
    if (quorum.size === 0) {
      const why = problems.length > 0 ? `; ${problems.join('; ')}` : '';
      return {
        ok: false,
        reason: `the ${signers.size} signer(s) of this ledger's value do not form a quorum${why}`,
      };
    }
    return {
      ok: true,
      detail: `${quorum.size} validator(s) forming a quorum signed the commit of ledger ${header.sequence}: ${[...quorum].sort().join(', ')}`,
    };
  };
}
