import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  apiClient,
  getJson,
  toAlerts,
  toItem,
  toLedgerEvent,
  toLedgers,
  toNetwork,
  toPeers,
  toQuorumHealth,
  toStatus,
  toStock,
} from '../src/api';

describe('API normalizers', () => {
  it('reads /v1/status as documented and survives missing fields', () => {
    const s = toStatus({
      nodeId: 'GA',
      network: { name: 'devnet', id: 'ab', suite: 'ed25519' },
      state: 'synced',
      ledger: { seq: 12, hash: 'ff', closeTime: 1_700_000_000, sinceLastCloseMs: 800 },
      txQueue: 3,
      peers: 3,
      summary: 'ok',
    });
    expect(s).toMatchObject({
      nodeId: 'GA',
      networkName: 'devnet',
      state: 'synced',
      ledgerSeq: 12,
      peers: 3,
    });
    const empty = toStatus(null);
    expect(empty).toMatchObject({ nodeId: '?', state: 'unknown', ledgerSeq: null, summary: '' });
    expect(toStatus({ state: 'catching_up', peers: [{}, {}], ledger: { sequence: '7' } })).toMatchObject({
      state: 'catching-up',
      peers: 2,
      ledgerSeq: 7,
    });
  });

  it('reads /v1/quorum, mapping unknown statuses to missing', () => {
    const q = toQuorumHealth({
      nodeId: 'A',
      stuck: true,
      stuckForMs: 9000,
      members: [
        { node: 'B', status: 'agree', lastHeardAgoMs: 10, possiblyDead: false, lag: 0 },
        { node: 'C', status: 'weird', lastHeardAgoMs: null, possiblyDead: true },
      ],
      failAt: 0,
      failWith: [],
      unsatisfied: [{ path: 'top', threshold: 3, satisfied: 2, unavailable: ['C'] }],
      restoreSets: [['C'], ['D']],
      restoreSearchTruncated: false,
      summary: 'stuck',
    });
    expect(q.stuck).toBe(true);
    expect(q.members[1]).toMatchObject({ node: 'C', status: 'missing', lastHeardAgoMs: null, lag: null });
    expect(q.unsatisfied[0]!.unavailable).toEqual(['C']);
    expect(q.restoreSets).toEqual([['C'], ['D']]);
  });

  it('reads /v1/network with nested quorum sets and tolerates alternative names', () => {
    const n = toNetwork({
      validators: [
        {
          nodeId: 'A',
          name: 'alpha',
          org: 'Depot',
          http: 'http://127.0.0.1:1/',
          quorumSet: {
            threshold: 2,
            validators: ['A', 'B'],
            innerSets: [{ threshold: 1, validators: ['C'] }],
          },
        },
        { id: 'B', organization: 'Wing' },
      ],
      analysis: {
        intersects: true,
        topTier: ['A'],
        minimalBlockingSets: [['A']],
        criticalOrganizations: ['Depot'],
      },
    });
    expect(n.validators[0]).toMatchObject({ http: 'http://127.0.0.1:1', org: 'Depot' });
    expect(n.validators[0]!.quorumSet!.innerSets[0]).toEqual({
      threshold: 1,
      validators: ['C'],
      innerSets: [],
    });
    expect(n.validators[1]).toMatchObject({ nodeId: 'B', org: 'Wing', http: null, quorumSet: null });
    expect(n.analysis).toMatchObject({
      intersects: true,
      criticalOrganizations: ['Depot'],
      minimalSplittingSets: [],
    });
    expect(toNetwork({ analysis: { intersects: 'maybe' } }).analysis!.intersects).toBe('unknown');
    expect(toNetwork({}).analysis).toBeNull();
  });

  it('reads the node’s /v1/network, whose analysis holds packages/fbas outcomes', () => {
    const n = toNetwork({
      self: 'NA',
      validators: [
        {
          nodeId: 'NA',
          name: 'alpha',
          org: 'W56HZV',
          http: null,
          quorumSet: { threshold: 1, validators: ['NA'], innerSets: [] },
        },
      ],
      analysis: {
        intersects: false,
        disjointQuorums: [['NA'], ['NB']],
        topTier: { status: 'done', nodes: ['NA', 'NB'], symmetric: true },
        minimalBlockingSets: {
          status: 'done',
          count: 2,
          smallest: 1,
          complete: true,
          completeUpTo: null,
          sets: [['NA', 'NB'], ['NC']],
        },
        minimalSplittingSets: 'unknown',
        byOrganization: null,
        criticalOrganizations: {
          status: 'done',
          by: 'organization',
          critical: [{ group: 'W56HZV', split: [[], []] }],
          considered: [],
        },
      },
    });
    expect(n.self).toBe('NA');
    expect(n.analysis).toEqual({
      intersects: false,
      disjointQuorums: [['NA'], ['NB']],
      topTier: ['NA', 'NB'],
      minimalBlockingSets: [['NC'], ['NA', 'NB']],
      criticalOrganizations: ['W56HZV'],
      minimalSplittingSets: [],
    });
    const unknown = toNetwork({
      analysis: { intersects: 'unknown', topTier: 'unknown', criticalOrganizations: 'unknown' },
    });
    expect(unknown.analysis).toMatchObject({ intersects: 'unknown', topTier: [], criticalOrganizations: [] });
  });

  it('reads ledgers, peers, items, stock, alerts and events', () => {
    expect(toLedgers([{ sequence: 3, hash: 'aa', txCount: 2, logSize: 10 }])[0]).toMatchObject({
      sequence: 3,
      txCount: 2,
      logSize: 10,
      logRoot: null,
    });
    expect(toLedgers([{ header: { sequence: 4, logRoot: 'bb' }, hash: 'cc' }])[0]).toMatchObject({
      sequence: 4,
      logRoot: 'bb',
    });
    expect(
      toPeers({ localNodeId: 'A', peers: [{ peer: 'B', connected: true, framesIn: 5 }] }).peers[0],
    ).toMatchObject({ peer: 'B', connected: true, framesIn: 5, framesOut: null });
    const item = toItem({
      item: { uii: 'D0CVA5674A36458', nsn: '1234-56-789-0123', status: 'active' },
      history: [
        {
          ledgerSeq: 2,
          txIndex: 0,
          opIndex: 0,
          txHash: 'ab',
          event: { type: 'register', subject: 'x', site: 'W1' },
        },
      ],
    });
    expect(item.uii).toBe('D0CVA5674A36458');
    expect(item.history[0]).toMatchObject({ type: 'register', ledgerSeq: 2, details: { site: 'W1' } });
    expect(toStock([{ nsn: 'n', location: 'W1', quantity: '4' }])[0]).toMatchObject({
      site: 'W1',
      quantity: 4,
    });
    expect(toAlerts([{ kind: 'duplicate-uii', subject: 'U', ledgerSeq: 9, extra: 1 }])[0]).toMatchObject({
      id: '0',
      kind: 'duplicate-uii',
      details: { extra: 1 },
    });
    expect(toLedgerEvent({ seq: 5, hash: 'h', closeTime: 1, txCount: 2, intervalMs: 1000 })).toMatchObject({
      seq: 5,
      intervalMs: 1000,
    });
    expect(toLedgerEvent({ hash: 'h' })).toBeNull();
  });
});

