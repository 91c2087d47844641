/**
 * The genesis ledger (sequence 0) from a genesis description: the file every node and every auditor of
 * a network holds. Its hash is the network id, so a signature, transaction or receipt of one network can
 * never pass on another, and a receipt verifier needs nothing but this file.
 *
 *   networkId = SHA-256(CBOR([GENESIS_TAG, description]))
 */

import { sha256 } from '../crypto/hash.js';
import { getSuite } from '../crypto/registry.js';
import { type GenesisState, initGenesis } from '../domain/genesis.js';
import { type NetworkParams, PARAM_NAMES } from '../domain/params.js';
import { ROLES, type Role } from '../domain/state.js';
import { encode } from '../encoding/encode.js';
import * as s from '../encoding/schema.js';
import { DecodeError, LedgerError } from '../errors.js';
import { decodeId } from '../ids/strkey.js';
import { EMPTY_ROOT } from '../merkle/hash.js';
import { ChangeSet } from './change-set.js';
import type { LedgerCloseResult } from './close.js';
import { resultsHash, stateCommitment, txSetHash } from './hashes.js';
import { headerHash, type LedgerHeader, PROTOCOL_VERSION, ZERO_HASH } from './header.js';

export const GENESIS_TAG = 'qm/genesis/v1';
/** Quorum-set nesting (DESIGN.md principle 4) and size limits, checked again by the SCP layer. */
export const MAX_QUORUM_DEPTH = 4;
export const MAX_QUORUM_NODES = 1000;

export interface QuorumSetDescription {
  threshold: number;
  /** Node ids (N...). */
  validators: string[];
  innerSets: QuorumSetDescription[];
}

export interface GenesisDescription {
  /** Human-readable network name, e.g. 'qm-devnet'. */
  name: string;
  /** Signature suite of the network, e.g. 'ed25519'. */
  suite: string;
  /** Unix seconds: the genesis ledger's close time. */
  time: number;
  organizations: { code: string; name: string; parent?: string }[];
  /** Member ids are strkey member ids (M...) of their public keys. */
  members: { id: string; org: string; roles: Role[] }[];
  /** Validators: node id (N...), operating organization, quorum set. */
  validators: { id: string; org: string; quorumSet: QuorumSetDescription }[];
  params?: Partial<NetworkParams>;
}

/** Key under which the network's validator list lives in the state (so it is committed too). */
export const VALIDATORS_KEY = 'network/validators';
export const NETWORK_KEY = 'network/info';

function invalid(message: string): never {
  throw new LedgerError('GENESIS_INVALID', message);
}

function checkQuorumSet(q: QuorumSetDescription, depth: number, count: { n: number }): void {
  if (depth > MAX_QUORUM_DEPTH) invalid(`quorum set nested deeper than ${MAX_QUORUM_DEPTH}`);
  const size = q.validators.length + q.innerSets.length;
  if (!Number.isSafeInteger(q.threshold) || q.threshold < 1 || q.threshold > size) {
    invalid(`quorum threshold ${q.threshold} not in [1, ${size}]`);
  }
  for (const v of q.validators) {
    try {
      decodeId(v, 'node');
    } catch {
      invalid(`quorum set member ${v} is not a node id`);
    }
  }
  count.n += q.validators.length;
  if (count.n > MAX_QUORUM_NODES) invalid(`quorum set names more than ${MAX_QUORUM_NODES} nodes`);
  for (const inner of q.innerSets) checkQuorumSet(inner, depth + 1, count);
}

/** The canonical CBOR form of a description (optional fields absent, not undefined). */
function canonicalDescription(g: GenesisDescription): Record<string, unknown> {
  const qs = (q: QuorumSetDescription): Record<string, unknown> => ({
    threshold: q.threshold,
    validators: [...q.validators],
    innerSets: q.innerSets.map(qs),
  });
  return {
    name: g.name,
    suite: g.suite,
    time: g.time,
    organizations: g.organizations.map((o) => ({
      code: o.code,
      name: o.name,
      ...(o.parent !== undefined && { parent: o.parent }),
    })),
    members: g.members.map((m) => ({ id: m.id, org: m.org, roles: [...m.roles] })),
    validators: g.validators.map((v) => ({ id: v.id, org: v.org, quorumSet: qs(v.quorumSet) })),
    ...(g.params !== undefined && { params: { ...g.params } }),
  };
}

const quorumSetSchema: s.Schema<QuorumSetDescription> = {
  kind: 'quorum set',
  parse(v, path = '') {
    return s
      .record({
        threshold: s.uint(),
        validators: s.array(s.text({ maxLength: 64 }), { maxLength: MAX_QUORUM_NODES }),
        innerSets: s.array(quorumSetSchema, { maxLength: MAX_QUORUM_NODES }),
      })
      .parse(v, path);
  },
};

