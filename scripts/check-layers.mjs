#!/usr/bin/env node
// CI gate: fails when a package imports a layer it may not (see DESIGN.md, "Layers").
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkTree } from './layers.mjs';

const problems = checkTree(join(dirname(fileURLToPath(import.meta.url)), '..'));
if (problems.length > 0) {
  console.error(`layer check: ${problems.length} violation(s)`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log('layer check: ok');
