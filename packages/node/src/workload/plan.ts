/** What one transaction of the workload will do, before it is signed: the shared vocabulary of the planners. */
import type { TxOperation } from '@qm/ledger';
import type { Signer } from './actors.js';

export const ACTIVITY_KINDS = [
  'offer',
  'accept',
  'reject',
  'receipt',
  'move',
  'condition',
  'maintenance',
  'usage',
  'install',
  'remove',
  'scan',
  'scan-far',
  'issue',
  'receive',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export type TxKind = ActivityKind | 'seed';

/** A transaction to be: who signs, its operations, what it touches and the effect it should have. */
export interface Plan {
  kind: TxKind;
  signer: Signer;
  ops: TxOperation[];
  /** UIIs and stock keys it touches: snapshotted for rollback and locked until settled. */
  items: string[];
  stock: string[];
  /** Applies the expected effect to the world (after the snapshot is taken). */
  apply: () => void;
  /** The item this transaction offers: the offer id comes with its result. */
  offered?: string;
  /** Called after a failure was rolled back, with the failing operations' result codes. */
  onFailure?: (codes: string[]) => void;
}

/** A registered site (as the workload plans it) and its fixed RFID reader, if any. */
export interface SiteInfo {
  id: string;
  org: string;
  name: string;
  latE6: number;
  lonE6: number;
  device?: Signer;
}
