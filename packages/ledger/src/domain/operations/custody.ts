/**
 * Custody transfer as a proposal: the custodian offers, the receiving organization accepts or rejects.
 * One offer per item at a time, so concurrent offers resolve in ledger order: the later one fails
 * OFFER_PENDING, and an accept naming an offer that is no longer pending fails OFFER_SUPERSEDED.
 * Components travel with their assembly.
 */
import { type Exec, fail, invariant } from '../exec.js';
import { optionalText, str } from '../fields.js';
import type { Alert } from '../state.js';
import { type CustodyOffer, comparePendingOffers, type Item, type OfferStatus, State } from '../state.js';
import type { StateStore } from '../store.js';
import { loadItem, requireNotInstalled, updateAssembly } from './common.js';

export interface OfferCustody {
  type: 'offerCustody';
  uii: string;
  /** The receiving organization. */
  to: string;
  /** Ownership moves too on accept (the offering organization must own the item). */
  ownership?: boolean;
}
export interface AcceptCustody {
  type: 'acceptCustody';
  uii: string;
  offerId: string;
}
export interface RejectCustody {
  type: 'rejectCustody';
  uii: string;
  offerId: string;
  reason?: string;
}
export interface WithdrawCustodyOffer {
  type: 'withdrawCustodyOffer';
  uii: string;
  offerId: string;
}

export type CustodyOperation = OfferCustody | AcceptCustody | RejectCustody | WithdrawCustodyOffer;

export function offerCustody(x: Exec, op: OfferCustody): void {
  const item = loadItem(x, op);
  const to = str(op, 'to');
  const ownership = op.ownership === undefined ? false : op.ownership;
  if (typeof ownership !== 'boolean') fail('OP_MALFORMED', 'ownership must be a boolean');
  x.actorWith(['supply'], item.custodian);
  if (ownership && item.owner !== item.custodian) {
    fail('NOT_OWNER', `item ${item.uii} is owned by ${item.owner}, not ${item.custodian}`);
  }
  requireNotInstalled(item);
  if (item.status === 'quarantined') fail('ITEM_QUARANTINED', `item ${item.uii} is quarantined`);
  if (item.pendingOffer !== undefined) {
    fail('OFFER_PENDING', `item ${item.uii} already has pending custody offer ${item.pendingOffer}`);
  }
  if (!x.state.org(to)) fail('ORG_NOT_FOUND', `organization ${to} is not registered`);
  if (to === item.custodian) fail('OFFER_TO_SELF', `${to} already holds item ${item.uii}`);
  const id = x.positionId;
  const offer: CustodyOffer = {
    id,
    uii: item.uii,
    from: item.custodian,
    to,
    ownership,
    offeredBy: x.ctx.source,
    offeredAt: x.now,
    expiresAt: x.now + x.params().custodyOfferTtlSeconds,
    status: 'pending',
  };
  invariant(!x.state.offer(id), `offer id ${id} reused`);
  x.state.putOffer(offer);
  x.state.putItem({ ...item, pendingOffer: id });
  const index = [...x.state.pendingOffers(), { expiresAt: offer.expiresAt, offerId: id, uii: item.uii }];
  x.state.putPendingOffers(index.sort(comparePendingOffers));
  x.emit('custodyOffered', item.uii, {
    offerId: id,
    from: offer.from,
    to,
    ownership,
    expiresAt: offer.expiresAt,
  });
}

/** Loads the named offer and checks that it is still pending and unexpired. */
function pendingOffer(x: Exec, op: AcceptCustody | RejectCustody | WithdrawCustodyOffer): CustodyOffer {
  const uii = str(op, 'uii');
  const offerId = str(op, 'offerId');
  const offer = x.state.offer(offerId);
  if (!offer) fail('OFFER_NOT_FOUND', `no custody offer ${offerId}`);
  if (offer.uii !== uii) fail('OFFER_MISMATCH', `offer ${offerId} is for item ${offer.uii}, not ${uii}`);
  return offer;
}

