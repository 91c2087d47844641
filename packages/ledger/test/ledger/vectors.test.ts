/**
 * The ledger formats pinned as hex vectors, and kept identical to those printed in docs/ledger.md:
 * a change to any hashed format fails here first (and needs a protocol version bump).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ledgerVectors } from './vectors.js';

const DOC = readFileSync(new URL('../../../../docs/ledger.md', import.meta.url), 'utf8');

/** `<!-- vector: NAME -->` followed by a fenced block; whitespace inside the block is not significant. */
function documented(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of DOC.matchAll(/<!-- vector: ([a-z0-9-]+) -->\n```\n([\s\S]*?)\n```/g)) {
    out[m[1]!] = m[2]!.replace(/\s+/g, '');
  }
  return out;
}

describe('docs/ledger.md vectors', () => {
  it('are exactly the ones the code produces', () => {
    const code = ledgerVectors();
    const doc = documented();
    expect(Object.keys(doc).sort()).toEqual(Object.keys(code).sort());
    expect(doc).toEqual(Object.fromEntries(Object.entries(code).map(([k, v]) => [k, v.replace(/\s+/g, '')])));
  });
});
