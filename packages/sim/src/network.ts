import type { Envelope, NodeId, SlotIndex } from '@qm/scp';
import type { VirtualClock } from './clock.js';
import { SimError } from './errors.js';
import type { Prng } from './prng.js';

/** What crosses the virtual network: an SCP envelope, or a request to resend state (a reconnect). */
export type SimMessage =
  | { readonly kind: 'scp'; readonly envelope: Envelope }
  | { readonly kind: 'state-request'; readonly fromSlot: SlotIndex };

/** Link behaviour applied to each message when it is sent. Delay jitter is what reorders messages. */
export interface LinkConditions {
  readonly delayMinMs: number;
  readonly delayMaxMs: number;
  readonly dropProbability: number;
  readonly duplicateProbability: number;
}

export const HEALTHY_LINKS: LinkConditions = {
  delayMinMs: 5,
  delayMaxMs: 80,
  dropProbability: 0,
  duplicateProbability: 0,
};

export interface NetworkStats {
  sent: number;
  delivered: number;
  dropped: number;
  cut: number;
  duplicated: number;
  lostToDownNode: number;
}

export interface Endpoint {
  isUp(): boolean;
  deliver(from: NodeId, message: SimMessage): void;
}

/**
 * The virtual network. Each send draws its fate from the network's PRNG streams in a fixed order, then
 * schedules delivery on the virtual clock. A message is a deep copy (structuredClone), so sender and
 * receiver never share an object. Cut links drop at send time; a node that is down when a message
 * arrives loses it (its connections are gone).
 */
export class VirtualNetwork {
  private readonly endpoints = new Map<NodeId, Endpoint>();
  private readonly cutLinks = new Set<string>();
  private conditions: LinkConditions = HEALTHY_LINKS;
  private readonly delayRng: Prng;
  private readonly lossRng: Prng;
  /** Called on every delivery; the runner folds these into the run's trace hash. */
  onDeliver: ((atMs: number, from: NodeId, to: NodeId, message: SimMessage) => void) | null = null;
  readonly stats: NetworkStats = {
    sent: 0,
    delivered: 0,
    dropped: 0,
    cut: 0,
    duplicated: 0,
    lostToDownNode: 0,
  };

  constructor(
    private readonly clock: VirtualClock,
    rng: Prng,
  ) {
    this.delayRng = rng.fork('delay');
    this.lossRng = rng.fork('loss');
  }

  register(node: NodeId, endpoint: Endpoint): void {
    this.endpoints.set(node, endpoint);
  }

  nodes(): NodeId[] {
    return [...this.endpoints.keys()];
  }

  setConditions(conditions: LinkConditions): void {
    validateConditions(conditions);
    this.conditions = conditions;
  }

  getConditions(): LinkConditions {
    return this.conditions;
  }

  /** Cuts every link between the groups (both directions). Links within a group are untouched. */
  partition(groups: readonly (readonly NodeId[])[]): void {
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        for (const a of groups[i]!) {
          for (const b of groups[j]!) {
            this.cutLinks.add(linkKey(a, b));
            this.cutLinks.add(linkKey(b, a));
          }
        }
      }
    }
  }

  healPartitions(): void {
    this.cutLinks.clear();
  }

  isCut(from: NodeId, to: NodeId): boolean {
    return this.cutLinks.has(linkKey(from, to));
  }

  send(from: NodeId, to: NodeId, message: SimMessage): void {
    const target = this.endpoints.get(to);
    if (!target)
      throw new SimError('UNKNOWN_NODE', 'send to a node that is not on the network', { from, to });
    this.stats.sent++;
    if (this.isCut(from, to)) {
      this.stats.cut++;
      return;
    }
    const c = this.conditions;
    if (this.lossRng.chance(c.dropProbability)) {
      this.stats.dropped++;
      return;
    }
    const copies = this.lossRng.chance(c.duplicateProbability) ? 2 : 1;
    if (copies === 2) this.stats.duplicated++;
    for (let i = 0; i < copies; i++) {
      const delayMs = this.delayRng.int(c.delayMinMs, c.delayMaxMs);
      const copy = structuredClone(message);
      this.clock.schedule(delayMs, () => {
        if (!target.isUp()) {
          this.stats.lostToDownNode++;
          return;
        }
        this.stats.delivered++;
        this.onDeliver?.(this.clock.now(), from, to, copy);
        target.deliver(from, copy);
      });
    }
  }

  /** Sends to every other registered node, in registration order (deterministic). */
  broadcast(from: NodeId, message: SimMessage): void {
    for (const to of this.endpoints.keys()) if (to !== from) this.send(from, to, message);
  }
}

function linkKey(from: NodeId, to: NodeId): string {
  return `${from}\u0000${to}`;
}

function validateConditions(c: LinkConditions): void {
  const ok =
    Number.isInteger(c.delayMinMs) &&
    Number.isInteger(c.delayMaxMs) &&
    c.delayMinMs >= 0 &&
    c.delayMaxMs >= c.delayMinMs &&
    c.dropProbability >= 0 &&
    c.dropProbability <= 1 &&
    c.duplicateProbability >= 0 &&
    c.duplicateProbability <= 1;
  if (!ok) throw new SimError('BAD_ARGUMENT', 'invalid link conditions', { ...c });
}
