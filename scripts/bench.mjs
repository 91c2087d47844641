#!/usr/bin/env node
// Runs the benchmarks (all, or those named: `npm run bench -- fbas crypto`), one process each, then
// rebuilds BENCHMARKS.md from the markdown summaries they write to bench/results/<name>.md.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

// `--summary` only rebuilds BENCHMARKS.md from the results already written.
const summaryOnly = process.argv.includes('--summary');
const wanted = process.argv.slice(2).filter((a) => a !== '--summary');
const all = readdirSync('bench')
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const chosen = summaryOnly ? [] : wanted.length > 0 ? wanted : all;
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark '${name}' (have: ${all.join(', ')})`);
    process.exit(2);
  }
  console.log(`\n== bench/${name}.ts`);
  const r = spawnSync('npx', ['tsx', `bench/${name}.ts`], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`bench/${name}.ts failed`);
    process.exit(r.status ?? 1);
  }
}

const sections = all
  .filter((name) => existsSync(`bench/results/${name}.md`))
  .map((name) => readFileSync(`bench/results/${name}.md`, 'utf8').trim());
const header = `# Benchmarks

Measured on the project's 2-core machine; every figure comes from a script in bench/ that writes its raw
results to bench/results/<name>.json and the table below to bench/results/<name>.md. Regenerate with
\`npm run bench\` (all) or \`npm run bench -- <name>\`; this file is rebuilt from the summaries.
Machines here are shared and noisy: targets are stated as ratios measured within one run where possible.
`;
writeFileSync('BENCHMARKS.md', `${header}\n${sections.join('\n\n')}\n`);
console.log(`\nBENCHMARKS.md: ${sections.length} section(s)`);
