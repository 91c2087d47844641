// Server-side rendering of the components that carry the test ids the end-to-end tests rely on.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { QuorumHealth, Validator } from '../src/api';
import { HaltPanel } from '../src/components/HaltPanel';
import { QuorumMap } from '../src/components/QuorumMap';

const validators: Validator[] = ['A', 'B', 'C', 'D'].map((id, i) => ({
  nodeId: id,
  name: `v${i}`,
  org: i < 2 ? 'Depot' : 'Wing',
  http: null,
  quorumSet: { threshold: 3, validators: ['A', 'B', 'C', 'D'], innerSets: [] },
}));

const stuck: QuorumHealth = {
  nodeId: 'A',
  stuck: true,
  stuckForMs: 12_000,
  members: [
    { node: 'B', status: 'agree', lastHeardAgoMs: 100, possiblyDead: false, lag: 0 },
    { node: 'C', status: 'missing', lastHeardAgoMs: 11_000, possiblyDead: true, lag: null },
    { node: 'D', status: 'missing', lastHeardAgoMs: null, possiblyDead: true, lag: null },
  ],
  failAt: 0,
  failWith: [],
  unsatisfied: [{ path: 'top', threshold: 3, satisfied: 2, unavailable: ['C', 'D'] }],
  restoreSets: [['C'], ['D']],
  restoreSearchTruncated: false,
  summary: 'stuck for 12.0 s: no quorum is available',
};

describe('HaltPanel', () => {
  it('names the missing nodes, the unsatisfied slice and the restore sets when stuck', () => {
    const html = renderToStaticMarkup(createElement(HaltPanel, { quorum: stuck, validators }));
    expect(html).toContain('data-testid="halt-panel"');
    expect(html).toContain('data-node="C"');
    expect(html).toContain('data-node="D"');
    expect(html).toContain('<strong>v2</strong>');
    expect(html).toContain('2 of the 3 needed');
    expect(html).toMatch(/<li>v2<\/li><li>v3<\/li>/);
  });
  it('renders nothing when not stuck', () => {
    const html = renderToStaticMarkup(
      createElement(HaltPanel, { quorum: { ...stuck, stuck: false }, validators }),
    );
    expect(html).toBe('');
    expect(renderToStaticMarkup(createElement(HaltPanel, { quorum: null, validators }))).toBe('');
  });
});

describe('QuorumMap', () => {
  it('draws every validator with its status and the organizations', () => {
    const html = renderToStaticMarkup(
      createElement(QuorumMap, {
        validators,
        statusOf: (n: string) => (n === 'A' ? 'local' : n === 'C' ? 'missing' : 'agree'),
        topTier: new Set(['A', 'B', 'C', 'D']),
        highlighted: new Set(['C', 'D']),
        criticalOrgs: new Set(['Wing']),
      }),
    );
    expect(html.match(/data-testid="quorum-node"/g)).toHaveLength(4);
    expect(html).toContain('data-status="missing"');
    expect(html.match(/highlight-ring/g)).toHaveLength(2);
    expect(html).toContain('Wing (critical)');
  });
});
