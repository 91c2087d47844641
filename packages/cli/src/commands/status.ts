/**
 * Commands that ask a running validator over its HTTP API: `qm status`, `qm quorum health` and
 * `qm network` (bare). The small API client and the async error reporting here are shared by the
 * transaction helpers (tx.ts) and the queries (query.ts).
 */
import { LedgerError } from '@qm/ledger';
import { ConfigError, loadNodeConfig } from '@qm/node';
import { type Command, CommanderError } from 'commander';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import {
  type NetworkView,
  type QuorumView,
  renderNetwork,
  renderQuorumHealth,
  renderStatus,
  type StatusView,
} from '../report/status-report.js';
import { REPORTED_FAILURE } from './keys.js';

/** The first devnet validator's HTTP API (`qm devnet`). */
export const DEFAULT_NODE_URL = 'http://127.0.0.1:11621';

/** Stable codes of failures talking to a node (errors.ts's CliErrorCode covers local input only). */
export type NodeErrorCode =
  | 'NODE_UNREACHABLE'
  | 'NODE_TIMEOUT'
  | 'NODE_BAD_RESPONSE'
  | 'NODE_ERROR'
  | 'NOT_FOUND'
  | 'TX_REJECTED'
  | 'TX_FAILED'
  | 'TX_WAIT_TIMEOUT';

/** A failure reported by (or about) the node; `code` is the node's own code when it sent one. */
export class NodeApiError extends Error {
  readonly code: string;
  readonly status: number | undefined;

  constructor(code: NodeErrorCode | string, message: string, status?: number) {
    super(message);
    this.name = 'NodeApiError';
    this.code = code;
    this.status = status;
  }
}

const UNREACHABLE_CAUSES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
]);

/** A thin JSON client of one validator's API; every failure becomes a NodeApiError with a stable code. */
export class NodeClient {
  readonly baseUrl: string;
  readonly timeoutMs: number;

  constructor(baseUrl: string, timeoutMs = 10_000) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = timeoutMs;
  }

  private async request(path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      if (err.name === 'TimeoutError' || err.name === 'AbortError') {
        throw new NodeApiError('NODE_TIMEOUT', `${this.baseUrl} did not answer within ${this.timeoutMs} ms`);
      }
      const cause = err.cause?.code ?? '';
      const why = UNREACHABLE_CAUSES.has(cause) ? cause : err.message;
      throw new NodeApiError(
        'NODE_UNREACHABLE',
        `cannot reach the validator API at ${this.baseUrl} (${why}); is the node running (qm node run, ` +
          'qm devnet)? Point at another with --node URL',
      );
    }
    const text = await res.text();
    let body: unknown = null;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        throw new NodeApiError(
          'NODE_BAD_RESPONSE',
          `${this.baseUrl}${path} answered ${res.status} with something other than JSON; is this a Quartermaster validator?`,
          res.status,
        );
      }
    }
    return { status: res.status, body };
  }

  /** The node's error body {code, message} as a NodeApiError. */
  private failure(path: string, status: number, body: unknown): NodeApiError {
    const b = (body ?? {}) as { code?: unknown; message?: unknown };
    const code = typeof b.code === 'string' ? b.code : status === 404 ? 'NOT_FOUND' : 'NODE_ERROR';
    const message = typeof b.message === 'string' ? b.message : `HTTP ${status}`;
    return new NodeApiError(code, `${path}: ${message}`, status);
  }

  async get<T>(path: string): Promise<T> {
    const { status, body } = await this.request(path);
    if (status !== 200) throw this.failure(path, status, body);
    return body as T;
  }

  /** Like get, but a 404 is an answer (null), not an error. */
  async find<T>(path: string): Promise<T | null> {
    const { status, body } = await this.request(path);
    if (status === 404) return null;
    if (status !== 200) throw this.failure(path, status, body);
    return body as T;
  }

  /** POSTs raw bytes; returns status and body (the caller decides what a 400 means). */
  async postBytes(path: string, bytes: Uint8Array): Promise<{ status: number; body: unknown }> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
  }
}

export interface NodeFlags {
  node?: string;
  config?: string;
  json?: boolean;
}

/** The API URL: --node, else the http listener of --config's node config, else the devnet default. */
export function resolveNodeUrl(flags: NodeFlags): string {
  if (flags.node !== undefined && flags.config !== undefined) {
    throw new CliError('BAD_ARGUMENT', 'pass --node URL or --config FILE, not both');
  }
  if (flags.config !== undefined) {
    const { host, port } = loadNodeConfig(flags.config).http;
    // A listener bound to every interface is reached locally through loopback.
    const h = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
    return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
  }
  const url = flags.node ?? DEFAULT_NODE_URL;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError('BAD_ARGUMENT', `--node must be a URL such as ${DEFAULT_NODE_URL}, got '${url}'`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CliError('BAD_ARGUMENT', `--node must be an http(s) URL, got '${url}'`);
  }
  return url.replace(/\/+$/, '');
}

