import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { checkFile, specifiersOf } from '../layers.mjs';

describe('layer rules', () => {
  it('finds static, dynamic, side-effect and require specifiers', () => {
    const src = `import { a } from '@qm/ledger';\nexport * from "./x.js";\nimport './side.js';\nconst m = await import('@qm/node');\nrequire('fs');`;
    expect(specifiersOf(src)).toEqual(['@qm/ledger', './x.js', './side.js', '@qm/node', 'fs']);
  });

  it('rejects scp importing another package of ours', () => {
    const problems = checkFile('scp', 'src/slot.ts', `import { x } from '@qm/ledger';`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('scp may not import @qm/ledger');
  });

  it('rejects an upward arrow: ledger importing node', () => {
    expect(checkFile('ledger', 'src/a.ts', `import type { N } from '@qm/node';`)).toHaveLength(1);
  });

  it('rejects a relative import that escapes the package', () => {
    const problems = checkFile('fbas', 'src/a.ts', `import { q } from '../../scp/src/quorum.js';`);
    expect(problems[0]).toContain('leaves the package');
  });

  it('accepts allowed arrows and in-package relative imports', () => {
    expect(
      checkFile('sim', 'src/a.ts', `import { SCP } from '@qm/scp';\nimport { b } from './b.js';`),
    ).toEqual([]);
    expect(checkFile('cli', 'src/a.ts', `import { analyze } from '@qm/fbas';`)).toEqual([]);
  });
});
