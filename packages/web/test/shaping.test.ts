import { describe, expect, it } from 'vitest';
import { analysisToShow, nodeColorer, orgsCoveredBy } from '../src/analysis';
import type { QuorumHealth, Validator } from '../src/api';
import { formatDuration, shortId } from '../src/format';
import { quorumMapOf, type StatusResult, validatorRows } from '../src/network-model';
import { layoutQuorumGraph, trustEdges } from '../src/quorum-graph';
import { classifyQuery, normalizeNsn } from '../src/search';
import { appendEvent, ledgerSeries, polylinePoints } from '../src/series';

const qs3of4 = { threshold: 3, validators: ['A', 'B', 'C', 'D'], innerSets: [] };
const validators: Validator[] = [
  { nodeId: 'A', name: 'alpha', org: 'Depot', http: 'http://h:1', quorumSet: qs3of4 },
  { nodeId: 'B', name: 'bravo', org: 'Depot', http: 'http://h:2', quorumSet: qs3of4 },
  { nodeId: 'C', name: 'charlie', org: 'Wing', http: 'http://h:3', quorumSet: qs3of4 },
  {
    nodeId: 'D',
    name: 'delta',
    org: 'Yard',
    http: null,
    quorumSet: { threshold: 1, validators: ['A'], innerSets: [] },
  },
];

describe('ledger series', () => {
  it('keeps the newest events in order without duplicates', () => {
    let ev: ReturnType<typeof appendEvent> = [];
    for (const seq of [3, 1, 2, 2, 4])
      ev = appendEvent(ev, { seq, hash: '', closeTime: seq, txCount: seq, intervalMs: null }, 3);
    expect(ev.map((e) => e.seq)).toEqual([2, 3, 4]);
  });
  it('derives intervals from intervalMs or consecutive close times, and tx/s from them', () => {
    const s = ledgerSeries([
      { seq: 1, hash: '', closeTime: 100, txCount: 0, intervalMs: null },
      { seq: 2, hash: '', closeTime: 102, txCount: 10, intervalMs: null },
      { seq: 3, hash: '', closeTime: 103, txCount: 5, intervalMs: 500 },
      { seq: 5, hash: '', closeTime: 110, txCount: 5, intervalMs: null },
    ]);
    expect(s.intervalS).toEqual([
      { x: 2, y: 2 },
      { x: 3, y: 0.5 },
    ]);
    expect(s.txPerS).toEqual([
      { x: 2, y: 5 },
      { x: 3, y: 10 },
    ]);
  });
  it('scales points into the chart box', () => {
    expect(
      polylinePoints(
        [
          { x: 0, y: 0 },
          { x: 10, y: 5 },
        ],
        100,
        50,
        0,
      ),
    ).toBe('0.0,50.0 100.0,0.0');
  });
});

describe('quorum graph', () => {
  it('draws mutual trust once and one-way trust as arrows', () => {
    const edges = trustEdges(validators);
    expect(edges.filter((e) => e.mutual)).toHaveLength(4); // A-B A-C B-C, and A-D (D trusts A, A trusts D)
    expect(edges.filter((e) => !e.mutual).map((e) => `${e.from}>${e.to}`)).toEqual(['B>D', 'C>D']);
  });
  it('groups nodes by organization inside the box', () => {
    const g = layoutQuorumGraph(validators, 720, 460);
    expect(g.groups.map((x) => x.org)).toEqual(['Depot', 'Wing', 'Yard']);
    expect(g.groups[0]!.members).toEqual(['A', 'B']);
    for (const n of g.nodes) {
      expect(n.x).toBeGreaterThan(0);
      expect(n.x).toBeLessThan(720);
      expect(n.y).toBeGreaterThan(0);
      expect(n.y).toBeLessThan(460);
    }
  });
});

describe('network rows and analysis', () => {
  const quorum: QuorumHealth = {
    nodeId: 'A',
    stuck: false,
    stuckForMs: 0,
    members: [{ node: 'C', status: 'delayed', lastHeardAgoMs: 5, possiblyDead: false, lag: 1 }],
    failAt: 1,
    failWith: ['B'],
    unsatisfied: [],
    restoreSets: [],
    restoreSearchTruncated: false,
    summary: '',
  };
  const status = (seq: number) => ({
    ok: true as const,
    status: {
      nodeId: '',
      networkName: null,
      networkId: null,
      suite: null,
      state: 'synced' as const,
      ledgerSeq: seq,
      ledgerHash: null,
      closeTime: null,
      sinceLastCloseMs: 100,
      txQueue: 0,
      peers: 3,
      summary: '',
    },
  });
  it('joins statuses, lag and this node’s view', () => {
    const rows = validatorRows(
      validators,
      new Map<string, StatusResult>([
        ['A', status(10)],
        ['B', status(8)],
        ['C', { ok: false as const, error: 'timeout' }],
      ]),
      quorum,
      'A',
    );
    expect(rows.map((r) => r.state)).toEqual(['synced', 'synced', 'unreachable', 'unknown']);
    expect(rows.map((r) => r.lag)).toEqual([0, 2, 1, null]);
    expect(rows[0]!.isLocal).toBe(true);
    expect(rows[2]!.consensus).toBe('delayed');
  });
  it('colors nodes from the quorum view first, then reachability', () => {
    const color = nodeColorer('A', quorum, new Map([['B', { ok: false as const, error: 'x' }]]));
    expect(['A', 'B', 'C', 'D'].map(color)).toEqual(['local', 'missing', 'delayed', 'unknown']);
  });
  it('prefers the node’s analysis, else computes one in the browser', () => {
    const qmap = quorumMapOf(validators);
    const local = analysisToShow(null, qmap);
    expect(local.source).toBe('browser');
    expect(local.intersects).toBe(true);
    expect(local.topTier).toEqual(['A', 'B', 'C', 'D']); // {A, B, D} is a quorum too
    const server = analysisToShow(
      {
        intersects: false,
        topTier: [],
        minimalBlockingSets: [],
        criticalOrganizations: ['Depot'],
        minimalSplittingSets: [],
      },
      qmap,
    );
    expect(server).toMatchObject({ source: 'node', intersects: false });
    expect(analysisToShow(null, new Map()).source).toBe('none');
    expect(orgsCoveredBy(validators, new Set(['A', 'B', 'C']))).toEqual(['Depot', 'Wing']);
  });
});

describe('search and formatting', () => {
  it('classifies queries', () => {
    expect(classifyQuery('1234-56-789-0123')).toBe('nsn');
    expect(classifyQuery('1234567890123')).toBe('nsn');
    expect(normalizeNsn('1234567890123')).toBe('1234-56-789-0123');
    expect(classifyQuery('D0CVA5674A36458')).toBe('uii');
    expect(classifyQuery('W56HZV')).toBe('location');
    expect(classifyQuery('  ')).toBeNull();
  });
  it('formats durations and ids', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(shortId('GABCDEFGHIJKLMNOP')).toBe('GABCDE…MNOP');
  });
});