function requireOpen(x: Exec, offer: CustodyOffer): void {
  if (offer.status === 'expired' || (offer.status === 'pending' && x.now >= offer.expiresAt)) {
    fail('OFFER_EXPIRED', `offer ${offer.id} expired at ${offer.expiresAt}`);
  }
  if (offer.status !== 'pending')
    fail('OFFER_SUPERSEDED', `offer ${offer.id} is ${offer.status}, not pending`);
}

/** Closes a pending offer: status, the item's pending marker and the expiry index. */
function closeOffer(state: State, offer: CustodyOffer, status: OfferStatus, now: number): void {
  state.putOffer({ ...offer, status, closedAt: now });
  state.putPendingOffers(state.pendingOffers().filter((r) => r.offerId !== offer.id));
  const item = state.item(offer.uii);
  invariant(
    item?.pendingOffer === offer.id,
    `item ${offer.uii} does not point at its pending offer ${offer.id}`,
  );
  const { pendingOffer: _closed, ...rest } = item;
  state.putItem(rest);
}

export function acceptCustody(x: Exec, op: AcceptCustody): void {
  const offer = pendingOffer(x, op);
  x.actorWith(['supply'], offer.to, 'NOT_RECEIVER');
  requireOpen(x, offer);
  closeOffer(x.state, offer, 'accepted', x.now);
  const item = x.state.item(offer.uii)!;
  updateAssembly(x, item, (it) => ({
    ...it,
    custodian: offer.to,
    ...(offer.ownership && { owner: offer.to }),
  }));
  x.emit('custodyAccepted', offer.uii, {
    offerId: offer.id,
    from: offer.from,
    to: offer.to,
    ownership: offer.ownership,
  });
}

export function rejectCustody(x: Exec, op: RejectCustody): void {
  const offer = pendingOffer(x, op);
  const reason = optionalText(op, 'reason');
  x.actorWith(['supply'], offer.to, 'NOT_RECEIVER');
  requireOpen(x, offer);
  closeOffer(x.state, offer, 'rejected', x.now);
  x.emit('custodyRejected', offer.uii, { offerId: offer.id, ...(reason !== undefined && { reason }) });
}

export function withdrawCustodyOffer(x: Exec, op: WithdrawCustodyOffer): void {
  const offer = pendingOffer(x, op);
  x.actorWith(['supply'], offer.from);
  requireOpen(x, offer);
  closeOffer(x.state, offer, 'withdrawn', x.now);
  x.emit('custodyOfferWithdrawn', offer.uii, { offerId: offer.id });
}

/** Withdraws the item's pending offer, if any (quarantine does this: a suspect item stays put). */
export function withdrawPendingOffer(x: Exec, item: Item, why: string): void {
  if (item.pendingOffer === undefined) return;
  const offer = x.state.offer(item.pendingOffer);
  invariant(offer?.status === 'pending', `item ${item.uii} points at a closed offer`);
  closeOffer(x.state, offer, 'withdrawn', x.now);
  x.emit('custodyOfferWithdrawn', item.uii, { offerId: offer.id, reason: why });
}

/**
 * Ledger-close step: every pending offer whose expiry is at or before closeTime expires and raises a
 * custody-offer-expired alert. Walks the expiry-ordered index, so the order (and alert ids) is the same
 * on every node. Returns the alerts raised.
 */
export function checkExpiredOffers(store: StateStore, closeTime: number, ledgerSeq = 0): Alert[] {
  const state = new State(store);
  const alerts: Alert[] = [];
  for (const ref of state.pendingOffers()) {
    if (ref.expiresAt > closeTime) break;
    const offer = state.offer(ref.offerId);
    invariant(offer?.status === 'pending', `expiry index names offer ${ref.offerId} which is not pending`);
    closeOffer(state, offer, 'expired', closeTime);
    alerts.push(
      state.recordAlert(
        {
          kind: 'custody-offer-expired',
          subject: offer.uii,
          details: {
            offerId: offer.id,
            from: offer.from,
            to: offer.to,
            offeredAt: offer.offeredAt,
            expiresAt: offer.expiresAt,
          },
        },
        ledgerSeq,
        closeTime,
      ),
    );
  }
  return alerts;
}
