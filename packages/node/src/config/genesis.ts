/**
 * The genesis file: the one document every validator and every offline auditor of a network shares.
 * It fixes the signature suite, the founding organizations and members (the first admins cannot come
 * from a transaction), the validators with their addresses and keys, their quorum sets, and the
 * consensus timing. Its hash is the network id, which every signature commits to.
 */
import {
  decodeId,
  encode,
  encodeId,
  type GenesisDescription,
  type GenesisState,
  getSuite,
  isCage,
  isDodaac,
  LedgerError,
  networkIdOf as ledgerNetworkIdOf,
  type NetworkParams,
  PARAM_NAMES,
  PARAM_SPECS,
  ROLES,
  type Role,
  sha256,
} from '@qm/ledger';
import { checkQuorumSetSanity, LIMITS, type NodeId, type QuorumSet } from '@qm/scp';
import { NETWORK_SUITES, type NetworkSuite } from './keys.js';
import { type Endpoint, parseJsonText, Reader, readEndpoint } from './reader.js';

export const GENESIS_FORMAT = 'qm-genesis/1';

export interface GenesisOrganization {
  /** DoDAAC (6 characters) or, for a contractor, CAGE code (5). */
  code: string;
  name: string;
  /** Code of an organization listed earlier. */
  parent?: string;
}

export interface GenesisMember {
  /** Member public key id, 'M...', in the network's suite. */
  id: string;
  org: string;
  roles: Role[];
  /** Display name; not used by the ledger. */
  name?: string;
}

export interface GenesisValidator {
  /** Short unique name used in logs, status and the CLI (node-1). */
  name: string;
  /** 'N...': the public key of the node key in the network's suite; quorum sets name nodes by it. */
  nodeId: NodeId;
  org: string;
  /** Where peers dial this validator. */
  p2p: Endpoint;
  /** Lower-case hex of the Ed25519 transport (libp2p) public key; see keys.ts for its derivation. */
  transportPublicKey: string;
  /** Where clients reach this validator's HTTP API. */
  http: Endpoint;
}

export interface ConsensusTiming {
  /** Aimed-for interval between ledger closes. */
  targetCloseMs: number;
  /** SCP nomination round timeout (grows with the round number). */
  nominationRoundMs: number;
  /** SCP ballot round timeout (grows with the ballot counter). */
  ballotRoundMs: number;
}

export const DEFAULT_CONSENSUS: Readonly<ConsensusTiming> = {
  targetCloseMs: 1_000,
  nominationRoundMs: 1_000,
  ballotRoundMs: 1_000,
};

/** One quorum set for every validator, or one per validator keyed by node id. */
export type GenesisQuorumSets = QuorumSet | { readonly [nodeId: string]: QuorumSet };

export interface Genesis {
  format: typeof GENESIS_FORMAT;
  /** Human name of the network; part of its id, so two networks with the same members still differ. */
  name: string;
  suite: NetworkSuite;
  /** Unix seconds; the registration time of everything in the genesis state. */
  createdAt: number;
  organizations: GenesisOrganization[];
  members: GenesisMember[];
  validators: GenesisValidator[];
  quorumSets: GenesisQuorumSets;
  params?: Partial<NetworkParams>;
  consensus?: Partial<ConsensusTiming>;
}

export const GENESIS_LIMITS = {
  organizationsMax: 1_000,
  membersMax: 10_000,
  validatorsMax: LIMITS.maxQuorumSetNodes,
  nameLengthMax: 128,
  /** The ledger's limit on the network name. */
  networkNameLengthMax: 64,
  /** Past this, createdAt is surely in milliseconds by mistake (year 5138). */
  createdAtMax: 99_999_999_999,
} as const;

const TIMING_MIN_MS = 50;
const TIMING_MAX_MS = 600_000;
const VALIDATOR_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HEX32 = /^[0-9a-f]{64}$/;
const MEMBER_ROLES = ROLES as readonly Role[];

export const isSharedQuorumSet = (q: GenesisQuorumSets): q is QuorumSet =>
  Object.hasOwn(q, 'threshold') && typeof (q as { threshold?: unknown }).threshold === 'number';

/** The quorum set of one validator. */
export function quorumSetOf(genesis: Genesis, nodeId: NodeId): QuorumSet {
  const q = isSharedQuorumSet(genesis.quorumSets) ? genesis.quorumSets : genesis.quorumSets[nodeId];
  if (q === undefined) throw new RangeError(`no quorum set for ${nodeId}`);
  return q;
}

