// Byzantine traffic against real validators: replays of overheard frames, SCP envelopes with forged
// signatures, undecodable garbage (all from "mallory", a peer that holds no validator key), and an
// equivocating validator: the key of validator k signs two conflicting nominations and ballots for the
// open slot, one to each half of the network, sent on k's own links (a stolen duplicate key).
import { encode, headerHash, sha256, txSetHash } from '@qm/ledger';
import {
  decodeScpEnvelope,
  encodeConsensusValue,
  encodeScpEnvelope,
  FrameType,
  scpSigningPayload,
} from '@qm/node';
import { type Envelope, encodeQuorumSet, type Statement } from '@qm/scp';
import type { Prng } from '../prng.js';
import { EPOCH_MS, MALLORY, type NodeNet } from './harness.js';
import type { ByzAttack } from './plan.js';
import { suite } from './topologies.js';

export function byzantine(
  net: NodeNet,
  prng: Prng,
  attack: ByzAttack,
  keyNode: number,
  count: number,
): number {
  const live = net.procs.map((_, i) => i).filter((i) => net.isUp(i));
  if (live.length === 0) return 0;
  const ids = net.topo.ids;
  let sent = 0;
  switch (attack) {
    case 'replay': {
      if (net.overheard.length === 0) return 0;
      for (let i = 0; i < count; i++) {
        net.injectFrame(MALLORY, ids[prng.pick(live)]!, prng.pick(net.overheard));
        sent++;
      }
      return sent;
    }
    case 'garbage': {
      for (let i = 0; i < count; i++) {
        const len = prng.int(1, 300);
        const body = new Uint8Array(len);
        for (let j = 0; j < len; j++) body[j] = prng.int(0, 255);
        // Half the time a known frame type with a garbage payload (reaches the payload decoders).
        if (prng.chance(0.5)) body[0] = prng.int(1, 8);
        net.inject(MALLORY, ids[prng.pick(live)]!, body);
        sent++;
      }
      return sent;
    }
    case 'bad-signature': {
      for (let i = 0; i < count; i++) {
        const env = forged(net, prng, keyNode, 'bad-signature');
        if (!env) return sent;
        net.injectFrame(MALLORY, ids[prng.pick(live)]!, { type: FrameType.scp, payload: env });
        sent++;
      }
      return sent;
    }
    case 'equivocate': {
      // The open slot as the highest live validator sees it; two values differing in close time.
      const shuffled = prng.shuffle(live.filter((i) => i !== keyNode));
      const halves = [
        shuffled.slice(0, Math.ceil(shuffled.length / 2)),
        shuffled.slice(Math.ceil(shuffled.length / 2)),
      ];
      const top = Math.max(...live.map((i) => net.lastClosed(i)));
      const holder = live.find((i) => net.lastClosed(i) === top)!;
      const lcl = net.procs[holder]!.store.lastClosed()!;
      const prev = headerHash(lcl);
      const txSet = encode({ prev, txs: [] });
      const hash = txSetHash(prev, []);
      const base = Math.max(lcl.closeTime + 1, Math.floor((EPOCH_MS + net.now()) / 1000));
      for (let round = 0; round < count; round++) {
        for (const [h, half] of halves.entries()) {
          const value = encodeConsensusValue({ txSetHash: hash, closeTime: base + h });
          const statements: Statement['pledges'][] = [
            { type: 'nominate', quorumSetHash: qsetHash(net, keyNode), votes: [value], accepted: [value] },
            {
              type: 'prepare',
              quorumSetHash: qsetHash(net, keyNode),
              ballot: { counter: round + 1, value },
              prepared: { counter: round + 1, value },
              preparedPrime: null,
              nC: 0,
              nH: 0,
            },
          ];
          for (const target of half) {
            net.injectFrame(ids[keyNode]!, ids[target]!, { type: FrameType.txset, payload: txSet });
            for (const pledges of statements) {
              const env = sign(net, keyNode, { nodeId: ids[keyNode]!, slotIndex: lcl.sequence + 1, pledges });
              net.injectFrame(ids[keyNode]!, ids[target]!, { type: FrameType.scp, payload: env });
              sent++;
            }
          }
        }
      }
      return sent;
    }
  }
}

function qsetHash(net: NodeNet, i: number): Uint8Array {
  return sha256(encodeQuorumSet(net.topo.qsets.get(net.topo.ids[i]!)!));
}

function sign(net: NodeNet, i: number, statement: Statement): Uint8Array {
  const key = suite.generateKeyPair(net.topo.seeds[i]!);
  const env: Envelope = {
    statement,
    signature: suite.sign(key.privateKey, scpSigningPayload(net.networkId, statement)),
  };
  return encodeScpEnvelope(env);
}

/** A genuine statement (overheard, or freshly signed by validator i) with its signature corrupted. */
function forged(net: NodeNet, prng: Prng, i: number, _why: string): Uint8Array | null {
  const scp = net.overheard.filter((f) => f.type === FrameType.scp);
  let env: Envelope;
  if (scp.length > 0) env = decodeScpEnvelope(prng.pick(scp).payload);
  else {
    const lcl = net.procs[i]!.store.lastClosed()!;
    env = decodeScpEnvelope(
      sign(net, i, {
        nodeId: net.topo.ids[i]!,
        slotIndex: lcl.sequence + 1,
        pledges: { type: 'nominate', quorumSetHash: qsetHash(net, i), votes: [], accepted: [] },
      }),
    );
  }
  const signature = env.signature.slice();
  signature[prng.int(0, signature.length - 1)]! ^= 1 << prng.int(0, 7);
  return encodeScpEnvelope({ statement: env.statement, signature });
}
