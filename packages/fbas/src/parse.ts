import { FbasError } from './errors.js';
import type { RawNode, RawQuorumSet } from './model.js';

/**
 * Reads a network description from JSON text. Three formats are recognised by shape:
 * - stellarbeat: an array of nodes `{publicKey, name?, quorumSet: {threshold, validators, innerQuorumSets},
 *   organizationId? | organization?, geoData?: {countryCode}, country?, isp?}`;
 * - stellar-core's `quorum?transitive=true` answer: `{transitive: {nodes: [{node, qset: {t, v}}]}}`, or a
 *   bare array / `{nodes}` of such entries; `v` mixes node ids and nested `{t, v}` sets;
 * - Quartermaster's own: `{nodes: [{id, organization?, quorumSet: {threshold, validators, innerSets}}]}`.
 * An optional stellarbeat organizations file (array of `{id, name, validators}`) names organizations.
 */
export type NetworkFormat = 'stellarbeat' | 'stellar-core' | 'quartermaster';

export interface ParsedNetwork {
  format: NetworkFormat;
  nodes: RawNode[];
}

export function parseJson(text: string, what = 'input'): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FbasError('BAD_JSON', `${what} is not valid JSON: ${(e as Error).message}`);
  }
}

export function parseNetwork(text: string, organizationsText?: string): ParsedNetwork {
  const doc = parseJson(text, 'network file');
  const parsed = parseDocument(doc);
  if (organizationsText !== undefined) applyOrganizations(parsed.nodes, organizationsText);
  else nameOrganizationsByHomeDomain(parsed.nodes);
  return parsed;
}

/**
 * stellarbeat snapshots carry opaque organization ids; without the organizations file, an organization
 * whose nodes share one home domain is named after it (readable, and unique in practice).
 */
