import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALERT_KINDS, OPERATION_TYPES, PARAM_NAMES, RESULT_CODES } from '../../src/domain/index.js';

const doc = readFileSync(fileURLToPath(new URL('../../../../docs/domain.md', import.meta.url)), 'utf8');

/** First-column backticked names of the table rows under a heading. */
function tableNames(heading: string): string[] {
  const section = doc.split(`## ${heading}\n`)[1]!.split('\n## ')[0]!;
  return [...section.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]!);
}

describe('docs/domain.md stays true to the code', () => {
  it('lists every result code, with its meaning, and no other', () => {
    const section = doc.split('## Result codes\n')[1]!;
    const rows = [...section.matchAll(/^\| `([A-Z_]+)` +\| (.+?) +\|$/gm)].map((m) => [
      m[1],
      m[2]!.replaceAll('\\|', '|'),
    ]);
    expect(Object.fromEntries(rows)).toEqual(RESULT_CODES);
  });

  it('lists every alert kind, operation type and network parameter', () => {
    expect(tableNames('Alerts').sort()).toEqual([...ALERT_KINDS].sort());
    // The operations table may name two types in one cell (`a` / `b`).
    const documented = doc
      .split('## Operations and who may apply them\n')[1]!
      .split('\n## ')[0]!
      .match(/^\| [^|]+\|/gm)!
      .flatMap((cell) => [...cell.matchAll(/`(\w+)`/g)].map((m) => m[1]!));
    expect([...new Set(documented)].sort()).toEqual([...OPERATION_TYPES].sort());
    expect(tableNames('Network parameters').sort()).toEqual([...PARAM_NAMES].sort());
  });
});