export function consensusTiming(genesis: Genesis): ConsensusTiming {
  return { ...DEFAULT_CONSENSUS, ...genesis.consensus };
}

/**
 * What the ledger knows of the genesis (`buildGenesisLedger` input): the part that decides who may do
 * what and who votes. Addresses, transport keys, consensus timing and display names are left out: they
 * are operations, not identity, and may be corrected without making a new network.
 */
export function genesisDescription(genesis: Genesis): GenesisDescription {
  return {
    name: genesis.name,
    suite: genesis.suite,
    time: genesis.createdAt,
    organizations: genesisState(genesis).organizations,
    members: genesis.members.map((m) => ({ id: m.id, org: m.org, roles: [...m.roles] })),
    validators: genesis.validators.map((v) => ({
      id: v.nodeId,
      org: v.org,
      quorumSet: copyQuorumSet(quorumSetOf(genesis, v.nodeId)),
    })),
    ...(genesis.params !== undefined && { params: { ...genesis.params } }),
  };
}

type MutableQuorumSet = { threshold: number; validators: string[]; innerSets: MutableQuorumSet[] };
const copyQuorumSet = (q: QuorumSet): MutableQuorumSet => ({
  threshold: q.threshold,
  validators: [...q.validators],
  innerSets: q.innerSets.map(copyQuorumSet),
});

/**
 * The network id, the one every signature, ledger header and receipt commits to. It is the ledger's
 * `networkIdOf(genesisDescription(genesis))`:
 *
 *   sha256(CBOR(['qm/genesis/v1', {name, suite, time: createdAt, organizations: [{code, name, parent?}],
 *     members: [{id, org, roles}], validators: [{id: nodeId, org, quorumSet}], params?}]))
 *
 * with CBOR the deterministic encoding of RFC 8949 §4.2.1 (map keys sorted; absent optional fields are
 * absent, not null; every quorum set written out per validator, with its innerSets). Keeping one
 * definition, in the ledger, means the id `qm` prints is the id the headers carry.
 */
export function networkIdOf(genesis: Genesis): Uint8Array {
  return ledgerNetworkIdOf(genesisDescription(genesis));
}

/**
 * sha256 of the deterministic CBOR encoding of the whole parsed genesis, every field included (JSON
 * whitespace and key order do not matter; omitted innerSets count as []). Two operators compare it to
 * know they hold the same file, addresses and timing included.
 */
export function genesisFileHash(genesis: Genesis): Uint8Array {
  return sha256(encode(genesis));
}

/** The network id as a 'W...' id, for display. */
export const networkIdText = (genesis: Genesis): string => encodeId('network', networkIdOf(genesis));

/** The domain's first state: the ledger's `initGenesis` input. */
export function genesisState(genesis: Genesis): GenesisState {
  return {
    organizations: genesis.organizations.map((o) => ({
      code: o.code,
      name: o.name,
      ...(o.parent !== undefined && { parent: o.parent }),
    })),
    members: genesis.members.map((m) => ({ id: m.id, org: m.org, roles: [...m.roles] })),
    ...(genesis.params !== undefined && { params: { ...genesis.params } }),
    time: genesis.createdAt,
  };
}

/** Parses and validates a genesis file's text. Throws ConfigError naming the first bad field. */
export function parseGenesis(text: string): Genesis {
  return readGenesis(new Reader(parseJsonText(text)));
}

/** Validates an already parsed JSON value (e.g. one built in code) the same way. */
export function validateGenesis(value: unknown): Genesis {
  return readGenesis(new Reader(value));
}

function readGenesis(root: Reader): Genesis {
  // The format first: feeding a node config to the genesis parser should say so, not "name is required".
  const raw = root.value;
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    new Reader((raw as Record<string, unknown>).format, 'format').literal(GENESIS_FORMAT);
  }
  const f = root.object(
    ['format', 'name', 'suite', 'createdAt', 'organizations', 'members', 'validators', 'quorumSets'],
    ['params', 'consensus'],
  );
  const name = f.name!.string({ maxLength: GENESIS_LIMITS.networkNameLengthMax });
  const suite = f.suite!.oneOf(NETWORK_SUITES);
  const keyBytes = getSuite(suite).publicKeyBytes;
  const createdAt = f.createdAt!.integer(0, GENESIS_LIMITS.createdAtMax, ' (unix seconds)');

  const organizations = readOrganizations(f.organizations!);
  const orgs = new Set(organizations.map((o) => o.code));
  const params = f.params === undefined ? undefined : readParams(f.params);
  const members = readMembers(f.members!, orgs, suite, keyBytes, params?.adminApprovals);
  const validators = readValidators(f.validators!, orgs, suite, keyBytes);
  const quorumSets = readQuorumSets(f.quorumSets!, validators);

  const g: Genesis = {
    format: GENESIS_FORMAT,
    name,
    suite,
    createdAt,
    organizations,
    members,
    validators,
    quorumSets,
  };
  if (params !== undefined) g.params = params;
  if (f.consensus !== undefined) g.consensus = readConsensus(f.consensus);
  return g;
}