describe('transport', () => {
  afterEach(() => vi.unstubAllGlobals());
  const respond = (status: number, body: string) =>
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        respond.last = url;
        return new Response(body, { status });
      }),
    );
  respond.last = '';

  it('turns {code, message} errors into ApiError', async () => {
    respond(404, JSON.stringify({ code: 'ITEM_UNKNOWN', message: 'no such item' }));
    const err = await getJson('', '/v1/items/X').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, code: 'ITEM_UNKNOWN', message: 'no such item' });
    respond(502, 'bad gateway');
    expect(await getJson('', '/v1/status').catch((e: ApiError) => e.code)).toBe('HTTP_502');
  });

  it('builds URLs against another validator and encodes parameters', async () => {
    respond(200, '[]');
    const api = apiClient('http://127.0.0.1:9');
    expect(await api.stock({ nsn: '1234-56-789-0123', location: 'A B' })).toEqual([]);
    expect(respond.last).toBe('http://127.0.0.1:9/v1/stock?nsn=1234-56-789-0123&location=A+B');
    await api.item('D0/X').catch(() => null);
    expect(respond.last).toBe('http://127.0.0.1:9/v1/items/D0%2FX');
    expect(api.eventsUrl()).toBe('http://127.0.0.1:9/v1/events');
  });
});