/**
 * Runs an async command body: node failures (NodeApiError), bad config or key files (ConfigError) and
 * input the ledger's encoding refuses (LedgerError) are printed as `qm: error CODE: message` (or as
 * JSON with --json) and exit 1, without a stack trace. CliError (bad arguments) and bugs go on to the
 * program's runner.
 */
export async function reportingAsync(
  io: CliIo,
  json: boolean | undefined,
  run: () => Promise<number>,
): Promise<void> {
  let code: number;
  try {
    code = await run();
  } catch (e) {
    let error: { code: string; message: string };
    if (e instanceof NodeApiError) error = { code: e.code, message: e.message };
    else if (e instanceof ConfigError) error = { code: e.code, message: e.describe() };
    // E.g. an operations file the canonical encoding refuses (ENCODE_*): input, not a bug.
    else if (e instanceof LedgerError) error = { code: e.code, message: e.message };
    else throw e;
    if (json) io.out(`${JSON.stringify({ ok: false, error }, null, 2)}\n`);
    else io.err(`qm: error ${error.code}: ${error.message}\n`);
    code = 1;
  }
  if (code !== 0) throw new CommanderError(code, REPORTED_FAILURE, '');
}

/** Node ids to validator names, from /v1/network; best effort (an older node may not serve it). */
async function nodeNames(client: NodeClient): Promise<Map<string, string>> {
  try {
    const net = await client.get<NetworkView>('/v1/network');
    return new Map((net.validators ?? []).map((v) => [v.nodeId, v.name]));
  } catch (e) {
    if (e instanceof NodeApiError && e.code !== 'NODE_UNREACHABLE') return new Map();
    throw e;
  }
}

export async function statusCommand(flags: NodeFlags, io: CliIo, now = Date.now()): Promise<number> {
  const url = resolveNodeUrl(flags);
  const client = new NodeClient(url);
  const status = await client.get<StatusView>('/v1/status');
  // The diagnosis is worth a second request only when something is wrong.
  const quorum = status.state === 'synced' ? null : await client.get<QuorumView>('/v1/quorum');
  if (flags.json) {
    io.out(`${JSON.stringify({ ok: true, node: url, ...status, diagnosis: quorum }, null, 2)}\n`);
    return 0;
  }
  const names = quorum === null ? new Map<string, string>() : await nodeNames(client);
  io.out(renderStatus({ url, status, quorum, names, now }));
  return 0;
}

export async function quorumHealthCommand(flags: NodeFlags, io: CliIo): Promise<number> {
  const url = resolveNodeUrl(flags);
  const client = new NodeClient(url);
  const quorum = await client.get<QuorumView>('/v1/quorum');
  if (flags.json) {
    io.out(`${JSON.stringify({ ok: true, node: url, ...quorum }, null, 2)}\n`);
    return 0;
  }
  io.out(renderQuorumHealth({ url, quorum, names: await nodeNames(client) }));
  return 0;
}

export async function networkCommand(flags: NodeFlags, io: CliIo): Promise<number> {
  const url = resolveNodeUrl(flags);
  const net = await new NodeClient(url).get<NetworkView>('/v1/network');
  if (flags.json) {
    io.out(`${JSON.stringify({ ok: true, node: url, ...net }, null, 2)}\n`);
    return 0;
  }
  io.out(renderNetwork({ url, network: net }));
  return 0;
}

const NODE_HELP = `validator API URL (default ${DEFAULT_NODE_URL}, the first devnet validator)`;

function withNode(cmd: Command): Command {
  return cmd
    .option('--node <url>', NODE_HELP)
    .option('--config <file>', "read the API address from a node's config");
}

/** An existing command group (registered by another module) or a new one. */
export function groupCommand(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

/**
 * `qm status`, `qm quorum health` and bare `qm network`. Register after the quorum and network groups
 * (quorum.ts, network.ts) so that `health` and the bare action join those groups.
 */
export function registerStatusCommands(program: Command, io: CliIo): void {
  withNode(
    program
      .command('status')
      .description("a validator's state: synced or stuck, ledger, peers, and why it halted when it did"),
  )
    .option('--json', 'machine-readable output (the node status with its quorum diagnosis)')
    .action((flags: NodeFlags) => reportingAsync(io, flags.json, () => statusCommand(flags, io)));

  withNode(
    groupCommand(program, 'quorum', 'quorum configuration analysis')
      .command('health')
      .description("a running validator's quorum set: each member's status, lag and last word; fail_at"),
  )
    .option('--json', 'machine-readable output')
    .action((flags: NodeFlags) => reportingAsync(io, flags.json, () => quorumHealthCommand(flags, io)));

  // No --json on the group itself: commander would take it from `qm network init ... --json`.
  groupCommand(program, 'network', 'create a network')
    .description('create a network (init), or with no subcommand show a running one and its quorum verdict')
    .option('--node <url>', `with no subcommand: the ${NODE_HELP}`)
    .action((flags: NodeFlags) => reportingAsync(io, false, () => networkCommand(flags, io)));
}
