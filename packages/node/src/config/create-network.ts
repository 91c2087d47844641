/**
 * Builds a new network's files in memory: a genesis with organizations, demo members and validators, a
 * quorum set following Stellar's practice, and every node's config and secret. `writeNetwork` puts it on
 * disk. Deterministic when given a seed (tests, reproducible devnets); otherwise keys come from the CSPRNG.
 */
import { randomBytes } from 'node:crypto';
import type { Role } from '@qm/ledger';
import { sha256 } from '@qm/ledger';
import type { NodeId, QuorumSet } from '@qm/scp';
import {
  GENESIS_FORMAT,
  GENESIS_LIMITS,
  type Genesis,
  type GenesisMember,
  type GenesisValidator,
} from './genesis.js';
import { type NetworkSuite, publicIdOf, SEED_BYTES, secretIdOf, transportPublicKeyHex } from './keys.js';
import { NODE_CONFIG_FORMAT, type NodeConfig } from './node-config.js';

export interface CreateNetworkOptions {
  name: string;
  suite: NetworkSuite;
  /**
   * Number of validators, spread round-robin over the organizations; with more organizations than
   * validators, the rest are member organizations that run none (a contractor, a small unit).
   */
  validators: number;
  /** Number of organizations (default 1). */
  organizations?: number;
  /**
   * Members per demo role in each organization (default 1). More members are more transaction sources:
   * a node queues only so many transactions per source, so a heavy load needs many.
   */
  membersPerRole?: number;
  /** Node i (0-based) uses basePort + 10i (p2p), + 1 (http), + 2 (admin). */
  basePort: number;
  /** Address every validator binds and advertises. */
  host: string;
  /** Master seed for deterministic keys; omit for fresh random keys. */
  seed?: Uint8Array;
  /** Unix seconds; default now. */
  createdAt?: number;
}

/** Ports a node takes: p2p at +0, http at +1, admin at +2; 10 apart leaves room for more services. */
export const PORTS_PER_NODE = 10;

export interface NetworkMember {
  /** File-friendly name, e.g. WQM001-admin. */
  name: string;
  id: string;
  org: string;
  roles: Role[];
  /** The member's 'S...' secret. */
  secret: string;
  /** Key file path relative to the network directory. */
  path: string;
}

export interface CreatedNetwork {
  genesis: Genesis;
  /** Paths relative to the network directory; the configs' own paths are relative to their directory. */
  nodeConfigs: { path: string; config: NodeConfig }[];
  /** Every secret key file (nodes and members), path relative to the network directory. */
  secrets: { path: string; seed: Uint8Array }[];
  members: NetworkMember[];
}

/** Organization kinds the demo network draws from; the first letter follows the DoDAAC service prefix. */
const ORG_TEMPLATES = [
  { prefix: 'W', name: 'Army Materiel Depot' },
  { prefix: 'N', name: 'Naval Supply Center' },
  { prefix: 'F', name: 'Air Logistics Complex' },
  { prefix: 'M', name: 'Marine Corps Logistics Base' },
  { prefix: 'S', name: 'Defense Logistics Agency Distribution Center' },
] as const;

const DEMO_ROLES: readonly Role[] = ['admin', 'supply', 'maintainer', 'auditor', 'device-operator'];

/** DoDAAC-style code of organization i (0-based): service letter + 'QM' + 3 digits, e.g. WQM001. */
export function orgCode(i: number): string {
  return `${ORG_TEMPLATES[i % ORG_TEMPLATES.length]!.prefix}QM${String(i + 1).padStart(3, '0')}`;
}

/**
 * Stellar's byzantine-fault-tolerant threshold, n - floor((n - 1) / 3) (= floor(2n/3) + 1 for n >= 1):
 * tolerates f = floor((n - 1) / 3) faulty entries, and any two sets of this size share more than f.
 */
export const bftThreshold = (n: number): number => n - Math.floor((n - 1) / 3);

/**
 * The recommended quorum set: with one organization, a flat BFT threshold over its validators (3 of 4);
 * otherwise one inner set per organization with a BFT threshold inside, and a BFT threshold over the
 * organizations, so that the network tolerates whole organizations failing rather than scattered nodes
 * (the two-level shape of stellar-core's automatic quorum sets). An organization with one validator is
 * listed as that validator, the normal form of a 1-of-1 inner set.
 */
export function recommendedQuorumSet(byOrg: readonly (readonly NodeId[])[]): QuorumSet {
  const orgs = byOrg.filter((ids) => ids.length > 0);
  const flat = (ids: readonly NodeId[]): QuorumSet => ({
    threshold: bftThreshold(ids.length),
    validators: [...ids],
    innerSets: [],
  });
  if (orgs.length === 1) return flat(orgs[0]!);
  const validators: NodeId[] = [];
  const innerSets: QuorumSet[] = [];
  for (const ids of orgs) {
    if (ids.length === 1) validators.push(ids[0]!);
    else innerSets.push(flat(ids));
  }
  return { threshold: bftThreshold(orgs.length), validators, innerSets };
}