function readOrganizations(r: Reader): GenesisOrganization[] {
  const seen = new Set<string>();
  return r.array(1, GENESIS_LIMITS.organizationsMax).map((item) => {
    const f = item.object(['code', 'name'], ['parent']);
    const code = f.code!.string({ maxLength: 6 });
    if (!isDodaac(code) && !isCage(code)) {
      f.code!.fail(`must be a DoDAAC (6 upper-case letters or digits) or a CAGE code (5), not '${code}'`);
    }
    if (seen.has(code)) f.code!.fail(`organization ${code} is listed twice`);
    const org: GenesisOrganization = {
      code,
      name: f.name!.string({ maxLength: GENESIS_LIMITS.nameLengthMax }),
    };
    if (f.parent !== undefined) {
      const parent = f.parent.string({ maxLength: 6 });
      if (!seen.has(parent)) f.parent.fail(`parent ${parent} must be an organization listed before ${code}`);
      org.parent = parent;
    }
    seen.add(code);
    return org;
  });
}

/** Reads a public key id of `kind` whose key has the suite's size. */
function readKeyId(r: Reader, kind: 'node' | 'member', suite: NetworkSuite, keyBytes: number): string {
  const text = r.string({ maxLength: 64 });
  let bytes: Uint8Array;
  try {
    bytes = decodeId(text, kind).bytes;
  } catch (e) {
    if (e instanceof LedgerError)
      r.fail(`is not a valid ${kind} id (${kind === 'node' ? 'N' : 'M'}...): ${e.message}`);
    throw e;
  }
  if (bytes.length !== keyBytes) {
    r.fail(`is a ${bytes.length}-byte key, but ${suite} public keys are ${keyBytes} bytes (wrong suite?)`);
  }
  return text;
}

function readMembers(
  r: Reader,
  orgs: ReadonlySet<string>,
  suite: NetworkSuite,
  keyBytes: number,
  adminApprovals: number | undefined,
): GenesisMember[] {
  const seen = new Set<string>();
  let admins = 0;
  const members = r.array(1, GENESIS_LIMITS.membersMax).map((item) => {
    const f = item.object(['id', 'org', 'roles'], ['name']);
    const id = readKeyId(f.id!, 'member', suite, keyBytes);
    if (seen.has(id)) f.id!.fail('this member is listed twice');
    seen.add(id);
    const org = f.org!.string({ maxLength: 6 });
    if (!orgs.has(org)) f.org!.fail(`no organization ${org} in organizations`);
    const roleReaders = f.roles!.array(1, MEMBER_ROLES.length);
    const roles = roleReaders.map((x) => x.oneOf(MEMBER_ROLES));
    roleReaders.forEach((x, i) => {
      if (roles.indexOf(roles[i]!) !== i) x.fail(`role ${roles[i]} is listed twice`);
    });
    if (roles.includes('admin')) admins++;
    const m: GenesisMember = { id, org, roles };
    if (f.name !== undefined) m.name = f.name.string({ maxLength: GENESIS_LIMITS.nameLengthMax });
    return m;
  });
  const needed = adminApprovals ?? PARAM_SPECS.adminApprovals.default;
  if (admins < needed) {
    r.fail(`${admins} member(s) have the admin role, but governance needs ${needed} (params.adminApprovals)`);
  }
  return members;
}

