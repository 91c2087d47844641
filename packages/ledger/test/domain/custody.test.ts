import { describe, expect, it } from 'vitest';
import { checkExpiredOffers, type OpResult } from '../../src/domain/index.js';
import {
  DEPOT,
  DISK_NSN,
  expectFail,
  expectOk,
  M,
  NAVY,
  registerAt,
  uii,
  WING,
  type World,
  world,
} from './fixtures.js';

const offerIdOf = (r: OpResult): string => {
  if (!r.ok) throw new Error(`offer failed: ${r.code}`);
  return r.events![0]!.data!.offerId as string;
};

function offer(w: World, to = WING, extra: object = {}, source: string = M.supplyA): OpResult {
  return w.op(source, { type: 'offerCustody', uii: uii('S1'), to, ...extra });
}

describe('custody offer -> accept', () => {
  it('moves custody (and the whole assembly) when the receiver accepts; ownership stays', () => {
    const w = world();
    registerAt(w, 'S1');
    registerAt(w, 'D1', DISK_NSN);
    w.ok(M.maintA, { type: 'installItem', uii: uii('D1'), parent: uii('S1') });
    const r = offer(w);
    const id = offerIdOf(r);
    expect(w.state.offer(id)).toMatchObject({ from: DEPOT, to: WING, status: 'pending', ownership: false });
    expect(w.state.item(uii('S1'))?.pendingOffer).toBe(id);
    expectOk(w.op(M.supplyB, { type: 'acceptCustody', uii: uii('S1'), offerId: id }));
    expect(w.state.item(uii('S1'))).toMatchObject({ custodian: WING, owner: DEPOT });
    expect(w.state.item(uii('S1'))?.pendingOffer).toBeUndefined();
    expect(w.state.item(uii('D1'))).toMatchObject({ custodian: WING, owner: DEPOT });
    expect(w.state.offer(id)?.status).toBe('accepted');
    expect(w.state.pendingOffers()).toEqual([]);
    // The new custodian's staff now act on it; the old one's do not.
    expectFail(
      w.op(M.supplyA, { type: 'moveItem', uii: uii('S1'), location: { site: 'DEPOT-A' } }),
      'NOT_CUSTODIAN',
    );
    expectOk(w.op(M.supplyB, { type: 'moveItem', uii: uii('S1'), location: { site: 'EDWARDS' } }));
    expect(w.state.item(uii('D1'))?.location).toEqual({ site: 'EDWARDS' });
  });

  it('moves ownership too when offered with ownership', () => {
    const w = world();
    registerAt(w, 'S1');
    const id = offerIdOf(offer(w, WING, { ownership: true }));
    expectOk(w.op(M.supplyB, { type: 'acceptCustody', uii: uii('S1'), offerId: id }));
    expect(w.state.item(uii('S1'))).toMatchObject({ custodian: WING, owner: WING });
    // The wing holds but does not own the next one, so it cannot pass on ownership.
    const id2 = offerIdOf(offer(w, NAVY, {}, M.supplyB));
    w.ok(M.supplyN, { type: 'acceptCustody', uii: uii('S1'), offerId: id2 });
    expectFail(offer(w, DEPOT, { ownership: true }, M.supplyN), 'NOT_OWNER');
  });
});

describe('offer failures', () => {
  it('only the custodian’s supply staff offer', () => {
    const w = world();
    registerAt(w, 'S1');
    expectFail(offer(w, NAVY, {}, M.supplyB), 'NOT_CUSTODIAN');
    expectFail(offer(w, NAVY, {}, M.maintA), 'ROLE_REQUIRED');
    expectFail(offer(w, NAVY, {}, M.auditor), 'ROLE_REQUIRED');
  });

  it('fails ORG_NOT_FOUND, OFFER_TO_SELF, ITEM_INSTALLED, OP_MALFORMED', () => {
    const w = world();
    registerAt(w, 'S1');
    registerAt(w, 'S2');
    expectFail(offer(w, 'NOPE00'), 'ORG_NOT_FOUND');
    expectFail(offer(w, DEPOT), 'OFFER_TO_SELF');
    expectFail(offer(w, WING, { ownership: 'yes' }), 'OP_MALFORMED');
    registerAt(w, 'D1', DISK_NSN);
    w.ok(M.maintA, { type: 'installItem', uii: uii('D1'), parent: uii('S2') });
    expectFail(w.op(M.supplyA, { type: 'offerCustody', uii: uii('D1'), to: WING }), 'ITEM_INSTALLED');
  });
});