function nameOrganizationsByHomeDomain(nodes: RawNode[]): void {
  const domains = new Map<string, Set<string>>();
  for (const n of nodes) {
    if (n.organization === undefined || n.homeDomain === undefined) continue;
    const set = domains.get(n.organization) ?? new Set<string>();
    set.add(n.homeDomain);
    domains.set(n.organization, set);
  }
  const taken = new Set<string>();
  for (const [org, set] of domains) {
    const [domain] = set;
    if (set.size === 1 && domain !== undefined && !taken.has(domain)) taken.add(domain);
    else domains.delete(org);
  }
  for (const n of nodes) {
    const set = n.organization === undefined ? undefined : domains.get(n.organization);
    if (set !== undefined) n.organization = [...set][0];
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function parseDocument(doc: unknown): ParsedNetwork {
  if (isObject(doc) && isObject(doc.transitive) && Array.isArray(doc.transitive.nodes)) {
    return { format: 'stellar-core', nodes: doc.transitive.nodes.map(coreNode) };
  }
  const list = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.nodes) ? doc.nodes : undefined;
  if (list === undefined) {
    throw new FbasError(
      'UNKNOWN_FORMAT',
      'expected an array of nodes, {nodes: [...]} or {transitive: {...}}',
    );
  }
  const first = list.find(isObject);
  if (first === undefined) return { format: 'stellarbeat', nodes: [] };
  if ('publicKey' in first) return { format: 'stellarbeat', nodes: list.map(stellarbeatNode) };
  if ('node' in first) return { format: 'stellar-core', nodes: list.map(coreNode) };
  if ('id' in first) return { format: 'quartermaster', nodes: list.map(ownNode) };
  throw new FbasError(
    'UNKNOWN_FORMAT',
    'nodes carry none of publicKey (stellarbeat), node (stellar-core), id',
  );
}

function bad(i: number, message: string): FbasError {
  return new FbasError('BAD_NODE', `node #${i}: ${message}`, { index: i });
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' && x.length > 0 ? x : undefined;
}

function requireId(x: unknown, i: number, field: string): string {
  const id = str(x);
  if (id === undefined) throw bad(i, `${field} must be a non-empty string`);
  return id;
}

function stellarbeatNode(n: unknown, i: number): RawNode {
  if (!isObject(n)) throw bad(i, 'not an object');
  const geo = isObject(n.geoData) ? n.geoData : {};
  const org = isObject(n.organization) ? (n.organization.id ?? n.organization.name) : n.organization;
  return {
    id: requireId(n.publicKey, i, 'publicKey'),
    name: str(n.name) ?? str(n.alias),
    organization: str(n.organizationId) ?? str(org) ?? undefined,
    country: str(geo.countryCode) ?? str(geo.countryName) ?? str(n.country),
    isp: str(n.isp),
    homeDomain: str(n.homeDomain),
    quorumSet: n.quorumSet == null ? null : namedQSet(n.quorumSet, i, 'innerQuorumSets', 0),
  };
}

function ownNode(n: unknown, i: number): RawNode {
  if (!isObject(n)) throw bad(i, 'not an object');
  return {
    id: requireId(n.id, i, 'id'),
    name: str(n.name),
    organization: str(n.organization),
    country: str(n.country),
    isp: str(n.isp),
    quorumSet: n.quorumSet == null ? null : namedQSet(n.quorumSet, i, 'innerSets', 0),
  };
}

function namedQSet(q: unknown, i: number, innerKey: string, depth: number): RawQuorumSet {
  if (depth > 16) throw bad(i, 'quorum set nested too deep');
  if (!isObject(q)) throw bad(i, 'quorumSet is not an object');
  if (Object.keys(q).length === 0)
    return { threshold: Number.MAX_SAFE_INTEGER, validators: [], innerSets: [] };
  const validators = q.validators ?? [];
  const inner = q[innerKey] ?? [];
  if (typeof q.threshold !== 'number') throw bad(i, 'quorumSet.threshold must be a number');
  if (!Array.isArray(validators) || !validators.every((v) => typeof v === 'string')) {
    throw bad(i, 'quorumSet.validators must be an array of strings');
  }
  if (!Array.isArray(inner)) throw bad(i, `quorumSet.${innerKey} must be an array`);
  return {
    threshold: q.threshold,
    validators: validators as string[],
    innerSets: inner.map((s) => namedQSet(s, i, innerKey, depth + 1)),
  };
}

function coreNode(n: unknown, i: number): RawNode {
  if (!isObject(n)) throw bad(i, 'not an object');
  return {
    id: requireId(n.node, i, 'node'),
    name: str(n.name),
    quorumSet: n.qset == null ? null : coreQSet(n.qset, i, 0),
  };
}

function coreQSet(q: unknown, i: number, depth: number): RawQuorumSet {
  if (depth > 16) throw bad(i, 'qset nested too deep');
  if (!isObject(q) || typeof q.t !== 'number' || !Array.isArray(q.v)) throw bad(i, 'qset must be {t, v}');
  const validators: string[] = [];
  const innerSets: RawQuorumSet[] = [];
  for (const e of q.v) {
    if (typeof e === 'string') validators.push(e);
    else innerSets.push(coreQSet(e, i, depth + 1));
  }
  return { threshold: q.t, validators, innerSets };
}

/** Applies a stellarbeat organizations file: organization ids become names; membership fills gaps. */
export function applyOrganizations(nodes: RawNode[], organizationsText: string): void {
  const doc = parseJson(organizationsText, 'organizations file');
  if (!Array.isArray(doc)) throw new FbasError('UNKNOWN_FORMAT', 'organizations file must be an array');
  const nameById = new Map<string, string>();
  const orgOfNode = new Map<string, string>();
  doc.forEach((o, i) => {
    if (!isObject(o)) throw new FbasError('BAD_NODE', `organization #${i}: not an object`);
    const id = str(o.id) ?? str(o.name);
    if (id === undefined) throw new FbasError('BAD_NODE', `organization #${i}: no id`);
    const name = str(o.name) ?? id;
    nameById.set(id, name);
    if (Array.isArray(o.validators))
      for (const v of o.validators) if (typeof v === 'string') orgOfNode.set(v, name);
  });
  for (const n of nodes) {
    if (n.organization !== undefined) n.organization = nameById.get(n.organization) ?? n.organization;
    else n.organization = orgOfNode.get(n.id);
  }
}