function readValidators(
  r: Reader,
  orgs: ReadonlySet<string>,
  suite: NetworkSuite,
  keyBytes: number,
): GenesisValidator[] {
  const names = new Set<string>();
  const ids = new Set<string>();
  const transport = new Set<string>();
  const addresses = new Set<string>();
  return r.array(1, GENESIS_LIMITS.validatorsMax).map((item) => {
    const f = item.object(['name', 'nodeId', 'org', 'p2p', 'transportPublicKey', 'http']);
    const name = f.name!.string({ pattern: VALIDATOR_NAME, expected: 'letters, digits, . _ - (at most 64)' });
    if (names.has(name)) f.name!.fail(`validator name ${name} is used twice`);
    names.add(name);
    const nodeId = readKeyId(f.nodeId!, 'node', suite, keyBytes);
    if (ids.has(nodeId)) f.nodeId!.fail('this node id is listed twice');
    ids.add(nodeId);
    const org = f.org!.string({ maxLength: 6 });
    if (!orgs.has(org)) f.org!.fail(`no organization ${org} in organizations`);
    const p2p = readEndpoint(f.p2p!);
    const p2pKey = `${p2p.host}:${p2p.port}`;
    if (addresses.has(p2pKey)) f.p2p!.fail(`address ${p2pKey} is used by another validator`);
    addresses.add(p2pKey);
    const tpk = f.transportPublicKey!.string({
      pattern: HEX32,
      expected: '64 lower-case hex digits (a 32-byte Ed25519 public key)',
    });
    if (transport.has(tpk)) f.transportPublicKey!.fail('this transport key is used by another validator');
    transport.add(tpk);
    const http = readEndpoint(f.http!);
    return { name, nodeId, org, p2p, transportPublicKey: tpk, http };
  });
}

function readQuorumSet(r: Reader, known: ReadonlySet<string>, depth: number): QuorumSet {
  const f = r.object(['threshold', 'validators'], ['innerSets']);
  if (depth > LIMITS.maxQuorumSetDepth)
    r.fail(`quorum sets nest at most ${LIMITS.maxQuorumSetDepth} levels deep`);
  const validators = f.validators!.array(0, LIMITS.maxQuorumSetNodes).map((v) => {
    const id = v.string({ maxLength: 64 });
    if (!known.has(id)) v.fail(`${id} is not the nodeId of a validator in validators`);
    return id;
  });
  const innerSets =
    f.innerSets === undefined
      ? []
      : f.innerSets.array(0, LIMITS.maxQuorumSetNodes).map((x) => readQuorumSet(x, known, depth + 1));
  const entries = validators.length + innerSets.length;
  const threshold = f.threshold!.integer(1, Math.max(1, entries));
  const q: QuorumSet = { threshold, validators, innerSets };
  if (depth === 0) {
    const sanity = checkQuorumSetSanity(q);
    if (!sanity.ok) r.fail(`is not a valid quorum set: ${sanity.reason}`);
  }
  return q;
}

function readQuorumSets(r: Reader, validators: readonly GenesisValidator[]): GenesisQuorumSets {
  const known = new Set(validators.map((v) => v.nodeId));
  const raw = r.value;
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && Object.hasOwn(raw, 'threshold')) {
    return readQuorumSet(r, known, 0);
  }
  const out: Record<string, QuorumSet> = {};
  for (const [key, q] of r.entries(GENESIS_LIMITS.validatorsMax)) {
    if (!known.has(key)) q.fail(`${key} is not the nodeId of a validator in validators`);
    out[key] = readQuorumSet(q, known, 0);
  }
  validators.forEach((v, i) => {
    if (out[v.nodeId] === undefined) {
      r.fail(`has no quorum set for validators[${i}] (${v.name}); give one per validator or one shared set`);
    }
  });
  return out;
}

function readParams(r: Reader): Partial<NetworkParams> {
  const out: Partial<NetworkParams> = {};
  for (const [name, v] of r.entries(PARAM_NAMES.length)) {
    if (!(PARAM_NAMES as readonly string[]).includes(name)) {
      v.fail(`unknown parameter (expected one of ${PARAM_NAMES.join(', ')})`);
    }
    const spec = PARAM_SPECS[name as keyof NetworkParams];
    out[name as keyof NetworkParams] = v.integer(spec.min, spec.max, ` (${spec.meaning})`);
  }
  return out;
}

function readConsensus(r: Reader): Partial<ConsensusTiming> {
  const f = r.object([], ['targetCloseMs', 'nominationRoundMs', 'ballotRoundMs']);
  const out: Partial<ConsensusTiming> = {};
  for (const key of ['targetCloseMs', 'nominationRoundMs', 'ballotRoundMs'] as const) {
    if (f[key] !== undefined) out[key] = f[key].integer(TIMING_MIN_MS, TIMING_MAX_MS, ' ms');
  }
  return out;
}
