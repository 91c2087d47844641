/**
 * Who acts in the demo: the network's organizations and members (with their secret seeds), as the
 * devnet creates them. Members are looked up by organization and role, so the workload works with any
 * split of roles over keys (one role per key as in `qm devnet`, or one key with every role).
 */
import { encodeId, getSuite, type Role, type SignatureSuite } from '@qm/ledger';

export interface Actors {
  networkId: Uint8Array;
  suite: string;
  organizations: { code: string; name: string }[];
  members: { name: string; org: string; roles: readonly Role[]; seed: Uint8Array }[];
}

/** A key that signs transactions: a member or a device. */
export interface Signer {
  readonly name: string;
  /** Strkey id (M... or D...), the ledger's name for the source. */
  readonly id: string;
  readonly org: string;
  readonly roles: readonly Role[];
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

export class ActorDirectory {
  readonly suite: SignatureSuite;
  readonly members: readonly Signer[];
  readonly #byRole = new Map<string, Signer[]>();
  readonly #turns = new Map<string, number>();

  constructor(readonly actors: Actors) {
    this.suite = getSuite(actors.suite);
    this.members = actors.members.map((m) => {
      const kp = this.suite.generateKeyPair(m.seed);
      return {
        name: m.name,
        id: encodeId('member', kp.publicKey),
        org: m.org,
        roles: [...m.roles],
        publicKey: kp.publicKey,
        privateKey: kp.privateKey,
      };
    });
  }

  get orgCodes(): string[] {
    return this.actors.organizations.map((o) => o.code);
  }

  /**
   * A member of `org` holding `role`. With several, they take turns (in the order listed, so runs
   * repeat): load spreads over their sequence numbers, as a node queues only so many per source.
   */
  withRole(org: string, role: Role): Signer | undefined {
    const key = `${org}/${role}`;
    let all = this.#byRole.get(key);
    if (all === undefined) {
      all = this.members.filter((m) => m.org === org && m.roles.includes(role));
      this.#byRole.set(key, all);
    }
    if (all.length <= 1) return all[0];
    const turn = this.#turns.get(key) ?? 0;
    this.#turns.set(key, turn + 1);
    return all[turn % all.length];
  }

  /** A device key derived from a seed the workload owns. */
  device(name: string, org: string, seed: Uint8Array): Signer {
    const kp = this.suite.generateKeyPair(seed);
    return {
      name,
      id: encodeId('device', kp.publicKey),
      org,
      roles: [],
      publicKey: kp.publicKey,
      privateKey: kp.privateKey,
    };
  }
}
