import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  analyze,
  buildFbas,
  type GroupBy,
  type ParsedNetwork,
  parseNetwork,
  type RawQuorumSet,
} from '@qm/fbas';
import { ConfigError, parseGenesis, quorumSetOf } from '@qm/node';
import { type Command, Option } from 'commander';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { renderQuorumReport } from '../report/quorum-report.js';

const BY: Record<string, GroupBy> = {
  org: 'organization',
  organization: 'organization',
  country: 'country',
  isp: 'isp',
};

interface AnalyzeFlags {
  by?: string;
  node?: string;
  down?: string;
  byzantine?: string;
  json?: boolean;
  budget: string;
  orgs?: string;
  criticality: boolean;
}

function readText(file: string, what: string): string {
  if (!existsSync(file)) throw new CliError('FILE_NOT_FOUND', `${what} ${file} does not exist`);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError('FILE_UNREADABLE', `cannot read ${what} ${file}: ${(e as Error).message}`);
  }
}

/** stellarbeat snapshots often sit beside their organizations file: X_nodes.json -> X_organizations.json. */
export function siblingOrganizationsFile(file: string): string | undefined {
  const base = path.basename(file);
  const m = /^(.*?)_(nodes|validators)(_.*)?\.json$/.exec(base);
  if (!m) return undefined;
  const candidate = path.join(path.dirname(file), `${m[1]}_organizations.json`);
  return existsSync(candidate) ? candidate : undefined;
}

/**
 * A Quartermaster genesis file (`qm network init`) is analyzed as deployed: its validators, named, in
 * their organizations, with the quorum sets the genesis gives them. Anything else goes to the fbas
 * parser (stellarbeat, stellar-core, or a bare Quartermaster node list).
 */
export function parseNetworkFile(text: string, orgsText?: string): ParsedNetwork {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return parseNetwork(text, orgsText); // reports the JSON error in its own words
  }
  if (typeof doc !== 'object' || doc === null || (doc as { format?: unknown }).format !== 'qm-genesis/1') {
    return parseNetwork(text, orgsText);
  }
  let genesis: ReturnType<typeof parseGenesis>;
  try {
    genesis = parseGenesis(text);
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError('BAD_GENESIS', `genesis file: ${e.describe()}`);
    throw e;
  }
  return {
    format: 'quartermaster',
    nodes: genesis.validators.map((v) => ({
      id: v.nodeId,
      name: v.name,
      organization: v.org,
      quorumSet: rawQuorumSet(quorumSetOf(genesis, v.nodeId)),
    })),
  };
}

type GenesisQuorumSet = ReturnType<typeof quorumSetOf>;

function rawQuorumSet(q: GenesisQuorumSet): RawQuorumSet {
  return { threshold: q.threshold, validators: [...q.validators], innerSets: q.innerSets.map(rawQuorumSet) };
}

const keys = (list?: string) =>
  list === undefined
    ? []
    : list
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k.length > 0);

export function registerQuorumCommands(program: Command, io: CliIo): void {
  const quorum = program.command('quorum').description('quorum configuration analysis');
  quorum
    .command('analyze')
    .description('is the network safe (quorum intersection) and how much failure does it survive?')
    .argument(
      '<file>',
      'network JSON: a Quartermaster genesis file, stellarbeat nodes, stellar-core quorum JSON, or a node list',
    )
    .addOption(
      new Option('--by <attribute>', 'also report merged by this attribute').choices(Object.keys(BY)),
    )
    .option('--node <key>', 'halting analysis for this node (public key or unique name)')
    .option('--down <keys>', 'what-if: these nodes (comma-separated keys or names) have crashed')
    .option('--byzantine <keys>', 'what-if: these nodes (comma-separated) are Byzantine')
    .option('--orgs <file>', 'stellarbeat organizations file (default: the *_organizations.json beside FILE)')
    .option('--budget <ms>', 'time budget per analysis; past it the answer is "unknown"', '10000')
    .option('--no-criticality', 'skip the criticality analysis (one intersection check per organization)')
    .option('--json', 'print the full machine-readable result instead of the report')
    .action((file: string, flags: AnalyzeFlags) => {
      const budgetMs = Number(flags.budget);
      if (!Number.isFinite(budgetMs) || budgetMs <= 0) {
        throw new CliError(
          'BAD_ARGUMENT',
          `--budget must be a positive number of milliseconds, got '${flags.budget}'`,
        );
      }
      const text = readText(file, 'network file');
      const orgsFile = flags.orgs ?? siblingOrganizationsFile(file);
      const orgsText = orgsFile === undefined ? undefined : readText(orgsFile, 'organizations file');
      const parsed = parseNetworkFile(text, orgsText);
      const fbas = buildFbas(parsed.nodes);
      const by = flags.by === undefined ? undefined : BY[flags.by]!;
      const analysis = analyze(fbas, {
        budgetMs,
        groupBy: by === undefined ? ['organization'] : [by],
        node: flags.node,
        down: keys(flags.down),
        byzantine: keys(flags.byzantine),
        criticality: flags.criticality,
      });
      if (flags.json) {
        io.out(
          `${JSON.stringify({ file, format: parsed.format, organizationsFile: orgsFile ?? null, ...analysis }, null, 2)}\n`,
        );
        return;
      }
      io.out(renderQuorumReport(analysis, { file, format: parsed.format, focus: by }));
    });
}