const paramsSchema = s.record(
  Object.fromEntries(PARAM_NAMES.map((n) => [n, s.optional(s.uint())])) as Record<
    keyof NetworkParams,
    s.OptionalSchema<number>
  >,
);

const genesisSchema = s.record({
  name: s.text({ maxLength: 64 }),
  suite: s.text({ maxLength: 32 }),
  time: s.uint(),
  organizations: s.array(
    s.record({
      code: s.text({ maxLength: 6 }),
      name: s.text({ maxLength: 256 }),
      parent: s.optional(s.text()),
    }),
    { maxLength: 10_000 },
  ),
  members: s.array(
    s.record({
      id: s.text({ maxLength: 64 }),
      org: s.text({ maxLength: 6 }),
      roles: s.array(s.literal(...ROLES), { maxLength: ROLES.length }),
    }),
    { maxLength: 100_000 },
  ),
  validators: s.array(
    s.record({ id: s.text({ maxLength: 64 }), org: s.text({ maxLength: 6 }), quorumSet: quorumSetSchema }),
    { maxLength: MAX_QUORUM_NODES },
  ),
  params: s.optional(paramsSchema),
});

/**
 * Reads a genesis description from parsed JSON (the genesis file), rejecting missing, unknown and
 * mistyped fields with GENESIS_INVALID (the path of the bad field in the message). Semantic checks
 * (ids, quorum sets, organizations) happen in buildGenesisLedger.
 */
export function parseGenesisDescription(json: unknown): GenesisDescription {
  try {
    return genesisSchema.parse(json, '') as GenesisDescription;
  } catch (e) {
    if (e instanceof DecodeError) throw new LedgerError('GENESIS_INVALID', e.message, e.details);
    throw e;
  }
}

export function networkIdOf(g: GenesisDescription): Uint8Array {
  return sha256(encode([GENESIS_TAG, canonicalDescription(g)]));
}

export interface GenesisLedger extends LedgerCloseResult {
  readonly networkId: Uint8Array;
}

/**
 * Validates the description and builds ledger 0. Throws LedgerError GENESIS_INVALID on bad input
 * (and the domain's GENESIS_INVALID for bad organizations, members or parameters).
 */
export function buildGenesisLedger(g: GenesisDescription): GenesisLedger {
  if (typeof g.name !== 'string' || g.name.length === 0 || g.name.length > 64)
    invalid('name must be 1..64 characters');
  if (!Number.isSafeInteger(g.time) || g.time < 0) invalid('time must be unix seconds');
  try {
    getSuite(g.suite);
  } catch {
    invalid(`unknown signature suite ${g.suite}`);
  }
  for (const m of g.members) {
    try {
      decodeId(m.id, 'member');
    } catch {
      invalid(`member ${m.id} is not a member id (M...)`);
    }
  }
  if (g.validators.length === 0) invalid('at least one validator');
  const seen = new Set<string>();
  for (const v of g.validators) {
    try {
      decodeId(v.id, 'node');
    } catch {
      invalid(`validator ${v.id} is not a node id (N...)`);
    }
    if (seen.has(v.id)) invalid(`validator ${v.id} twice`);
    seen.add(v.id);
    if (!g.organizations.some((o) => o.code === v.org)) invalid(`validator ${v.id}: no org ${v.org}`);
    checkQuorumSet(v.quorumSet, 1, { n: 0 });
  }
  const networkId = networkIdOf(g);
  const state = new ChangeSet({ get: () => undefined });
  const domain: GenesisState = {
    organizations: g.organizations,
    members: g.members,
    time: g.time,
    ...(g.params !== undefined && { params: g.params }),
  };
  initGenesis(state, domain);
  const desc = canonicalDescription(g);
  state.put(NETWORK_KEY, { name: g.name, suite: g.suite, networkId: Buffer.from(networkId).toString('hex') });
  state.put(VALIDATORS_KEY, desc.validators);
  const stateChanges = state.changes();
  const header: LedgerHeader = {
    protocolVersion: PROTOCOL_VERSION,
    networkId,
    sequence: 0,
    previousHash: ZERO_HASH,
    closeTime: g.time,
    txSetHash: txSetHash(ZERO_HASH, []),
    resultsHash: resultsHash([]),
    stateCommitment: stateCommitment(ZERO_HASH, 0, stateChanges),
    logRoot: EMPTY_ROOT,
    logSize: 0,
  };
  return {
    networkId,
    header,
    headerHash: headerHash(header),
    txSet: [],
    results: [],
    resultBytes: [],
    applied: [],
    stateChanges,
    logNodes: [],
    closeAlerts: [],
  };
}
