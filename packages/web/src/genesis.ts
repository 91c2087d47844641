// The network id from a genesis file, computed in the browser exactly as packages/ledger does
// (docs/ledger.md §5): networkId = SHA-256(CBOR(["qm/genesis/v1", canonical description])). A receipt
// whose network id matches belongs to the network that file describes.
import { bytesToHex, type CborValue, cborEncode, sha256 } from './verify';

export const GENESIS_TAG = 'qm/genesis/v1';

export class GenesisFormatError extends Error {}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(o: Obj, k: string, path: string): string {
  const v = o[k];
  if (typeof v !== 'string') throw new GenesisFormatError(`${path}.${k} must be text`);
  return v;
}
function uint(o: Obj, k: string, path: string): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new GenesisFormatError(`${path}.${k} must be a whole number`);
  }
  return v;
}
function list(o: Obj, k: string, path: string): unknown[] {
  const v = o[k];
  if (!Array.isArray(v)) throw new GenesisFormatError(`${path}.${k} must be a list`);
  return v;
}
function record(v: unknown, path: string): Obj {
  if (!isObj(v)) throw new GenesisFormatError(`${path} must be an object`);
  return v;
}

function quorumSet(v: unknown, path: string): CborValue {
  const q = record(v, path);
  return {
    threshold: uint(q, 'threshold', path),
    validators: list(q, 'validators', path).map((x, i) => {
      if (typeof x !== 'string') throw new GenesisFormatError(`${path}.validators[${i}] must be text`);
      return x;
    }),
    innerSets: list(q, 'innerSets', path).map((x, i) => quorumSet(x, `${path}.innerSets[${i}]`)),
  };
}

/**
 * A node genesis file (format 'qm-genesis/1', docs/configuration.md) as the ledger's description, the
 * same mapping as packages/node's genesisDescription: createdAt is the time, validators are named by
 * node id, and quorum sets are one shared set or one per node id.
 */
function descriptionOfGenesisFile(g: Obj): Obj {
  const sets = record(g.quorumSets, 'genesis.quorumSets');
  const shared = typeof sets.threshold === 'number';
  return {
    name: g.name,
    suite: g.suite,
    time: g.createdAt,
    organizations: g.organizations,
    members: g.members,
    validators: list(g, 'validators', 'genesis').map((x, i) => {
      const v = record(x, `validators[${i}]`);
      const id = text(v, 'nodeId', `validators[${i}]`);
      return { id, org: v.org, quorumSet: shared ? sets : sets[id] };
    }),
    ...(g.params !== undefined && { params: g.params }),
  };
}

/** The description's canonical form (packages/ledger genesis.ts canonicalDescription). */
export function canonicalDescription(json: unknown): CborValue {
  const file = record(json, 'genesis');
  const g = file.format === 'qm-genesis/1' ? descriptionOfGenesisFile(file) : file;
  const params = g.params;
  return {
    name: text(g, 'name', 'genesis'),
    suite: text(g, 'suite', 'genesis'),
    time: uint(g, 'time', 'genesis'),
    organizations: list(g, 'organizations', 'genesis').map((x, i) => {
      const o = record(x, `organizations[${i}]`);
      return {
        code: text(o, 'code', `organizations[${i}]`),
        name: text(o, 'name', `organizations[${i}]`),
        ...(o.parent !== undefined && { parent: text(o, 'parent', `organizations[${i}]`) }),
      };
    }),
    members: list(g, 'members', 'genesis').map((x, i) => {
      const m = record(x, `members[${i}]`);
      return {
        id: text(m, 'id', `members[${i}]`),
        org: text(m, 'org', `members[${i}]`),
        roles: list(m, 'roles', `members[${i}]`).map((r) => String(r)),
      };
    }),
    validators: list(g, 'validators', 'genesis').map((x, i) => {
      const v = record(x, `validators[${i}]`);
      return {
        id: text(v, 'id', `validators[${i}]`),
        org: text(v, 'org', `validators[${i}]`),
        quorumSet: quorumSet(v.quorumSet, `validators[${i}].quorumSet`),
      };
    }),
    ...(params !== undefined && {
      params: Object.fromEntries(
        Object.entries(record(params, 'params'))
          .filter(([, v]) => v !== undefined)
          .map(([k]) => [k, uint(params as Obj, k, 'params')]),
      ),
    }),
  };
}

/** The network id (hex) of a genesis file's parsed JSON; throws GenesisFormatError naming a bad field. */
export async function networkIdFromGenesis(json: unknown): Promise<string> {
  return bytesToHex(await sha256(cborEncode([GENESIS_TAG, canonicalDescription(json)])));
}
