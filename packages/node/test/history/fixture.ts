// A network of 4 validators (threshold 3) whose members are those of the store workload, and a way to
// close ledgers on a store the way a validator does: the workload's real signed transactions, plus the
// EXTERNALIZE statements of a chosen set of validators, signed with their real keys.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildGenesisLedger,
  closeLedger,
  ed25519,
  encodeId,
  type GenesisDescription,
  type LedgerCloseResult,
  type LedgerStore,
  memberIdOf,
  networkIdOf,
  txSetHash,
} from '@qm/ledger';
import type { Statement } from '@qm/scp';
import { encodeConsensusValue } from '../../src/consensus/consensus-value.js';
import { encodeScpEnvelope, scpSigningPayload } from '../../src/consensus/scp-codec.js';
import {
  type ArchivedLedger,
  checkpointFileName,
  decodeCheckpoint,
  encodeCheckpoint,
} from '../../src/history/index.js';
import { T0, txSetFor } from '../store/workload.js';

const key = (n: number) => ed25519.generateKeyPair(new Uint8Array(32).fill(n));
const DEPOT = 'W56HZV';
const WING = 'FA8571';

export const validatorKeys = [11, 12, 13, 14].map(key);
export const validatorIds = validatorKeys.map((k) => encodeId('node', k.publicKey));

/** Same organizations and members (same keys) as test/store/workload.ts, so its tx sets apply here. */
export const genesis: GenesisDescription = {
  name: 'qm-history-test',
  suite: 'ed25519',
  time: T0,
  organizations: [
    { code: DEPOT, name: 'Depot' },
    { code: WING, name: 'Wing' },
    { code: '0CVA5', name: 'Contractor' },
  ],
  members: [
    { id: memberIdOf(key(1).publicKey), org: DEPOT, roles: ['admin'] },
    { id: memberIdOf(key(2).publicKey), org: DEPOT, roles: ['supply'] },
    { id: memberIdOf(key(3).publicKey), org: WING, roles: ['supply'] },
    { id: memberIdOf(key(4).publicKey), org: DEPOT, roles: ['device-operator'] },
  ],
  validators: validatorIds.map((id) => ({
    id,
    org: DEPOT,
    quorumSet: { threshold: 3, validators: validatorIds, innerSets: [] },
  })),
};
export const networkId = networkIdOf(genesis);

/** EXTERNALIZE statements for `seq`'s value from the validators at `signers` (indexes). */
export function externalizeStatements(
  net: { networkId: Uint8Array; keys: readonly { privateKey: Uint8Array }[]; ids: readonly string[] },
  seq: number,
  value: { txSetHash: Uint8Array; closeTime: number },
  signers: readonly number[],
): Uint8Array[] {
  const v = encodeConsensusValue(value);
  return signers.map((i) => {
    const statement: Statement = {
      nodeId: net.ids[i]!,
      slotIndex: seq,
      pledges: {
        type: 'externalize',
        commit: { counter: 1, value: v },
        nH: 1,
        commitQuorumSetHash: new Uint8Array(32),
      },
    };
    const signature = ed25519.sign(net.keys[i]!.privateKey, scpSigningPayload(net.networkId, statement));
    return encodeScpEnvelope({ statement, signature });
  });
}

const NET = { networkId, keys: validatorKeys, ids: validatorIds };

export interface CloseOptions {
  /** Validators (indexes) signing each ledger; default 3 of 4, a quorum. */
  signers?: (seq: number) => readonly number[];
  /** Replaces the workload's tx set of a ledger (to forge an alternative history). */
  txSet?: (seq: number) => Uint8Array[] | undefined;
}

/** Closes ledgers up to `upTo` on `store` (genesis first if empty), as the validators would. */
export function closeUpTo(store: LedgerStore, upTo: number, opts: CloseOptions = {}): void {
  if (store.lastClosed() === null) store.putClosedLedger(buildGenesisLedger(genesis), []);
  while (store.lastClosed()!.sequence < upTo) closeOne(store, opts);
}

function closeOne(store: LedgerStore, opts: CloseOptions): LedgerCloseResult {
  const prev = store.lastClosed()!;
  const n = prev.sequence + 1;
  const txSet = opts.txSet?.(n) ?? txSetFor(networkId, n);
  const closeTime = T0 + 5 * n;
  const r = closeLedger({ prev, txSet, closeTime, networkId, suite: 'ed25519' }, store, store.merkle);
  const scp = externalizeStatements(
    NET,
    n,
    { txSetHash: txSetHash(r.header.previousHash, txSet), closeTime },
    opts.signers?.(n) ?? [0, 1, 2],
  );
  store.putClosedLedger(r, scp);
  return r;
}

/** A copy of an archive directory, to tamper with without touching the original. */
export function copyArchive(from: string, to: string): string {
  cpSync(from, to, { recursive: true });
  return to;
}

/** Rewrites one checkpoint of an archive through `edit`, with a valid checksum (a forger's edit). */
export function rewriteCheckpoint(
  dir: string,
  first: number,
  last: number,
  edit: (ledgers: ArchivedLedger[]) => ArchivedLedger[],
): void {
  const path = join(dir, checkpointFileName(first, last));
  const c = decodeCheckpoint(readFileSync(path), { first, last, networkId }, path);
  writeFileSync(path, encodeCheckpoint({ ...c, ledgers: edit([...c.ledgers]) }));
}
