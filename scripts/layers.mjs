// The layer rules of DESIGN.md: which workspace package may import which. Imports flow downward only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export const ALLOWED_IMPORTS = {
  scp: [],
  fbas: [],
  ledger: [],
  node: ['ledger', 'scp', 'fbas'],
  sim: ['node', 'ledger', 'scp'],
  cli: ['node', 'fbas', 'ledger', 'scp'],
  web: [],
};

const SPECIFIER =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every module specifier a source text names. */
export function specifiersOf(source) {
  const found = [];
  for (const m of source.matchAll(SPECIFIER)) found.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return found;
}

/**
 * Checks one file of package `pkg` (path relative to packages/<pkg>/) against the rules.
 * Returns human-readable violations.
 */
export function checkFile(pkg, fileInPkg, source) {
  const allowed = ALLOWED_IMPORTS[pkg];
  if (!allowed) return [`packages/${pkg}: unknown package; add it to ALLOWED_IMPORTS in scripts/layers.mjs`];
  const problems = [];
  for (const spec of specifiersOf(source)) {
    const where = `packages/${pkg}/${fileInPkg}`;
    if (spec.startsWith('@qm/')) {
      const target = spec.slice(4).split('/')[0];
      if (target !== pkg && !allowed.includes(target)) {
        problems.push(
          `${where}: ${pkg} may not import @qm/${target} (allowed: ${allowed.join(', ') || 'none'})`,
        );
      }
    } else if (spec.startsWith('.')) {
      const target = resolve('/pkg', dirname(fileInPkg), spec);
      if (!target.startsWith('/pkg/'))
        problems.push(`${where}: relative import '${spec}' leaves the package`);
    }
  }
  return problems;
}

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(name)) yield full;
  }
}

/** Checks every package under root/packages: source imports and package.json dependencies. */
export function checkTree(root) {
  const problems = [];
  const packagesDir = join(root, 'packages');
  for (const pkg of readdirSync(packagesDir)) {
    const dir = join(packagesDir, pkg);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of sourceFiles(dir)) {
      problems.push(...checkFile(pkg, relative(dir, file).split(sep).join('/'), readFileSync(file, 'utf8')));
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const deps = { ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies };
    for (const dep of Object.keys(deps)) {
      if (!dep.startsWith('@qm/')) continue;
      const target = dep.slice(4);
      if (!(ALLOWED_IMPORTS[pkg] ?? []).includes(target)) {
        problems.push(`packages/${pkg}/package.json: depends on ${dep}, which the layer rules forbid`);
      }
    }
  }
  return problems;
}