function checkOptions(o: CreateNetworkOptions): void {
  const orgs = o.organizations ?? 1;
  if (!Number.isInteger(o.validators) || o.validators < 1 || o.validators > GENESIS_LIMITS.validatorsMax) {
    throw new RangeError(`validators must be an integer from 1 to ${GENESIS_LIMITS.validatorsMax}`);
  }
  if (!Number.isInteger(orgs) || orgs < 1 || orgs > 999)
    throw new RangeError('organizations must be from 1 to 999');
  const perRole = o.membersPerRole ?? 1;
  if (!Number.isInteger(perRole) || perRole < 1 || perRole > 100)
    throw new RangeError('membersPerRole must be from 1 to 100');
  const lastPort = o.basePort + PORTS_PER_NODE * (o.validators - 1) + 2;
  if (!Number.isInteger(o.basePort) || o.basePort < 1 || lastPort > 65_535) {
    throw new RangeError(
      `base port ${o.basePort} leaves no room for ${o.validators} validators (up to ${lastPort})`,
    );
  }
  if (o.seed !== undefined && o.seed.length !== SEED_BYTES)
    throw new RangeError(`seed must be ${SEED_BYTES} bytes`);
}

export function createNetwork(opts: CreateNetworkOptions): CreatedNetwork {
  checkOptions(opts);
  const orgCount = opts.organizations ?? 1;
  const label = new TextEncoder();
  // Each key's seed is sha256(master || label): independent keys, reproducible from one master seed.
  const seedFor = (what: string): Uint8Array =>
    opts.seed === undefined
      ? new Uint8Array(randomBytes(SEED_BYTES))
      : sha256(opts.seed, label.encode(`qm/devnet/${what}`));

  const organizations = Array.from({ length: orgCount }, (_, i) => ({
    code: orgCode(i),
    name: `${ORG_TEMPLATES[i % ORG_TEMPLATES.length]!.name} ${i + 1}`,
  }));

  const secrets: CreatedNetwork['secrets'] = [];
  const members: NetworkMember[] = [];
  const genesisMembers: GenesisMember[] = [];
  const perRole = opts.membersPerRole ?? 1;
  for (const org of organizations) {
    for (const role of DEMO_ROLES) {
      for (let k = 1; k <= perRole; k++) {
        const name = perRole === 1 ? `${org.code}-${role}` : `${org.code}-${role}-${k}`;
        const seed = seedFor(`member/${name}`);
        const id = publicIdOf('member', opts.suite, seed);
        const path = `members/${name}.key`;
        secrets.push({ path, seed });
        members.push({ name, id, org: org.code, roles: [role], secret: secretIdOf(seed), path });
        genesisMembers.push({ id, org: org.code, roles: [role], name });
      }
    }
  }

  const validators: GenesisValidator[] = [];
  const nodeSeeds: Uint8Array[] = [];
  for (let i = 0; i < opts.validators; i++) {
    const seed = seedFor(`node/${i + 1}`);
    nodeSeeds.push(seed);
    const port = opts.basePort + PORTS_PER_NODE * i;
    validators.push({
      name: `node-${i + 1}`,
      nodeId: publicIdOf('node', opts.suite, seed),
      org: organizations[i % orgCount]!.code,
      p2p: { host: opts.host, port },
      transportPublicKey: transportPublicKeyHex(seed),
      http: { host: opts.host, port: port + 1 },
    });
  }
  const byOrg = organizations.map((o) => validators.filter((v) => v.org === o.code).map((v) => v.nodeId));

  const genesis: Genesis = {
    format: GENESIS_FORMAT,
    name: opts.name,
    suite: opts.suite,
    createdAt: opts.createdAt ?? Math.floor(Date.now() / 1000),
    organizations,
    members: genesisMembers,
    validators,
    quorumSets: recommendedQuorumSet(byOrg),
  };

  const nodeConfigs = validators.map((v, i) => {
    const dir = `node-${i + 1}`;
    secrets.push({ path: `${dir}/secret.key`, seed: nodeSeeds[i]! });
    const config: NodeConfig = {
      format: NODE_CONFIG_FORMAT,
      genesis: '../genesis.json',
      secretKeyFile: 'secret.key',
      dataDir: 'data',
      p2p: { ...v.p2p },
      http: { ...v.http },
      // Admin stays on loopback whatever the public host is.
      admin: { host: '127.0.0.1', port: v.p2p.port + 2 },
      log: { level: 'info' },
    };
    return { path: `${dir}/config.json`, config };
  });

  return { genesis, nodeConfigs, secrets, members };
}