describe('concurrent offers resolve in ledger order', () => {
  it('a second offer while one is pending fails OFFER_PENDING, in the same or a later transaction', () => {
    const w = world();
    registerAt(w, 'S1');
    const t = w.tx(M.supplyA, [
      { type: 'offerCustody', uii: uii('S1'), to: WING },
      { type: 'offerCustody', uii: uii('S1'), to: NAVY },
    ]);
    expect(t.ok).toBe(false);
    expectFail(t.results[1]!, 'OFFER_PENDING');
    const first = offerIdOf(offer(w, WING));
    expectFail(offer(w, NAVY), 'OFFER_PENDING');
    expect(w.state.item(uii('S1'))?.pendingOffer).toBe(first);
  });

  it('an accept for a superseded offer fails OFFER_SUPERSEDED; the live offer still works', () => {
    const w = world();
    registerAt(w, 'S1');
    const first = offerIdOf(offer(w, WING));
    expectOk(
      w.op(M.supplyB, { type: 'rejectCustody', uii: uii('S1'), offerId: first, reason: 'no hangar space' }),
    );
    expect(w.state.offer(first)?.status).toBe('rejected');
    const second = offerIdOf(offer(w, NAVY));
    expect(second).not.toBe(first);
    expectFail(
      w.op(M.supplyB, { type: 'acceptCustody', uii: uii('S1'), offerId: first }),
      'OFFER_SUPERSEDED',
    );
    expectOk(w.op(M.supplyN, { type: 'acceptCustody', uii: uii('S1'), offerId: second }));
    expectFail(
      w.op(M.supplyN, { type: 'acceptCustody', uii: uii('S1'), offerId: second }),
      'OFFER_SUPERSEDED',
    );
  });

  it('two receivers racing: the first accept in ledger order wins', () => {
    const w = world();
    registerAt(w, 'S1');
    const id = offerIdOf(offer(w, WING));
    // Two wing members submit accepts; the ledger orders them.
    w.ok(M.admin2, { type: 'addMember', member: 'supply-wing-2', org: WING, roles: ['supply'] });
    expectOk(w.op('supply-wing-2', { type: 'acceptCustody', uii: uii('S1'), offerId: id }));
    expectFail(w.op(M.supplyB, { type: 'acceptCustody', uii: uii('S1'), offerId: id }), 'OFFER_SUPERSEDED');
  });
});

describe('accept, reject and withdraw failures', () => {
  it('only the receiving organization accepts or rejects; the offerer withdraws', () => {
    const w = world();
    registerAt(w, 'S1');
    registerAt(w, 'S2');
    const id = offerIdOf(offer(w, WING));
    for (const type of ['acceptCustody', 'rejectCustody']) {
      expectFail(w.op(M.supplyN, { type, uii: uii('S1'), offerId: id }), 'NOT_RECEIVER');
      expectFail(w.op(M.supplyA, { type, uii: uii('S1'), offerId: id }), 'NOT_RECEIVER');
      expectFail(w.op(M.maintB, { type, uii: uii('S1'), offerId: id }), 'ROLE_REQUIRED');
      expectFail(w.op(M.supplyB, { type, uii: uii('S1'), offerId: 'nope' }), 'OFFER_NOT_FOUND');
      expectFail(w.op(M.supplyB, { type, uii: uii('S2'), offerId: id }), 'OFFER_MISMATCH');
    }
    expectFail(
      w.op(M.supplyB, { type: 'rejectCustody', uii: uii('S1'), offerId: id, reason: '' }),
      'TEXT_INVALID',
    );
    expectFail(
      w.op(M.supplyB, { type: 'withdrawCustodyOffer', uii: uii('S1'), offerId: id }),
      'NOT_CUSTODIAN',
    );
    expectOk(w.op(M.supplyA, { type: 'withdrawCustodyOffer', uii: uii('S1'), offerId: id }));
    expect(w.state.offer(id)?.status).toBe('withdrawn');
    expectFail(
      w.op(M.supplyA, { type: 'withdrawCustodyOffer', uii: uii('S1'), offerId: id }),
      'OFFER_SUPERSEDED',
    );
  });

  it('an offer past its expiry cannot be accepted, even before the close-time sweep', () => {
    const w = world();
    registerAt(w, 'S1');
    const id = offerIdOf(offer(w, WING));
    w.time += w.state.params().custodyOfferTtlSeconds;
    expectFail(w.op(M.supplyB, { type: 'acceptCustody', uii: uii('S1'), offerId: id }), 'OFFER_EXPIRED');
    expectFail(w.op(M.supplyB, { type: 'rejectCustody', uii: uii('S1'), offerId: id }), 'OFFER_EXPIRED');
  });
});

describe('checkExpiredOffers', () => {
  it('expires overdue offers in expiry order, raising one custody-offer-expired alert each', () => {
    const w = world();
    registerAt(w, 'S1');
    registerAt(w, 'S2');
    const ttl = w.state.params().custodyOfferTtlSeconds;
    const a = offerIdOf(offer(w, WING));
    w.time += 100;
    const b = offerIdOf(w.op(M.supplyA, { type: 'offerCustody', uii: uii('S2'), to: NAVY }));
    expect(checkExpiredOffers(w.store, w.time + ttl - 101, w.seq)).toEqual([]);
    const alerts = checkExpiredOffers(w.store, w.time + ttl - 100, w.seq);
    expect(alerts.map((x) => [x.kind, x.subject, x.details.offerId])).toEqual([
      ['custody-offer-expired', uii('S1'), a],
    ]);
    expect(w.state.offer(a)?.status).toBe('expired');
    expect(w.state.item(uii('S1'))?.pendingOffer).toBeUndefined();
    expectFail(w.op(M.supplyB, { type: 'acceptCustody', uii: uii('S1'), offerId: a }), 'OFFER_EXPIRED');
    const later = checkExpiredOffers(w.store, w.time + ttl + 5000, w.seq);
    expect(later.map((x) => x.details.offerId)).toEqual([b]);
    expect(w.state.alert(later[0]!.id)).toEqual(later[0]);
    // Once expired, the item can be offered again.
    expectOk(offer(w, NAVY));
  });
});
